"""The Safety inbox in the admin (safety.admin_*): who sees cases, what a case page shows,
every view and change in its history, hostile input, the CSV row, query counts."""

import csv
import io
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from wagtail.models import ModelLogEntry

import pytest
from bs4 import BeautifulSoup

from core import roles
from safety.admin_forms import REASON_NEEDED
from safety.models import CaseNote, SafetyCase
from safety.services.cases import CASE_NOTE_ADDED, CASE_UPDATED, CASE_VIEWED
from tests.factories import BlogPageFactory, UserFactory
from tests.safety.test_deadlines import make_case
from tests.xss import PAYLOADS, assert_harmless

pytestmark = pytest.mark.django_db

INBOX = "safety_cases:index"
SECRET = "qzsecretexcerptvx"


@pytest.fixture
def pv(portal):
    return UserFactory(group=roles.PHARMACOVIGILANCE, display_name="Pat Vigilance")


@pytest.fixture
def case(blog_index, member):
    page = BlogPageFactory(parent=blog_index, author=member, title="Starting fingolimod")
    excerpt = f"Since fingolimod I have had awful headaches. {SECRET}"
    return make_case(
        opened=timezone.localdate(),
        excerpt=excerpt,
        matches=[
            {"start": 6, "end": 16, "kind": "medicine", "label": "fingolimod"},
            {
                "start": excerpt.index("headaches"),
                "end": excerpt.index("headaches") + 9,
                "kind": "event",
                "label": "headache",
            },
        ],
        page=page,
        author=member,
        patient="The author",
        reporter="The author",
    )


def urls(case):
    return [
        reverse(INBOX),
        reverse(INBOX) + "?export=csv",
        reverse("safety_cases:edit", args=(case.pk,)),
        reverse("safety_cases:history", args=(case.pk,)),
        reverse("safety_cases:print", args=(case.pk,)),
        reverse("safety_cases:csv", args=(case.pk,)),
    ]


def refused(response):
    """Wagtail's refusal: 403, or sent to the admin's home (staff) or the sign-in."""
    if response.status_code == 403:
        return True
    return response.status_code == 302 and not response.url.startswith("/admin/safety/")


def edit_data(case, **fields):
    data = {
        "patient": case.patient,
        "reporter": case.reporter,
        "reporter_contact": case.reporter_contact,
        "medicine": case.medicine,
        "event": case.event,
        "status": case.status,
        "not_reportable_reason": case.not_reportable_reason,
        "assignee": case.assignee_id or "",
    }
    if case.serious:
        data["serious"] = "on"
    for name, value in fields.items():
        if name == "serious":
            if value:
                data["serious"] = "on"
            else:
                data.pop("serious", None)
        else:
            data[name] = value
    return data


def logged(case, action=None):
    entries = ModelLogEntry.objects.filter(object_id=str(case.pk)).order_by("pk")
    if action:
        entries = entries.filter(action=action)
    return list(entries)


def text_of(response):
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


# --- Who sees what ---------------------------------------------------------------------


@pytest.mark.parametrize("role", ["pv", "superuser"])
def test_pharmacovigilance_and_superusers_see_the_inbox_and_cases(request, client, case, role):
    client.force_login(request.getfixturevalue(role))

    for url in urls(case):
        response = client.get(url)
        assert response.status_code == 200, url
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse(INBOX) in home


def test_anonymous_visitors_are_sent_to_sign_in(client, case):
    for url in urls(case):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("account_login")), url


@pytest.mark.parametrize("role", ["member", "expert", "editor", "medic", "manager"])
def test_nobody_else_sees_cases(request, client, case, role):
    user = request.getfixturevalue(role)
    client.force_login(user)

    for url in urls(case):
        response = client.get(url)
        assert refused(response), (url, response.status_code)
        assert SECRET not in response.content.decode()
    # Nor may they change one or add a note.
    response = client.post(
        reverse("safety_cases:edit", args=(case.pk,)), edit_data(case, medicine="changed")
    )
    assert refused(response)
    response = client.post(reverse("safety_cases:note_add", args=(case.pk,)), {"text": "x"})
    assert refused(response)
    case.refresh_from_db()
    assert case.medicine == "fingolimod"
    assert not CaseNote.objects.exists()
    assert not logged(case)
    if user.has_perm("wagtailadmin.access_admin"):
        home = client.get(reverse("wagtailadmin_home")).content.decode()
        assert reverse(INBOX) not in home
        assert "Safety" not in BeautifulSoup(home, "html.parser").get_text()


def test_the_viewset_offers_no_add_copy_or_delete(client, superuser, case):
    client.force_login(superuser)
    for path in (
        "/admin/safety/cases/new/",
        f"/admin/safety/cases/delete/{case.pk}/",
        f"/admin/safety/cases/copy/{case.pk}/",
    ):
        assert client.get(path).status_code == 404, path
    assert SafetyCase.objects.count() == 1


# --- The inbox --------------------------------------------------------------------------


def test_the_inbox_lists_the_overdue_first_and_counts_them(client, pv):
    today = timezone.localdate()
    late = make_case(
        opened=today - timedelta(days=9),
        medicine="qzlatemedvx",
        triage_due=today - timedelta(days=3),
    )
    make_case(opened=today, medicine="qzfreshmedvx")
    client.force_login(pv)

    response = client.get(reverse(INBOX))

    html = response.content.decode()
    assert html.index("qzlatemedvx") < html.index("qzfreshmedvx")
    soup = BeautifulSoup(html, "html.parser")
    assert "1 overdue" in soup.find(id="safety-inbox-counts").get_text()
    warning = soup.find(class_="safety-overdue", string="overdue by 3 days")
    assert warning is not None
    assert late.reference in text_of(response)


def test_the_inbox_filters_by_status_assignee_serious_and_overdue(client, pv):
    today = timezone.localdate()
    make_case(opened=today, medicine="qzmineVX", assignee=pv)
    make_case(opened=today, medicine="qzseriousVX", serious=True)
    make_case(opened=today, medicine="qztriagedVX", status=SafetyCase.Status.TRIAGED)
    make_case(
        opened=today - timedelta(days=5),
        medicine="qzlateVX",
        triage_due=today - timedelta(days=1),
    )
    client.force_login(pv)

    def listed(query):
        html = client.get(reverse(INBOX) + query).content.decode()
        return {
            name for name in ("qzmineVX", "qzseriousVX", "qztriagedVX", "qzlateVX") if name in html
        }

    assert listed("?status=triaged") == {"qztriagedVX"}
    assert listed(f"?assignee={pv.pk}") == {"qzmineVX"}
    assert listed("?assignee=null") == {"qzseriousVX", "qztriagedVX", "qzlateVX"}
    assert listed("?serious=true") == {"qzseriousVX"}
    assert listed("?overdue=true") == {"qzlateVX"}
    assert listed("?overdue=false") == {"qzmineVX", "qzseriousVX", "qztriagedVX"}
    # Values nobody offers are ignored or refused as a form error, never a 500.
    for query in (
        "?assignee=abc",
        "?assignee=99999999999999999999999",
        "?status=<b>",
        "?overdue=x",
    ):
        assert client.get(reverse(INBOX) + query).status_code == 200, query


def test_the_inbox_download_neutralises_formulas(client, pv):
    make_case(opened=timezone.localdate(), medicine='=HYPERLINK("http://evil.example")')
    client.force_login(pv)

    response = client.get(reverse(INBOX) + "?export=csv")

    body = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][0] == "Case reference"
    assert rows[1][2].startswith("'=")
    assert SECRET not in body  # no excerpt in the list


def _cases(number):
    today = timezone.localdate()
    assignee = UserFactory(group=roles.PHARMACOVIGILANCE)
    for index in range(number):
        make_case(opened=today - timedelta(days=index), assignee=assignee, serious=index % 2 == 0)


def test_the_inbox_costs_the_same_for_1_and_20_cases(client, pv, django_assert_max_num_queries):
    client.force_login(pv)
    _cases(1)
    client.get(reverse(INBOX))  # warm caches (content types, permissions)
    with django_assert_max_num_queries(16) as one:
        client.get(reverse(INBOX))
    _cases(19)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse(INBOX))
    assert response.content.decode().count("/admin/safety/cases/edit/") >= 20


# --- A case's page -----------------------------------------------------------------------


def test_a_case_page_shows_the_excerpt_with_its_matches_and_the_source(client, pv, case):
    client.force_login(pv)

    response = client.get(reverse("safety_cases:edit", args=(case.pk,)))

    soup = BeautifulSoup(response.content, "html.parser")
    marks = soup.select("blockquote.safety-excerpt mark")
    assert [(mark.get_text(), mark["class"]) for mark in marks] == [
        ("fingolimod", ["safety-match", "safety-match--medicine"]),
        ("headaches", ["safety-match", "safety-match--event"]),
    ]
    assert soup.find("a", href=reverse("wagtailadmin_pages:edit", args=(case.page_id,)))
    text = text_of(response)
    assert case.reference in text and "Triage by" in text and "Report by" in text


def test_every_view_of_a_case_is_in_its_history(client, pv, case):
    client.force_login(pv)

    client.get(reverse("safety_cases:edit", args=(case.pk,)))
    client.get(reverse("safety_cases:print", args=(case.pk,)))
    client.get(reverse("safety_cases:csv", args=(case.pk,)))

    views = logged(case, CASE_VIEWED)
    assert [(entry.user_id, entry.data["on"]) for entry in views] == [
        (pv.pk, "page"),
        (pv.pk, "print"),
        (pv.pk, "csv"),
    ]
    history = client.get(reverse("safety_cases:history", args=(case.pk,)))
    assert history.status_code == 200
    rows = BeautifulSoup(history.content, "html.parser").select("table tbody tr")
    assert [row.get_text(" ", strip=True).startswith("Safety case viewed") for row in rows] == [
        True
    ] * 3


def test_a_change_is_saved_through_the_service_and_logged_with_its_fields(client, pv, case):
    client.force_login(pv)

    response = client.post(
        reverse("safety_cases:edit", args=(case.pk,)),
        edit_data(case, serious=True, status="triaged", assignee=pv.pk, event="migraine"),
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.serious, case.status, case.assignee_id, case.event) == (
        True,
        "triaged",
        pv.pk,
        "migraine",
    )
    assert case.report_due == case.opened_at.date() + timedelta(days=15)
    assert case.triaged_at is not None
    (entry,) = logged(case, CASE_UPDATED)
    assert entry.user_id == pv.pk
    assert set(entry.data["changed"]) == {"serious", "status", "assignee", "event"}
    assert entry.data["changed"]["event"] == {"old": "headache", "new": "migraine"}
    assert entry.data["report_due"]["new"] == case.report_due.isoformat()
    # Wagtail's own edit entry is not written besides ours.
    assert not logged(case, "wagtail.edit")


def test_saving_nothing_new_logs_no_change(client, pv, case):
    client.force_login(pv)
    client.post(reverse("safety_cases:edit", args=(case.pk,)), edit_data(case))
    assert not logged(case, CASE_UPDATED)


def test_not_reportable_needs_a_reason(client, pv, case):
    client.force_login(pv)
    url = reverse("safety_cases:edit", args=(case.pk,))

    response = client.post(url, edit_data(case, status="not_reportable", not_reportable_reason=" "))

    assert response.status_code == 200
    assert REASON_NEEDED in response.content.decode()
    case.refresh_from_db()
    assert case.status == "new"

    client.post(url, edit_data(case, status="not_reportable", not_reportable_reason="A rumour"))
    case.refresh_from_db()
    assert (case.status, case.not_reportable_reason) == ("not_reportable", "A rumour")


def test_only_the_group_and_administrators_may_be_assigned(client, pv, case, editor):
    client.force_login(pv)

    response = client.post(
        reverse("safety_cases:edit", args=(case.pk,)), edit_data(case, assignee=editor.pk)
    )

    assert response.status_code == 200
    case.refresh_from_db()
    assert case.assignee_id is None
    options = BeautifulSoup(response.content, "html.parser").select("select[name=assignee] option")
    assert {option["value"] for option in options} == {"", str(pv.pk)}


@pytest.mark.parametrize(
    "fields",
    [
        {"status": "deleted"},
        {"assignee": "abc"},
        {"assignee": "99999999999999999999999"},
        {"assignee": "-1"},
        {"medicine": "m" * 201},
        {"reporter_contact": "c" * 255},
    ],
)
def test_wrong_values_are_form_errors(client, pv, case, fields):
    client.force_login(pv)
    response = client.post(reverse("safety_cases:edit", args=(case.pk,)), edit_data(case, **fields))
    assert response.status_code == 200
    assert not logged(case, CASE_UPDATED)


@pytest.mark.parametrize("pk", [0, 999999, 2**63, 2**70])
def test_a_case_that_does_not_exist_is_missing(client, pv, pk):
    client.force_login(pv)
    for name in ("safety_cases:edit", "safety_cases:print", "safety_cases:csv"):
        assert client.get(reverse(name, args=(pk,))).status_code == 404, name
    assert (
        client.post(reverse("safety_cases:note_add", args=(pk,)), {"text": "x"}).status_code == 404
    )


def test_notes_are_added_logged_and_never_edited(client, pv, case):
    client.force_login(pv)
    url = reverse("safety_cases:note_add", args=(case.pk,))

    assert client.get(url).status_code == 405
    response = client.post(url, {"text": "Called the author."})

    assert response.status_code == 302
    (note,) = CaseNote.objects.filter(case=case)
    assert (note.author_id, note.text) == (pv.pk, "Called the author.")
    (entry,) = logged(case, CASE_NOTE_ADDED)
    assert entry.data == {"note": note.pk}
    page = client.get(reverse("safety_cases:edit", args=(case.pk,)))
    assert "Called the author." in text_of(page)


@pytest.mark.parametrize("text", ["", "   ", "n" * 4001])
def test_empty_and_oversized_notes_are_refused(client, pv, case, text):
    client.force_login(pv)
    response = client.post(reverse("safety_cases:note_add", args=(case.pk,)), {"text": text})
    assert response.status_code == 302
    assert not CaseNote.objects.exists()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_text_is_shown_as_text(client, pv, blog_index, payload):
    case = make_case(
        opened=timezone.localdate(),
        excerpt=f"{payload} fingolimod {payload}",
        matches=[
            {"start": len(payload) + 1, "end": len(payload) + 11, "kind": "<b>", "label": payload},
            {"start": "0", "end": 5},
            {"start": -1, "end": 10**9},
            "nonsense",
        ],
        medicine=payload,
        event=payload,
        patient=payload,
        reporter=payload,
        reporter_contact=payload,
    )
    CaseNote.objects.create(case=case, author=pv, text=payload)
    client.force_login(pv)

    for name in ("safety_cases:edit", "safety_cases:print"):
        response = client.get(reverse(name, args=(case.pk,)))
        assert response.status_code == 200
        assert_harmless(response.content.decode())
    assert_harmless(client.get(reverse(INBOX)).content.decode())


def test_the_case_page_costs_a_fixed_number_of_queries(
    client, pv, case, django_assert_max_num_queries
):
    client.force_login(pv)
    url = reverse("safety_cases:edit", args=(case.pk,))
    client.get(url)
    for _ in range(5):
        CaseNote.objects.create(case=case, author=UserFactory(), text="note")
    with django_assert_max_num_queries(30):
        response = client.get(url)
    assert response.status_code == 200


# --- The CSV row ------------------------------------------------------------------------


def test_the_csv_row_has_the_fields_a_safety_database_takes(client, pv, case):
    case.reporter_contact = "=cmd|' /C calc'!A0"
    case.save()
    client.force_login(pv)

    response = client.get(reverse("safety_cases:csv", args=(case.pk,)))

    assert response["Content-Type"].startswith("text/csv")
    assert "private" in response["Cache-Control"]
    heading, row = list(csv.reader(io.StringIO(response.content.decode())))
    values = dict(zip(heading, row, strict=True))
    assert values["Case reference"] == case.reference
    assert values["Day zero (date received)"] == timezone.localdate().isoformat()
    assert values["Seriousness"] == "non-serious"
    assert values["Suspect medicine"] == "fingolimod"
    assert values["Reporter contact"] == "'=cmd|' /C calc'!A0"
    assert SECRET in values["Narrative (excerpt)"]
    assert values["Source URL"].startswith("http")
    assert values["Source URL"].endswith(case.page.get_url())
    assert {
        "Report due",
        "Patient",
        "Reporter",
        "Adverse event",
        "Status",
        "Lexicon version",
    } <= set(heading)
