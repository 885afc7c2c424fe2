"""The analytics pages: who sees them, what they show, their CSV, hostile input, queries."""

import base64
import csv
import io
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from wagtail.contrib.search_promotions.models import Query

import pytest

from analytics.models import AnalyticsSettings
from core import roles
from tests.factories import (
    BlogPageFactory,
    CommunityMembershipFactory,
    CommunityPageFactory,
    UserFactory,
)

from .conftest import EDITORIAL, MEDICAL, review_step

pytestmark = pytest.mark.django_db

REVIEW = reverse("kindred_analytics:review")
COMMUNITY = reverse("kindred_analytics:community")
HOSTILE = [
    "<script>alert(1)</script>",
    "-1",
    "0",
    "53",
    "999999999999999999999999",
    "1e3",
    "",
    "null",
    "%00",
    "x" * 5000,
]


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.mark.parametrize("role", ["editor", "manager", "superuser"])
def test_editors_managers_and_superusers_see_both_pages_and_the_menu(client, request, role):
    client.force_login(request.getfixturevalue(role))

    for url in (REVIEW, COMMUNITY):
        assert client.get(url).status_code == 200
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert REVIEW in home and COMMUNITY in home


@pytest.mark.parametrize(
    "group",
    [
        roles.MEDICAL_REVIEWERS,
        roles.PHARMACOVIGILANCE,
        roles.DATA_PROTECTION,
        roles.EXPERTS,
        roles.MEMBERS,
    ],
)
def test_every_other_role_is_refused_and_has_no_menu_item(client, portal, group):
    client.force_login(UserFactory(group=group))

    for url in (REVIEW, COMMUNITY, f"{COMMUNITY}?download=communities"):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert b"Active members" not in response.content
    home = client.get(reverse("wagtailadmin_home"))
    assert REVIEW.encode() not in home.content and COMMUNITY.encode() not in home.content


def test_fewer_than_five_in_the_page_and_the_csv(client, manager, community_index):
    community = CommunityPageFactory(parent=community_index, title="Carers")
    for _ in range(3):
        CommunityMembershipFactory(community=community, user=UserFactory(group=roles.MEMBERS))
    client.force_login(manager)

    html = client.get(COMMUNITY, {"community": community.pk}).content.decode()
    rows = csv_rows(client.get(COMMUNITY, {"community": community.pk, "download": "communities"}))

    assert "Carers: week by week" in html and "fewer than 5" in html
    carers = next(row for row in rows if row[0] == "Carers")
    whole = next(row for row in rows if row[0] == "Whole site")
    # Three new members (and no more than three accounts anywhere): never the number.
    assert carers[1:3] == ["fewer than 5", "fewer than 5"]
    assert whole[2] == "fewer than 5"
    assert rows[0] == [
        "Community",
        "Active members",
        "New members",
        "Items published",
        "Comments",
        "Reports on comments",
    ]


def test_the_csv_neutralises_formulas(client, editor, blog_index, member, now):
    page = BlogPageFactory(
        parent=blog_index, author=member, publish=False, title='=HYPERLINK("http://x")'
    )
    review_step(page=page, stage=EDITORIAL, started=now - timedelta(hours=72))
    Query.get("@sum(a1)").daily_hits.create(date=timezone.localdate(), hits=5)
    client.force_login(editor)

    late = csv_rows(client.get(REVIEW, {"download": "past-service-level"}))
    searches = csv_rows(client.get(COMMUNITY, {"download": "top-searches"}))

    assert late[1][0] == '\'=HYPERLINK("http://x")'
    assert late[1][3] == "72"
    assert searches[1] == ["'@sum(a1)", "5"]


def test_an_unknown_table_is_not_found(client, editor):
    client.force_login(editor)

    assert client.get(REVIEW, {"download": "../../etc/passwd"}).status_code == 404
    assert client.get(COMMUNITY, {"download": "communities"})["Content-Type"].startswith("text/csv")


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_period_and_community_fall_back_to_the_defaults(client, manager, value):
    client.force_login(manager)

    for url in (REVIEW, COMMUNITY):
        response = client.get(url, {"weeks": value, "community": value})
        assert response.status_code == 200
        assert "<script>alert" not in response.content.decode()


def test_someone_elses_community_id_shows_the_whole_site(client, manager, community_index):
    client.force_login(manager)

    html = client.get(COMMUNITY, {"community": 999_999}).content.decode()

    assert "Whole site: week by week" in html


def test_the_period_filter_sets_the_weeks(client, editor):
    client.force_login(editor)

    rows = csv_rows(client.get(COMMUNITY, {"weeks": "3", "download": "community-weeks"}))

    assert len(rows) == 1 + 3


def test_the_service_level_setting_decides_what_is_late(client, editor, item, now):
    review_step(page=item("Three days waiting"), stage=EDITORIAL, started=now - timedelta(hours=72))
    client.force_login(editor)
    assert "Three days waiting" in client.get(REVIEW).content.decode()

    AnalyticsSettings.objects.update_or_create(defaults={"review_service_level_hours": 100})

    assert "Three days waiting" not in client.get(REVIEW).content.decode()


def test_the_setting_is_bounded(portal):
    from django.core.exceptions import ValidationError

    for hours in (0, 721):
        with pytest.raises(ValidationError):
            AnalyticsSettings(review_service_level_hours=hours).full_clean()
    AnalyticsSettings(review_service_level_hours=720).full_clean()


def test_charts_are_images_drawn_here_with_no_script_from_anywhere(client, editor, item, now):
    review_step(page=item(), stage=MEDICAL, started=now - timedelta(hours=5))
    client.force_login(editor)

    html = client.get(REVIEW).content.decode()

    assert 'src="data:image/svg+xml' in html
    start = html.index("data:image/svg+xml;charset=utf-8;base64,") + len(
        "data:image/svg+xml;charset=utf-8;base64,"
    )
    svg = base64.b64decode(html[start : html.index('"', start)]).decode()
    assert "<svg" in svg and "Items waiting for review" in svg
    assert "kozea" not in svg and "src=" not in svg
    assert "The figures as a table" in html


def test_templates_have_no_inline_script_or_style():
    for template in Path(settings.BASE_DIR, "templates", "analytics").rglob("*.html"):
        text = template.read_text()
        assert "<style" not in text
        assert "<script" not in text


def _review_history(count, item, editor, medic, now):
    for n in range(count):
        review_step(
            page=item(),
            stage=EDITORIAL if n % 2 else MEDICAL,
            started=now - timedelta(hours=60 + n),
            finished=None if n % 3 else now - timedelta(hours=n),
            by=None if n % 3 else (editor if n % 2 else medic),
        )


def _community_history(count, community, blog_index):
    for _ in range(count):
        person = UserFactory(group=roles.MEMBERS)
        CommunityMembershipFactory(community=community, user=person)
        BlogPageFactory(parent=blog_index, author=person)
        Query.get(f"term {person.pk}").daily_hits.create(date=timezone.localdate(), hits=6)


@pytest.mark.parametrize("size", [2, 8])
def test_the_review_page_queries_do_not_grow(
    client, editor, medic, item, now, size, django_assert_max_num_queries
):
    _review_history(size, item, editor, medic, now)
    client.force_login(editor)
    client.get(REVIEW)

    with django_assert_max_num_queries(18):
        assert client.get(REVIEW).status_code == 200


@pytest.mark.parametrize("size", [2, 8])
def test_the_community_page_queries_do_not_grow(
    client, manager, community_index, blog_index, size, django_assert_max_num_queries
):
    community = CommunityPageFactory(parent=community_index, title="Carers")
    _community_history(size, community, blog_index)
    client.force_login(manager)
    client.get(COMMUNITY)

    with django_assert_max_num_queries(24):
        assert client.get(COMMUNITY, {"community": community.pk}).status_code == 200


def test_a_community_manager_sees_how_many_are_late_never_which(client, manager, editor, item, now):
    review_step(
        page=item("Private draft title"), stage=EDITORIAL, started=now - timedelta(hours=90)
    )

    client.force_login(manager)
    html = client.get(REVIEW).content.decode()
    rows = csv_rows(client.get(REVIEW, {"download": "past-service-level"}))
    client.force_login(editor)
    editors_html = client.get(REVIEW).content.decode()

    assert "Private draft title" not in html and rows == [rows[0]]
    assert "<strong>1</strong> waiting for editorial review" in html
    assert "Private draft title" in editors_html
