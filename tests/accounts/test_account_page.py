"""The account page: address, password, consent records; giving consent again."""

from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction
from django.test import Client

import pytest

from accounts.models import Consent
from accounts.selectors import has_current_consent
from accounts.services import consent_give, consent_withdraw, member_register
from core import consent

pytestmark = pytest.mark.django_db

# Session, user, primary address, consent records; the shared layout adds
# six (site, navigation sections, view restrictions, the user bar's permissions)
# and the notification bell's unread count. Issue 16: the consent ledger two (the
# entries for the texts, those about communities and sharing), the sections one.
ACCOUNT_PAGE_QUERIES = 14


@pytest.fixture
def joined(member):
    """A member who signed up normally: both consents on record."""
    member.groups.clear()
    member_register(user=member)
    return member


def test_account_page_needs_sign_in(client, portal):
    response = client.get("/me/account/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/me/account/"


def test_account_page_shows_address_links_and_consents(client, joined):
    Consent.objects.filter(user=joined).update(given_at=datetime(2026, 11, 27, 9, 5, tzinfo=UTC))
    client.force_login(joined)

    response = client.get("/me/account/")

    assert response.status_code == 200
    html = response.content.decode()
    assert joined.email in html
    assert 'href="/accounts/email/"' in html
    assert 'href="/accounts/password/change/"' in html
    for text in consent.CURRENT.values():
        assert text.title in html
        assert text.version in html
    assert "27 November 2026 at 09:05 (UTC)" in html
    assert 'href="/me/account/consent/health-data/withdraw/"' in html


def test_account_page_is_private_and_never_cached(client, joined):
    client.force_login(joined)

    response = client.get("/me/account/")

    cache_control = response["Cache-Control"]
    assert "private" in cache_control
    assert "no-store" in cache_control


@pytest.mark.parametrize("records", [0, 2, 12])
def test_account_page_query_count_does_not_grow(
    client, member, django_assert_max_num_queries, records
):
    for _ in range(records // 2):
        consent_give(user=member, kind=consent.HEALTH_DATA)
        consent_withdraw(user=member, kind=consent.HEALTH_DATA)
    client.force_login(member)

    with django_assert_max_num_queries(ACCOUNT_PAGE_QUERIES):
        response = client.get("/me/account/")

    assert response.status_code == 200


def test_withdrawn_consent_shows_when_and_offers_to_give_it_again(client, joined):
    consent_withdraw(user=joined, kind=consent.HEALTH_DATA)
    client.force_login(joined)

    html = client.get("/me/account/").content.decode()

    assert "Not given" in html
    assert 'action="/me/account/consent/health_data/give/"' in html
    assert "Withdraw my consent" not in html


def test_giving_consent_again_records_a_new_row_at_the_current_version(client, joined):
    consent_withdraw(user=joined, kind=consent.HEALTH_DATA)
    client.force_login(joined)

    response = client.post("/me/account/consent/health_data/give/")

    assert response.status_code == 302
    assert response["Location"] == "/me/account/"
    records = list(Consent.objects.filter(user=joined, kind=consent.HEALTH_DATA))
    assert len(records) == 2
    newest, oldest = records
    assert newest.withdrawn_at is None and oldest.withdrawn_at is not None
    assert newest.version == consent.CURRENT[consent.HEALTH_DATA].version
    assert has_current_consent(joined, consent.HEALTH_DATA)


def test_giving_consent_twice_makes_one_record(client, joined):
    client.force_login(joined)

    client.post("/me/account/consent/health_data/give/")
    client.post("/me/account/consent/health_data/give/")

    assert Consent.objects.filter(user=joined, kind=consent.HEALTH_DATA).count() == 1


def test_outdated_consent_is_not_current_until_given_again(client, joined):
    Consent.objects.filter(user=joined, kind=consent.GUIDELINES).update(version="2025-01")
    client.force_login(joined)

    assert not has_current_consent(joined, consent.GUIDELINES)
    html = client.get("/me/account/").content.decode()
    assert "We have updated this text" in html

    client.post("/me/account/consent/guidelines/give/")

    assert has_current_consent(joined, consent.GUIDELINES)
    versions = set(
        Consent.objects.filter(user=joined, kind=consent.GUIDELINES).values_list(
            "version", flat=True
        )
    )
    assert versions == {"2025-01", consent.CURRENT[consent.GUIDELINES].version}


@pytest.mark.parametrize("kind", ["marketing", "x" * 10_000, "%3Cscript%3E", "HEALTH_DATA"])
def test_unknown_consent_kind_is_a_404(client, joined, kind):
    client.force_login(joined)

    assert client.post(f"/me/account/consent/{kind}/give/").status_code == 404


def test_consent_changes_need_post(client, joined):
    client.force_login(joined)

    assert client.get("/me/account/consent/health_data/give/").status_code == 405
    assert client.put("/me/account/consent/health-data/withdraw/").status_code == 405
    assert client.post("/me/account/").status_code == 405
    assert has_current_consent(joined, consent.HEALTH_DATA)


def test_consent_changes_need_sign_in(client, portal):
    response = client.post("/me/account/consent/health_data/give/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Consent.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/me/account/consent/health_data/give/",
        "/me/account/consent/health-data/withdraw/",
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/logout/",
    ],
)
def test_every_change_needs_a_csrf_token(joined, path):
    if "give" in path:
        consent_withdraw(user=joined, kind=consent.HEALTH_DATA)
    client = Client(enforce_csrf_checks=True)
    client.force_login(joined)
    before = list(Consent.objects.values_list("pk", "withdrawn_at"))

    response = client.post(path, {"email": "new@example.org", "oldpassword": "x"})

    assert response.status_code == 403
    assert list(Consent.objects.values_list("pk", "withdrawn_at")) == before
    assert client.get("/me/account/").status_code == 200, "still signed in"


@pytest.mark.parametrize(
    "path", ["/accounts/signup/", "/accounts/login/", "/accounts/password/reset/"]
)
def test_anonymous_forms_need_a_csrf_token(portal, path, signup_data):
    client = Client(enforce_csrf_checks=True)

    response = client.post(path, signup_data())

    assert response.status_code == 403


def test_consent_texts_are_public_pages(client, portal):
    for path, kind in (
        ("/guidelines/", consent.GUIDELINES),
        ("/privacy/health-data/", consent.HEALTH_DATA),
    ):
        response = client.get(path)
        assert response.status_code == 200
        html = response.content.decode()
        assert consent.CURRENT[kind].title in html
        assert f"Version {consent.CURRENT[kind].version}" in html


def test_consent_record_rejects_withdrawal_before_it_was_given(joined):
    record = Consent.objects.filter(user=joined).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.filter(pk=record.pk).update(
            withdrawn_at=record.given_at - timedelta(seconds=1)
        )
