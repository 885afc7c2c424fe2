"""Signing up and signing in on the site, shared by the browser journeys."""

import re

from django.core import mail

from playwright.sync_api import expect

from tests.factories.users import TEST_PASSWORD

CONFIRMATION_LINK = re.compile(r"https?://[^\s]+/accounts/confirm-email/[^\s]+")


def site_login(page, login, password=TEST_PASSWORD):
    """Sign in through the one sign-in page with ``login`` (an email or username)."""
    page.goto("/accounts/login/")
    page.get_by_label("Email or username").fill(login)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    # In the header at every width (folded into the menu on a phone).
    expect(page.get_by_role("link", name="My contributions")).to_be_attached()


def site_sign_up(page, *, display_name, email, password):
    """Join Kindred with both consents, up to the "check your email" page."""
    page.goto("/accounts/signup/")
    page.get_by_label("Display name").fill(display_name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Password (again)").fill(password)
    page.get_by_label("I have read and accept the community guidelines").check()
    page.get_by_label("I give my explicit consent").check()
    page.get_by_role("button", name="Join Kindred").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("email")


def confirmation_link(email):
    """The newest address-confirmation link sent to ``email``."""
    for message in reversed(mail.outbox):
        if email in message.to and (match := CONFIRMATION_LINK.search(message.body)):
            return match.group(0)
    raise AssertionError("no confirmation email in the outbox")
