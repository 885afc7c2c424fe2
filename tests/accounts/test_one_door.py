"""One door to sign in (issue 10, finding 1): Wagtail's own sign-in pages lead to allauth's.

allauth's /accounts/login/ applies every control (throttles, confirmed
address, consent). Wagtail's /_util/login/ (where private pages and documents
sent people) and /admin/login/ must never sign anyone in themselves.
"""

from urllib.parse import quote

from django.contrib.auth.views import LoginView
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from wagtail.models import PageViewRestriction

import pytest

from tests.factories import UserFactory
from tests.factories.pages import BlogPageFactory
from tests.factories.users import TEST_PASSWORD

pytestmark = pytest.mark.django_db

WAGTAIL_LOGINS = ["/_util/login/", "/admin/login/"]


def signed_in(client):
    return "_auth_user_id" in client.session


def login_views(resolver=None, prefix=""):
    """``(path, pattern)`` for every URL pattern whose view is a Django ``LoginView``."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
        if isinstance(pattern, URLResolver):
            yield from login_views(pattern, route)
        elif isinstance(pattern, URLPattern):
            view_class = getattr(pattern.callback, "view_class", None)
            if isinstance(view_class, type) and issubclass(view_class, LoginView):
                yield "/" + route, pattern


def test_every_login_view_of_the_libraries_is_shadowed_by_the_redirect():
    shadowed = dict(login_views())

    # Wagtail's two (its frontend and admin forms) exist in the URL list...
    assert set(shadowed) >= set(WAGTAIL_LOGINS)
    for path in shadowed:
        # ...but the address resolves to Kindred's redirect, never to a form.
        view_class = getattr(resolve(path).func, "view_class", None)
        assert not (isinstance(view_class, type) and issubclass(view_class, LoginView)), path


@pytest.mark.parametrize("path", WAGTAIL_LOGINS)
def test_fifty_wrong_passwords_at_a_wagtail_login_are_never_a_form(portal, path):
    victim = UserFactory(email="victim@example.org")
    attacker = Client(REMOTE_ADDR="203.0.113.7")

    for number in range(50):
        response = attacker.post(
            path, {"username": victim.email, "password": f"guess-{number}-wrong"}
        )
        assert response.status_code == 302, number
        assert response["Location"] == "/accounts/login/"

    # Not even the right password signs in here.
    response = attacker.post(path, {"username": victim.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert not signed_in(attacker)


@pytest.mark.parametrize("path", WAGTAIL_LOGINS)
def test_an_unconfirmed_account_cannot_sign_in_through_wagtail(portal, path):
    unconfirmed = UserFactory(email="new@example.org", verified_email=False)
    client = Client()

    for login in (unconfirmed.email, unconfirmed.username):
        response = client.post(path, {"username": login, "password": TEST_PASSWORD})
        assert response.status_code == 302
        assert not signed_in(client)
    # Through the one door it is sent to confirm its address first.
    response = client.post(
        "/accounts/login/", {"login": unconfirmed.email, "password": TEST_PASSWORD}
    )
    assert response["Location"] == "/accounts/confirm-email/"
    assert not signed_in(client)


@pytest.mark.parametrize("path", WAGTAIL_LOGINS)
def test_a_throttled_account_cannot_sign_in_through_wagtail(portal, path):
    victim = UserFactory(email="victim@example.org")
    for number in range(30):  # the per-account allowance, from many places
        Client(REMOTE_ADDR=f"10.1.0.{number + 1}").post(
            "/accounts/login/", {"login": victim.email, "password": f"wrong-{number}"}
        )
    client = Client(REMOTE_ADDR="198.51.100.9")
    assert (
        client.post(
            "/accounts/login/", {"login": victim.email, "password": TEST_PASSWORD}
        ).status_code
        == 429
    )

    response = client.post(path, {"username": victim.email, "password": TEST_PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert not signed_in(client)


@pytest.mark.parametrize("path", WAGTAIL_LOGINS)
@pytest.mark.parametrize(
    ("next_url", "kept"),
    [
        ("/blogs/a-private-post/", True),
        ("/blogs/?page=2&tag=x", True),
        ("https://evil.example/", False),
        ("//evil.example/", False),
        ("/\\evil.example/", False),
        ("javascript:alert(1)", False),
        ("<script>alert(1)</script>", False),
        ("/" + "a" * 3000, False),
    ],
)
def test_the_redirect_keeps_next_only_if_it_is_local(client, path, next_url, kept):
    response = client.get(f"{path}?next={quote(next_url)}&other=<b>")

    assert response.status_code == 302
    if kept:
        assert response["Location"] == f"/accounts/login/?next={quote(next_url, safe='')}"
    else:
        assert response["Location"] == "/accounts/login/"


@pytest.mark.parametrize("method", ["get", "head", "put", "delete", "options"])
def test_every_method_is_redirected(client, method):
    response = getattr(client, method)("/_util/login/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"


def test_the_redirect_makes_no_query(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        client.get("/_util/login/?next=/blogs/")


def test_a_private_page_sends_a_visitor_to_the_one_sign_in(client, blog_index):
    page = BlogPageFactory(parent=blog_index)
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    path = page.relative_url(page.get_site())

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={quote(path)}"

    # and the one sign-in brings them back to it.
    member = UserFactory()
    response = client.post(response["Location"], {"login": member.email, "password": TEST_PASSWORD})
    assert response["Location"] == path
    assert client.get(path).status_code == 200
