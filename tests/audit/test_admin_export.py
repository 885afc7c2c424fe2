"""Reports › Access log: who may read and export it, what the CSV holds, hostile filters."""

import csv
import io
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

import pytest
from bs4 import BeautifulSoup

from audit.models import AccessRecord
from audit.selectors import viewer_reference
from tests.factories import UserFactory
from tests.xss import PAYLOADS

pytestmark = pytest.mark.django_db

URL = "/admin/audit/access/"


def record(subject, viewer, *, role="Editors", what="draft", purpose="review", ago=0, ref=""):
    return AccessRecord.objects.create(
        subject=subject,
        viewer=viewer,
        viewer_role=role,
        what=what,
        purpose=purpose,
        object_ref=ref or f"page:{subject.pk}",
        at=timezone.now() - timedelta(days=ago),
    )


@pytest.fixture
def log(writer, member, editor, medic, pv):
    return [
        record(writer, editor, ref="page:11"),
        record(writer, medic, role="Medical reviewers", what="in_review", ago=3, ref="page:12"),
        record(member, pv, role="Pharmacovigilance", what="safety_case", purpose="safety", ago=10),
    ]


def export(client, **params):
    response = client.get(URL, {**params, "export": "csv"})
    assert response.status_code == 200, response.status_code
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_url():
    assert reverse("kindred_audit:access") == URL


@pytest.mark.parametrize("who", ["member", "editor", "medic", "pv", "manager", "expert"])
def test_everyone_else_is_refused(client, request, who, log):
    client.force_login(request.getfixturevalue(who))

    for params in ({}, {"export": "csv"}, {"export": "xlsx"}):
        response = client.get(URL, params)
        assert response.status_code in (302, 403)
        assert b"page:11" not in response.content

    home = client.get(reverse("wagtailadmin_home"))
    assert URL.encode() not in home.content or home.status_code != 200


def test_visitors_are_sent_to_sign_in(client, log):
    response = client.get(URL, {"export": "csv"})

    assert response.status_code == 302
    assert "login" in response.url


@pytest.mark.parametrize("who", ["dpo", "superuser"])
def test_data_protection_and_superusers_see_and_export_everything(
    client, request, who, log, writer, editor
):
    client.force_login(request.getfixturevalue(who))

    listing = client.get(URL)
    rows = export(client)
    xlsx = client.get(URL, {"export": "xlsx"})

    assert listing.status_code == 200
    assert len(BeautifulSoup(listing.content, "html.parser").select("table tbody tr")) == 3
    # The listing's rows carry the labels (decorated once, after pagination).
    text = listing.content.decode()
    assert f"{writer.username} (#{writer.pk})" in text
    assert f"{editor.username} (#{editor.pk})" in text
    assert len(rows) == 3
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    body = b"".join(xlsx.streaming_content) if xlsx.streaming else xlsx.content
    assert body[:2] == b"PK"
    # The menu item under Reports.
    assert URL.encode() in client.get(reverse("wagtailadmin_home")).content


def test_the_csv_names_the_member_the_staff_account_and_the_reference(
    client, dpo, log, writer, editor
):
    client.force_login(dpo)

    rows = export(client)

    newest = rows[0]
    assert newest["Member id"] == str(writer.pk)
    assert newest["Member"] == f"{writer.username} (#{writer.pk})"
    assert newest["Staff account id"] == str(editor.pk)
    assert newest["Opened by"] == f"{editor.username} (#{editor.pk})"
    assert newest["Reference the member sees"] == viewer_reference(editor.pk)
    assert newest["Role"] == "Editors"
    assert newest["What"] == "draft"
    assert newest["Why"] == "review"
    assert newest["Object"] == "page:11"
    # Newest first.
    assert [row["Object"] for row in rows][:2] == ["page:11", "page:12"]


def test_filters(client, dpo, log, writer, member):
    client.force_login(dpo)

    assert {row["Member id"] for row in export(client, member=writer.pk)} == {str(writer.pk)}
    assert [row["Role"] for row in export(client, role="Pharmacovigilance")] == [
        "Pharmacovigilance"
    ]
    assert [row["Why"] for row in export(client, purpose="safety")] == ["safety"]
    assert [row["What"] for row in export(client, what="in_review")] == ["in_review"]
    today = timezone.localdate()
    recent = export(client, since=(today - timedelta(days=5)).isoformat())
    assert [row["Object"] for row in recent] == ["page:11", "page:12"]
    older = export(client, until=(today - timedelta(days=5)).isoformat())
    assert [row["Member id"] for row in older] == [str(member.pk)]


@pytest.mark.parametrize(
    "params",
    [
        {"member": "abc"},
        {"member": "-1"},
        {"member": "0"},
        {"member": "9" * 40},
        {"member": "1.5"},
        {"role": "Janitor"},
        {"purpose": "curiosity"},
        {"what": "everything"},
        {"since": "yesterday"},
        {"since": "2026-02-30"},
        {"until": "99999-01-01"},
        {"since": "0000-01-01"},
        {"member": PAYLOADS[0]},
        {"role": "x" * 10_000},
    ],
)
def test_hostile_filters_are_a_clear_message_never_everything(client, dpo, log, params):
    client.force_login(dpo)

    listing = client.get(URL, params)
    download = client.get(URL, {**params, "export": "csv"})

    assert listing.status_code == 200
    html = listing.content.decode()
    assert "could not be read, so nothing is listed" in html
    assert "page:11" not in html and "page:12" not in html
    assert "<script>alert" not in html
    # A download with a filter that was not understood is no download of everything.
    assert download.status_code == 400
    assert "could not be read" in download.content.decode()


def test_extreme_but_valid_dates_do_not_fail(client, dpo, log):
    client.force_login(dpo)

    assert export(client, since="0001-01-01", until="9999-12-31").__len__() == 3
    assert export(client, since="9999-12-31") == []
    assert export(client, member=2**31 - 1) == []


def test_a_record_of_a_deleted_staff_account_still_exports(client, dpo, writer):
    gone = UserFactory()
    record(writer, gone)
    gone.delete()
    client.force_login(dpo)

    [row] = export(client)

    assert row["Opened by"] == "A deleted account"
    assert row["Reference the member sees"] == "S-deleted"


def test_formulas_in_a_username_are_neutralised(client, dpo):
    evil = UserFactory(username="=HYPERLINK(1)")
    record(evil, UserFactory())
    client.force_login(dpo)

    [row] = export(client)

    assert row["Member"].startswith("'=")


@pytest.mark.parametrize("count", [3, 30])
def test_the_listing_costs_the_same_for_3_and_30_rows(
    client, dpo, writer, editor, count, django_assert_max_num_queries
):
    for n in range(count):
        record(writer, editor, ref=f"page:{n}")
    client.force_login(dpo)
    client.get(URL)

    with django_assert_max_num_queries(20):
        response = client.get(URL)

    assert response.status_code == 200
