"""Issue 10, finding 11: sessions end when idle (staff soon, members later) and
members see and end their other sessions (accounts/idle.py, accounts/user_sessions*.py)."""

import re
from urllib.parse import parse_qs, urlsplit

from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.models import Session
from django.test import Client

import pytest
from allauth.usersessions.models import UserSession

from accounts import idle
from accounts.user_sessions import device_name
from core import roles
from tests.factories import UserFactory
from tests.factories.users import TEST_PASSWORD

pytestmark = pytest.mark.django_db

MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR
PAGE = "/me/account/"
LOGIN = "/accounts/login/"
SESSIONS = "/accounts/sessions/"
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI_PHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
# Session, user, the member's sessions, those sessions' stored data; the shared
# layout's (permissions, notification bell, site, navigation).
# +1 since issue 15: the sponsor's declaration in the footer, read once per site on a
# cold cache (safety.declarations; every test starts with an empty cache).
SESSIONS_PAGE_QUERIES = 11


def signed_in(user, *, agent=FIREFOX, ip="192.0.2.10", listed=True):
    """A browser signed in as ``user``, listed among their sessions as allauth's sign-in
    lists it (unless ``listed`` is false: then its first recorded activity lists it)."""
    browser = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=ip)
    browser.force_login(user)
    if listed:
        UserSession.objects.create(
            user=user, session_key=browser.session.session_key, ip=ip, user_agent=agent
        )
    return browser


def assert_signed_out(response, *, next_path=PAGE, status=302):
    """``response`` sends the browser to the sign-in page, to come back to ``next_path``."""
    assert response.status_code == status
    location = urlsplit(response["Location"])
    assert location.path == LOGIN
    assert parse_qs(location.query)["next"] == [next_path]


def without_tokens(response):
    """A page's HTML without its CSRF tokens (masked afresh on every page)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def sign_in_page_message(browser):
    return browser.get(LOGIN).content.decode()


@pytest.fixture
def admin_permission_holder(portal):
    """Someone in no staff group, with ``wagtailadmin.access_admin`` of their own."""
    user = UserFactory(display_name="Permission holder")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return user


@pytest.fixture
def django_staff(portal):
    return UserFactory(is_staff=True, display_name="Django staff")


STAFF = ["editor", "medic", "superuser", "django_staff", "admin_permission_holder"]


# --- Idle and absolute limits ---------------------------------------------------


@pytest.mark.parametrize("who", STAFF)
def test_staff_are_signed_out_after_30_idle_minutes(request, who, clock):
    browser = signed_in(request.getfixturevalue(who))
    assert browser.get(PAGE).status_code == 200

    clock.advance(30 * MINUTE + 2)
    response = browser.get(PAGE)

    assert_signed_out(response)
    assert "You were signed out after 30 minutes without activity" in sign_in_page_message(browser)
    # The session itself is gone, not just this one answer.
    assert_signed_out(browser.get(PAGE))
    assert not UserSession.objects.exists()


def test_staff_stay_signed_in_while_active(editor, clock):
    browser = signed_in(editor)

    for _ in range(6):
        clock.advance(29 * MINUTE)
        assert browser.get(PAGE).status_code == 200


def test_staff_are_signed_out_after_12_hours_however_active(editor, clock):
    browser = signed_in(editor)
    elapsed = 0
    while elapsed + 25 * MINUTE <= 12 * HOUR:
        clock.advance(25 * MINUTE)
        elapsed += 25 * MINUTE
        assert browser.get(PAGE).status_code == 200

    clock.advance(25 * MINUTE)

    assert_signed_out(browser.get(PAGE))
    assert "staff accounts last at most 12 hours" in sign_in_page_message(browser)


@pytest.mark.parametrize(("unsaved", "signed_out"), [(False, True), (True, False)])
def test_editor_pings_count_only_with_unsaved_changes(editor, clock, unsaved, signed_out):
    """Wagtail's page editor pings every few seconds while open: a forgotten tab is still idle."""
    browser = signed_in(editor)
    ping = "/admin/editing-sessions/ping/wagtailcore/page/1/0/"

    clock.advance(20 * MINUTE)
    browser.post(ping, {"is_editing": "1"} if unsaved else {})
    clock.advance(11 * MINUTE)
    response = browser.get(PAGE)

    if signed_out:
        assert_signed_out(response)
    else:
        assert response.status_code == 200


def test_members_are_not_signed_out_at_the_staff_limit(member, clock):
    browser = signed_in(member)

    clock.advance(31 * MINUTE)
    assert browser.get(PAGE).status_code == 200
    clock.advance(13 * HOUR)
    assert browser.get(PAGE).status_code == 200
    clock.advance(13 * DAY)
    assert browser.get(PAGE).status_code == 200


def test_members_are_signed_out_after_14_idle_days(member, clock):
    browser = signed_in(member)

    clock.advance(14 * DAY + 2)

    assert_signed_out(browser.get(PAGE))
    assert "You were signed out after 14 days without activity" in sign_in_page_message(browser)


def test_members_are_signed_out_30_days_after_signing_in(member, clock):
    browser = signed_in(member)
    for _ in range(2):
        clock.advance(13 * DAY)
        assert browser.get(PAGE).status_code == 200

    clock.advance(5 * DAY)

    assert_signed_out(browser.get(PAGE))
    assert "last at most 30 days" in sign_in_page_message(browser)


def test_a_member_made_staff_gets_the_staff_limit_within_a_minute(member, clock):
    browser = signed_in(member)
    member.groups.add(Group.objects.get(name=roles.EDITORS))

    clock.advance(MINUTE + 1)
    assert browser.get(PAGE).status_code == 200
    clock.advance(31 * MINUTE)

    assert_signed_out(browser.get(PAGE))


def test_activity_is_written_at_most_once_a_minute(member, clock):
    """A session write on every request would queue writers: once a minute is enough."""
    browser = signed_in(member)
    key = browser.session.session_key

    def stored():
        return Session.objects.get(session_key=key).session_data

    browser.get(PAGE)
    first = stored()
    clock.advance(40)
    browser.get(PAGE)
    browser.get(PAGE)
    assert stored() == first

    clock.advance(30)
    browser.get(PAGE)
    assert stored() != first
    seen = browser.session[idle.SESSION_STAMP]["seen"]
    assert UserSession.objects.get(session_key=key).last_seen_at.timestamp() == pytest.approx(seen)


def test_signing_in_starts_the_clock_and_lists_the_session(client, member, clock):
    """The real sign-in form: the session is listed at once, with its browser and address."""
    response = client.post(
        LOGIN,
        {"login": member.email, "password": TEST_PASSWORD},
        HTTP_USER_AGENT=FIREFOX,
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 302
    key = client.session.session_key
    stamp = client.session[idle.SESSION_STAMP]
    assert stamp["key"] == key
    assert stamp["staff"] is False

    listed = UserSession.objects.get(session_key=key)
    assert (listed.user, listed.ip, listed.user_agent) == (member, "198.51.100.7", FIREFOX)


def test_a_script_gets_401_with_the_reason_and_nothing_is_done(editor, clock):
    browser = signed_in(editor)
    other = signed_in(editor, agent=SAFARI_PHONE)
    clock.advance(31 * MINUTE)

    response = browser.post(SESSIONS, HTTP_ACCEPT="application/json")

    assert response.status_code == 401
    body = response.json()
    assert body["error"].startswith("You were signed out after 30 minutes without activity")
    assert body["login_url"].startswith(LOGIN + "?next=")
    # The post was not carried out: the other session was not ended by it.
    assert UserSession.objects.filter(session_key=other.session.session_key).exists()


@pytest.mark.parametrize(
    ("referer", "next_path"),
    [
        ("http://testserver/me/account/?tab=1", "/me/account/?tab=1"),
        ("https://evil.example/phish", "/"),
        ("javascript:alert(1)", "/"),
        ("", "/"),
    ],
)
def test_a_form_posted_after_the_limit_goes_back_to_its_page(editor, clock, referer, next_path):
    browser = signed_in(editor)
    clock.advance(31 * MINUTE)

    response = browser.post(SESSIONS, HTTP_REFERER=referer)

    assert_signed_out(response, next_path=next_path, status=303)


@pytest.mark.parametrize("forwarded_for", ["not-an-address", "<script>", "1.2.3.4"])
def test_activity_without_a_client_address_still_serves_the_page(
    member, clock, settings, forwarded_for
):
    """Behind a proxy that TRUSTED_PROXY_COUNT does not describe, allauth finds no address."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    browser = signed_in(member)
    clock.advance(MINUTE + 1)

    assert browser.get(PAGE, HTTP_X_FORWARDED_FOR=forwarded_for).status_code == 200
    assert (
        browser.session[idle.SESSION_STAMP]["seen"]
        > UserSession.objects.get(user=member).created_at.timestamp()
    )


def test_a_tampered_stamp_does_not_break_the_page(member):
    browser = signed_in(member)
    session = browser.session
    session[idle.SESSION_STAMP] = "<script>alert(1)</script>"
    session.save()

    assert browser.get(PAGE).status_code == 200
    assert isinstance(browser.session[idle.SESSION_STAMP], dict)


# --- The sessions page ------------------------------------------------------------


def test_account_page_links_to_the_sessions_page(member):
    assert f'href="{SESSIONS}"' in signed_in(member).get(PAGE).content.decode()


def test_sessions_page_needs_sign_in(client, portal):
    assert_signed_out(client.get(SESSIONS), next_path=SESSIONS)


def test_sessions_page_lists_own_sessions_only(member):
    here = signed_in(member, agent=FIREFOX, ip="192.0.2.10")
    phone = signed_in(member, agent=SAFARI_PHONE, ip="192.0.2.99")
    stranger = signed_in(UserFactory(), agent="Stranger-Agent/1.0", ip="203.0.113.5")

    html = here.get(SESSIONS).content.decode()

    assert "Firefox on Windows" in html
    assert "Safari on iOS" in html
    assert "192.0.2.99" in html
    assert "This browser" in html
    assert html.count("Sign out this session") == 1
    assert "Sign out all other sessions" in html
    assert "Stranger-Agent" not in html and "203.0.113.5" not in html
    # A session key is a password for the session: never on a page.
    for browser in (here, phone, stranger):
        assert browser.session.session_key not in html


def test_ended_sessions_are_not_listed(member, clock):
    here = signed_in(member)
    gone = signed_in(member, agent=SAFARI_PHONE, ip="192.0.2.99")
    gone.post("/accounts/logout/")

    html = here.get(SESSIONS).content.decode()

    assert "192.0.2.99" not in html
    assert "You are not signed in anywhere else" in html
    assert UserSession.objects.filter(user=member).count() == 1


def test_a_member_ends_another_session(member):
    here = signed_in(member)
    phone = signed_in(member, agent=SAFARI_PHONE)
    assert phone.get(PAGE).status_code == 200
    phone_row = UserSession.objects.get(session_key=phone.session.session_key)

    response = here.post(f"{SESSIONS}{phone_row.pk}/end/")

    assert response.status_code == 303
    assert response["Location"] == SESSIONS
    assert "That session is signed out" in here.get(SESSIONS).content.decode()
    assert_signed_out(phone.get(PAGE))
    assert here.get(PAGE).status_code == 200


def test_sign_out_all_other_sessions(member):
    here = signed_in(member)
    others = [signed_in(member, agent=SAFARI_PHONE) for _ in range(3)]

    response = here.post(SESSIONS)

    assert response.status_code == 303
    for browser in others:
        assert_signed_out(browser.get(PAGE))
    assert here.get(PAGE).status_code == 200
    assert list(UserSession.objects.filter(user=member).values_list("session_key", flat=True)) == [
        here.session.session_key
    ]


def test_someone_elses_session_answers_like_a_missing_one(member):
    here = signed_in(member)
    stranger = signed_in(UserFactory())
    theirs = UserSession.objects.get(session_key=stranger.session.session_key)

    someone_elses = here.post(f"{SESSIONS}{theirs.pk}/end/")
    missing = here.post(f"{SESSIONS}{theirs.pk + 1000}/end/")

    assert someone_elses.status_code == missing.status_code == 404
    assert without_tokens(someone_elses) == without_tokens(missing)
    assert stranger.get(PAGE).status_code == 200


def test_the_current_session_is_not_ended_by_its_id(member):
    here = signed_in(member)
    mine = UserSession.objects.get(session_key=here.session.session_key)

    assert here.post(f"{SESSIONS}{mine.pk}/end/").status_code == 404
    assert here.get(PAGE).status_code == 200


@pytest.mark.parametrize(
    "session_id", ["abc", "-1", "1e3", "0x10", "99999999999999999999999999", "1%20OR%201=1"]
)
def test_hostile_session_ids_answer_404(member, session_id):
    here = signed_in(member)

    assert here.post(f"{SESSIONS}{session_id}/end/").status_code == 404


def test_ending_needs_post_sign_in_and_the_csrf_token(client, member):
    phone = signed_in(member, agent=SAFARI_PHONE)
    row = UserSession.objects.get(session_key=phone.session.session_key)
    url = f"{SESSIONS}{row.pk}/end/"

    assert signed_in(member).get(url).status_code == 405
    anonymous = client.post(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(LOGIN)
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(member)
    assert forged.post(url).status_code == 403
    assert forged.post(SESSIONS).status_code == 403
    assert phone.get(PAGE).status_code == 200


def test_hostile_browser_descriptions_are_escaped_and_cut(member, clock):
    here = signed_in(member)
    hostile = '<script>alert("ua")</script>"><img src=x onerror=alert(1)>'
    long = "A" * 10_000
    browsers = [signed_in(member, agent=agent, listed=False) for agent in (hostile, long)]
    clock.advance(MINUTE + 1)
    for browser in browsers:
        assert browser.get(PAGE).status_code == 200  # activity lists the session

    html = here.get(SESSIONS).content.decode()

    assert html.count("Sign out this session") == 2
    assert '<script>alert("ua")' not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;ua&quot;)" in html
    assert "A" * 200 in html and "A" * 201 not in html


@pytest.mark.parametrize("who", ["member", "editor"])
def test_sessions_page_says_how_long_sessions_last(request, who):
    html = signed_in(request.getfixturevalue(who)).get(SESSIONS).content.decode()

    if who == "editor":
        assert "As a member of staff, you are signed out after 30 minutes" in html
    else:
        assert "signed out after 14 days without activity, and 30 days after signing in" in html


@pytest.mark.parametrize("others", [1, 8])
def test_sessions_page_query_count_does_not_grow(member, django_assert_max_num_queries, others):
    here = signed_in(member)
    for _ in range(others):
        signed_in(member, agent=SAFARI_PHONE)

    with django_assert_max_num_queries(SESSIONS_PAGE_QUERIES):
        response = here.get(SESSIONS)

    assert response.status_code == 200
    assert response.content.decode().count("Sign out this session") == others


@pytest.mark.parametrize(
    ("agent", "name"),
    [
        (FIREFOX, "Firefox on Windows"),
        (SAFARI_PHONE, "Safari on iOS"),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 "
            "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
            "Edge on macOS",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Mobile Safari/537.36",
            "Chrome on Android",
        ),
        ("curl/8.5.0", "An unknown browser"),
        ("", "An unknown browser"),
    ],
)
def test_device_names(agent, name):
    assert device_name(agent) == name
