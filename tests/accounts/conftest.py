"""Fixtures for the accounts tests: sign-up data, a movable clock, mail helpers."""

import re
import time

from django.conf import settings
from django.core import mail

import pytest

from core import consent

STRONG_PASSWORD = "quiet-harbour-lantern-42"


def signup_post(**overrides):
    """A valid sign-up POST, with ``overrides`` (``None`` drops a field)."""
    data = {
        "display_name": "River Walker",
        "email": "river@example.org",
        "password1": STRONG_PASSWORD,
        "password2": STRONG_PASSWORD,
        "accept_guidelines": "on",
        "consent_health_data": "on",
        "guidelines_version": consent.CURRENT[consent.GUIDELINES].version,
        "health_data_version": consent.CURRENT[consent.HEALTH_DATA].version,
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def signup_data():
    """``signup_post``, for tests that take it as a fixture."""
    return signup_post


class Clock:
    """Moves ``time.time()`` forward for everything that reads it.

    allauth's throttle windows, the cache's expiry and the signed email
    confirmation keys all read ``time.time()``, so moving it is how a test
    lets a minute or three days pass without waiting.
    """

    def __init__(self):
        self.offset = 0.0

    def advance(self, seconds):
        self.offset += seconds


@pytest.fixture
def clock(monkeypatch):
    real_time = time.time
    moved = Clock()
    monkeypatch.setattr(time, "time", lambda: real_time() + moved.offset)
    return moved


def link_in(message):
    """The path of the first link to this site (on its public address) in an email."""
    match = re.search(re.escape(settings.KINDRED_BASE_URL.rstrip("/")) + r"(/\S+)", message.body)
    assert match, message.body
    return match.group(1)


def mail_to(address):
    return [message for message in mail.outbox if address in message.to]
