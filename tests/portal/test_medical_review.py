"""Every item says whether its live version passed medical review, and that it is not advice."""

from wagtail.models import TaskState

import pytest

from moderation.services import page_submit_for_review, review_approve
from tests.factories import (
    BlogPageFactory,
    ExperienceStoryPageFactory,
    ExpertArticlePageFactory,
)

pytestmark = pytest.mark.django_db

CARE_TEAM = "This does not replace advice from your care team."
# The detail pages' ceilings (tests/blogs and tests/experience_stories) plus the
# reviewer's name on expert articles.
DETAIL_QUERIES = 24

KINDS = {
    "blog": (BlogPageFactory, "blog_index", "member"),
    "story": (ExperienceStoryPageFactory, "story_index", "member"),
    "article": (ExpertArticlePageFactory, "expert_index", "expert"),
}


@pytest.fixture
def make_item(request):
    """``make_item(kind, reviewed=...)``: an item of that kind, through both reviews or not."""

    def make(kind, *, reviewed):
        factory, index_name, author_name = KINDS[kind]
        author = request.getfixturevalue(author_name)
        index = request.getfixturevalue(index_name)
        if not reviewed:
            # Published directly, as a superuser can: no workflow, no review.
            return factory(parent=index, author=author)
        page = factory(parent=index, author=author, publish=False)
        page_submit_for_review(page=page, user=author)
        review_approve(page=page, user=request.getfixturevalue("editor"))
        review_approve(page=page, user=request.getfixturevalue("medic"))
        page.refresh_from_db()
        return page

    return make


@pytest.mark.parametrize("kind", KINDS)
def test_workflow_records_the_medical_review_on_every_type(make_item, medic, kind):
    page = make_item(kind, reviewed=True)

    assert page.live
    approval = TaskState.objects.get(
        workflow_state__object_id=str(page.pk), task__reviewtask__stage="medical"
    )
    assert page.medically_reviewed_by == medic
    assert page.medically_reviewed_at == approval.finished_at
    assert page.live_revision.content["medically_reviewed_by"] == medic.pk


@pytest.mark.parametrize("kind", ["blog", "story"])
def test_members_items_show_the_review_date_without_naming_the_reviewer(
    client, make_item, medic, kind
):
    page = make_item(kind, reviewed=True)

    html = client.get(page.url).content.decode()

    date = f"{page.medically_reviewed_at:%-d %B %Y}"
    assert f'Medically reviewed on <time datetime="{page.medically_reviewed_at:%Y-%m-%d}' in html
    assert date in html
    assert medic.display_name not in html
    assert "Not medically reviewed" not in html


def test_expert_articles_name_their_medical_reviewer(client, make_item, medic):
    page = make_item("article", reviewed=True)

    html = client.get(page.url).content.decode()

    assert f"Medically reviewed by {medic.display_name} on" in html


@pytest.mark.parametrize("kind", KINDS)
def test_items_published_without_review_say_so(client, make_item, kind):
    page = make_item(kind, reviewed=False)

    html = client.get(page.url).content.decode()

    assert "Not medically reviewed" in html
    assert "Medically reviewed" not in html


@pytest.mark.parametrize("kind", KINDS)
def test_an_edit_published_past_the_workflow_is_not_reviewed(client, make_item, kind):
    page = make_item(kind, reviewed=True)

    # A superuser edits the live item and publishes it directly: the review
    # was of the earlier text, so it must not carry over.
    page.title = "Edited after the review"
    page.save_revision().publish()
    page.refresh_from_db()

    assert page.medically_reviewed_at is None
    assert page.medically_reviewed_by is None
    html = client.get(page.url).content.decode()
    assert "Not medically reviewed" in html


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("reviewed", [True, False])
def test_every_item_carries_the_care_team_note(client, make_item, kind, reviewed):
    page = make_item(kind, reviewed=reviewed)

    html = client.get(page.url).content.decode()

    assert CARE_TEAM in html
    assert html.index(CARE_TEAM) > html.index('<div class="body"'), "after the text"


def test_the_care_team_note_is_one_labelled_aside(client, make_item):
    page = make_item("blog", reviewed=False)

    html = client.get(page.url).content.decode()

    assert html.count('aria-label="About this information"') == 1


@pytest.mark.parametrize("kind", KINDS)
def test_the_review_line_costs_a_fixed_number_of_queries(
    client, make_item, kind, django_assert_max_num_queries
):
    page = make_item(kind, reviewed=True)

    with django_assert_max_num_queries(DETAIL_QUERIES):
        response = client.get(page.url)

    assert response.status_code == 200
