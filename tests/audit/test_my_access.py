"""/me/access/: the member's own access log, and its place on the account page."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest
from bs4 import BeautifulSoup

from audit.models import AccessRecord
from audit.selectors import viewer_reference
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/me/access/"


def make_rows(subject, viewer, count, *, role="Editors", what="draft", purpose="review"):
    """``count`` records, one minute apart, the newest first in time (minute 0)."""
    now = timezone.now()
    return AccessRecord.objects.bulk_create(
        AccessRecord(
            subject=subject,
            viewer=viewer,
            viewer_role=role,
            what=what,
            purpose=purpose,
            object_ref=f"page:{n}",
            at=now - timedelta(minutes=n),
        )
        for n in range(count)
    )


def table_rows(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [
        [cell.get_text(" ", strip=True) for cell in tr.select("td")]
        for tr in soup.select("table.access-log tbody tr")
    ]


def test_the_url_is_reversible():
    assert reverse("audit:mine") == URL


def test_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert "login" in response.url


def test_a_member_sees_their_rows_with_role_reference_what_and_why_never_a_name(
    client, writer, editor
):
    make_rows(writer, editor, 1, role="Editors", what="held_comment", purpose="moderation")
    client.force_login(writer)

    response = client.get(URL)

    assert response.status_code == 200
    [row] = table_rows(response)
    assert row[1] == f"Editors {viewer_reference(editor.pk)}"
    assert row[2] == "A comment of yours held for moderation"
    assert row[3] == "Moderation"
    html = response.content.decode()
    assert editor.display_name not in html
    assert editor.username not in html
    assert "not public" in html  # the explanation
    cache = response["Cache-Control"]
    assert "private" in cache and "no-store" in cache


def test_another_members_rows_never_show(client, writer, member, editor, medic):
    make_rows(writer, editor, 2, role="Editors", what="draft")
    make_rows(member, medic, 3, role="Medical reviewers", what="safety_case", purpose="safety")
    client.force_login(member)

    shown = table_rows(client.get(URL))

    assert len(shown) == 3
    assert all(row[1].startswith("Medical reviewers ") for row in shown)
    assert all(row[2] == "A safety case about something you wrote" for row in shown)


def test_a_member_without_rows_is_told_so(client, writer):
    client.force_login(writer)

    response = client.get(URL)

    assert table_rows(response) == []
    assert "Nobody working for Kindred has opened" in response.content.decode()


def test_newest_first_25_a_page(client, writer, editor):
    records = make_rows(writer, editor, 30)
    # make_rows: record n is n minutes old, so the list is in creation order.
    client.force_login(writer)

    first = client.get(URL)
    second = client.get(URL, {"page": 2})

    first_times = [
        tr["datetime"]
        for tr in BeautifulSoup(first.content, "html.parser").select("table.access-log time")
    ]
    assert len(first_times) == 25
    assert first_times == sorted(first_times, reverse=True)
    # The newest record (make_rows' first, a minute younger than the next) leads.
    assert first_times[0] > first_times[1]
    assert records[0].at > records[1].at
    assert len(table_rows(second)) == 5
    assert 'rel="next"' in first.content.decode()


@pytest.mark.parametrize(
    "page", ["0", "-1", "abc", "999999", "9" * 400, "1.5", "<script>alert(1)</script>", ""]
)
def test_hostile_page_numbers_give_a_valid_page(client, writer, editor, page):
    make_rows(writer, editor, 30)
    client.force_login(writer)

    response = client.get(URL, {"page": page})

    assert response.status_code == 200
    assert len(table_rows(response)) in (25, 5)
    assert "<script>alert(1)" not in response.content.decode()


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_query_count_is_flat_for_3_and_30_rows(
    client, writer, member, editor, medic, django_assert_max_num_queries
):
    make_rows(writer, editor, 2)
    make_rows(writer, medic, 1, role="Medical reviewers")
    make_rows(member, editor, 15)
    make_rows(member, medic, 15, role="Medical reviewers")
    client.force_login(writer)
    client.get(URL)  # warm the per-process caches (site, settings)
    few = _queries(client, URL)
    client.force_login(member)
    client.get(URL)
    many = _queries(client, URL)

    assert few == many
    with django_assert_max_num_queries(12):
        client.get(URL)


def test_the_account_page_links_to_it(client, writer):
    client.force_login(writer)

    html = client.get(reverse("accounts:account")).content.decode()

    soup = BeautifulSoup(html, "html.parser")
    section = soup.select_one("section.account-access")
    assert section is not None
    assert section.select_one(f'a[href="{URL}"]') is not None


def test_post_is_refused(client, writer):
    client.force_login(writer)

    assert client.post(URL).status_code == 405


def test_a_deleted_staff_account_is_shown_as_such(client, writer):
    gone = UserFactory()
    make_rows(writer, gone, 1)
    gone.delete()
    client.force_login(writer)

    [row] = table_rows(client.get(URL))

    assert row[1] == "Editors S-deleted"
