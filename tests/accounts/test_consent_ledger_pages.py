"""Where the consent ledger is read: the member's account page and the DPO's admin report.

The member sees their own entries only; the report is for the Data protection
group and superusers, lists and exports every entry by user id and username,
neutralises formulas, and answers hostile filters with words, never a 500.
"""

import csv
import io
from datetime import UTC, datetime

from django.test import Client

import pytest
from openpyxl import load_workbook

from accounts.models import ConsentEvent
from accounts.services import consent_withdraw, member_register
from communities.services import membership_join
from core import consent, roles
from tests.factories import UserFactory
from tests.factories.communities import CommunityPageFactory

pytestmark = pytest.mark.django_db

LEDGER = "/admin/consent-ledger/"
# The account page's queries as tests/accounts/test_account_page.py counts them
# (ACCOUNT_PAGE_QUERIES, with the ledger's two), and when the history names
# communities and items, one query for each kind of title. Measured on SQLite and
# PostgreSQL with 3 and 30 of each; it must not grow with the entries.
ACCOUNT_PAGE_QUERIES = 16
LEDGER_QUERIES = 12


def add(user, *, kind="guidelines", action="grant", scope="", at=None, channel="system"):
    return ConsentEvent.objects.create(
        user_id=user.pk if hasattr(user, "pk") else user,
        kind=kind,
        action=action,
        version="1",
        scope=scope,
        channel=channel,
        at=at or datetime(2026, 11, 30, 10, 0, tzinfo=UTC),
    )


@pytest.fixture
def joined(member):
    member.groups.clear()
    member_register(user=member)
    return member


@pytest.fixture
def dpo(portal):
    return UserFactory(group=roles.DATA_PROTECTION, display_name="Dee Protection")


@pytest.fixture
def pv(portal):
    return UserFactory(group=roles.PHARMACOVIGILANCE, display_name="Pat Vigilance")


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


# --- The account page -------------------------------------------------------------


def test_the_account_page_lists_the_members_own_ledger(joined, community_index, blog_index):
    place = CommunityPageFactory(parent=community_index, title="Pacing circle")
    membership_join(user=joined, community=place, accept_rules=True, rules_version=1)
    consent_withdraw(user=joined, kind=consent.HEALTH_DATA)
    from tests.factories import BlogPageFactory

    item = BlogPageFactory(parent=blog_index, author=joined, owner=joined, title="Winter notes")
    add(joined, kind="sharing", scope=f"page:{item.pk}", channel="writing_form")

    html = signed_in(joined).get("/me/account/").content.decode()

    assert "Sign-up form" in html
    assert "Withdrawn, version " + consent.CURRENT[consent.HEALTH_DATA].version in html
    assert "Your consent history" in html
    assert "Accepted the rules of “Pacing circle” (version 1)" in html
    assert "Allowed sharing outside Kindred of “Winter notes”" in html
    assert "Writing form" in html


def test_another_members_entries_never_show(joined, community_index, blog_index):
    from tests.factories import BlogPageFactory

    other = UserFactory(group=roles.MEMBERS)
    secret_place = CommunityPageFactory(parent=community_index, title="Zqothercanary circle")
    membership_join(user=other, community=secret_place, accept_rules=True, rules_version=1)
    their_item = BlogPageFactory(parent=blog_index, author=other, title="Zqotheritem")
    add(other, kind="sharing", scope=f"page:{their_item.pk}", channel="writing_form")
    add(other, kind="health_data", action="withdraw", channel="welcome")
    # An entry of the member's naming someone else's item (it cannot happen through
    # the services): the title is still not shown.
    add(joined, kind="sharing", scope=f"page:{their_item.pk}")

    html = signed_in(joined).get("/me/account/").content.decode()

    assert "zqother" not in html.lower()
    assert "Welcome page" not in html
    assert "an item that no longer exists" in html


def test_a_member_without_community_or_sharing_entries_is_told_so(joined):
    html = signed_in(joined).get("/me/account/").content.decode()

    assert "Nothing yet" in html


@pytest.mark.parametrize("count", [0, 3, 30])
def test_the_account_page_query_count_is_flat(
    joined, community_index, blog_index, count, django_assert_max_num_queries
):
    from tests.factories import BlogPageFactory

    for n in range(count):
        place = CommunityPageFactory(parent=community_index)
        add(joined, kind="community_rules", scope=f"community:{place.pk}")
        item = BlogPageFactory(parent=blog_index, author=joined, owner=joined)
        add(joined, kind="sharing", scope=f"page:{item.pk}")
        add(joined, kind="health_data", action="withdraw" if n % 2 else "grant")
    client = signed_in(joined)

    with django_assert_max_num_queries(ACCOUNT_PAGE_QUERIES):
        response = client.get("/me/account/")

    assert response.status_code == 200


def test_the_account_page_has_no_inline_style_or_script(joined):
    html = signed_in(joined).get("/me/account/").content.decode()

    assert "<style" not in html
    assert "style=" not in html
    assert "<script>" not in html


# --- The admin report: who may see it -----------------------------------------


def test_visitors_are_sent_to_sign_in(client, portal):
    response = client.get(LEDGER)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={LEDGER}"


@pytest.mark.parametrize("who", ["member", "editor", "medic", "manager", "pv"])
def test_everyone_else_is_refused(request, who):
    user = request.getfixturevalue(who)
    add(user, kind="health_data")

    for url in (LEDGER, LEDGER + "?export=csv", LEDGER + "results/"):
        response = signed_in(user).get(url)
        assert response.status_code in (302, 403), url
        assert b"health_data" not in response.content
        if response.status_code == 302:
            assert response["Location"].startswith(("/admin/", "/accounts/login"))


@pytest.mark.parametrize("who", ["dpo", "superuser"])
def test_the_data_protection_group_and_superusers_see_it(request, who, joined):
    user = request.getfixturevalue(who)

    response = signed_in(user).get(LEDGER)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Consent ledger" in html
    assert joined.username in html


def test_the_menu_item_shows_only_to_those_who_may_export(dpo, editor):
    dashboard = "/admin/"

    assert LEDGER in signed_in(dpo).get(dashboard).content.decode()
    assert LEDGER not in signed_in(editor).get(dashboard).content.decode()


# --- The admin report: contents ------------------------------------------------


def body(response):
    return b"".join(response.streaming_content).decode("utf-8-sig")


def csv_rows(client, query=""):
    response = client.get(LEDGER + "?export=csv" + query)
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(body(response))))


def test_the_csv_holds_every_entry_by_id_and_username_and_nothing_personal(dpo, joined):
    joined.email = "heron@example.org"
    joined.display_name = "Quiet Heron"
    joined.save()

    rows = csv_rows(signed_in(dpo))

    guidelines = consent.CURRENT[consent.GUIDELINES].version
    health = consent.CURRENT[consent.HEALTH_DATA].version
    # Newest first: sign-up records the guidelines, then health data.
    assert [
        (r["User id"], r["Username"], r["Consent"], r["Action"], r["Version"], r["Channel"])
        for r in rows
    ] == [
        (str(joined.pk), joined.username, "health_data", "grant", health, "sign_up"),
        (str(joined.pk), joined.username, "guidelines", "grant", guidelines, "sign_up"),
    ]
    download = body(signed_in(dpo).get(LEDGER + "?export=csv"))
    assert "heron@example.org" not in download
    assert "Quiet Heron" not in download


def test_a_deleted_account_stays_in_the_export_as_its_id(dpo, joined):
    user_id = joined.pk
    joined.delete()

    rows = csv_rows(signed_in(dpo))

    assert {(r["User id"], r["Username"]) for r in rows} == {(str(user_id), "(account deleted)")}


@pytest.mark.parametrize("username", ['=HYPERLINK("http://evil/","x")', "+1+1", "-2+3", "@SUM(A1)"])
def test_formulas_are_neutralised_in_the_csv(dpo, portal, username):
    user = UserFactory(username=username)
    add(user)

    rows = csv_rows(signed_in(dpo))

    assert [r["Username"] for r in rows] == ["'" + username]


def test_the_xlsx_holds_the_same_rows(dpo, joined):
    response = signed_in(dpo).get(LEDGER + "?export=xlsx")

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.values)
    assert values[0][:4] == ("Entry", "When (UTC)", "User id", "Username")
    assert sorted(row[4] for row in values[1:]) == ["guidelines", "health_data"]
    assert {row[3] for row in values[1:]} == {joined.username}


def test_filters_select_kind_action_and_days(dpo, portal):
    person = UserFactory()
    add(person, kind="guidelines", at=datetime(2026, 10, 1, 12, tzinfo=UTC))
    add(person, kind="health_data", action="withdraw", at=datetime(2026, 11, 2, 23, 59, tzinfo=UTC))
    add(person, kind="sharing", scope="page:7", at=datetime(2026, 11, 3, 0, 1, tzinfo=UTC))
    client = signed_in(dpo)

    assert [r["Consent"] for r in csv_rows(client, "&kind=sharing")] == ["sharing"]
    assert [r["Consent"] for r in csv_rows(client, "&action=withdraw")] == ["health_data"]
    days = "&at_from=2026-11-01&at_to=2026-11-02"
    assert [r["Consent"] for r in csv_rows(client, days)] == ["health_data"]
    assert [r["Scope"] for r in csv_rows(client, "&kind=sharing")] == ["page:7"]


@pytest.mark.parametrize(
    "query",
    [
        "kind=everything",
        "action=<script>alert(1)</script>",
        "channel=" + "x" * 10000,
        "at_from=2026-13-45",
        "at_to=not-a-date",
        "at_from=99999-01-01",
        "kind=guidelines&at_to=2026-02-30",
    ],
)
def test_hostile_filters_are_answered_with_words(dpo, joined, query):
    client = signed_in(dpo)

    page = client.get(LEDGER + "?" + query)
    export = client.get(LEDGER + "?export=csv&" + query)

    assert page.status_code == 200
    html = page.content.decode()
    assert "could not be read" in html
    assert joined.username not in html  # nothing listed rather than everything
    assert "<script>alert(1)</script>" not in html
    assert export.status_code == 400
    assert "could not be read" in export.content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_the_report_query_count_is_flat(dpo, portal, count, django_assert_max_num_queries):
    for n in range(count):
        add(UserFactory(), kind="sharing", scope=f"page:{n}")
    client = signed_in(dpo)

    with django_assert_max_num_queries(LEDGER_QUERIES):
        assert client.get(LEDGER).status_code == 200
    with django_assert_max_num_queries(LEDGER_QUERIES):
        assert client.get(LEDGER + "?export=csv").status_code == 200
