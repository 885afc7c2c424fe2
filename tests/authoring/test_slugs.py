"""Issue 10, finding 3: an item's address never carries words the author has since removed.

A first draft titled with a person's full name, renamed and published
anonymously, was served at an address that still carried the name, and
listings, feeds and search results linked to it.
"""

import pytest

from experience_stories.models import ExperienceStoryPage
from moderation.addresses import SLUG_MAX_LENGTH
from moderation.services import review_approve
from tests.factories import ExperienceStoryPageFactory
from tests.migrations import latest, migrate
from tests.xss import PAYLOADS

pytestmark = pytest.mark.django_db

WRITE_STORY = "/write/story/"
NAME_WORDS = ("zenobia", "quillfeather")


def story_form(title, **changes):
    return {
        "title": title,
        "summary": "How it went.",
        "body": "I learned to pace.",
        "tags": "fatigue",
        "condition": "",
        "treatments": "",
        "year_of_diagnosis": "",
        "byline": "anonymous",
        "audience": "everyone",
        **changes,
    }


def write(client, title, *, action="save", page=None):
    url = WRITE_STORY if page is None else f"/me/contributions/{page.pk}/edit/"
    response = client.post(url, {**story_form(title), "action": action})
    assert response.status_code == 302, response.content.decode()[:500]
    return (
        ExperienceStoryPage.objects.get(pk=page.pk) if page else ExperienceStoryPage.objects.last()
    )


def approve(page, editor, medic):
    review_approve(page=page, user=editor)
    if page.current_workflow_task_state.task.specific.stage == "editorial":
        # A version the editor saved during review needs their approval again.
        review_approve(page=page, user=editor)
    review_approve(page=page, user=medic)
    page.refresh_from_db()
    return page


def assert_nowhere(client, page, words):
    """Neither the item's address nor any public surface linking to it carries ``words``."""
    surfaces = {
        "address": page.url,
        "listing": client.get(page.get_parent().url).content.decode(),
        "feed": client.get(f"/feeds/{page.get_parent().slug}/rss/").content.decode(),
        "search": client.get("/search/", {"q": "pace"}).content.decode(),
    }
    assert page.url in surfaces["listing"]
    assert page.url in surfaces["search"]
    assert page.url in surfaces["feed"]
    for where, text in surfaces.items():
        for word in words:
            assert word not in text.lower(), f"{word!r} in the {where}"


def test_a_renamed_first_draft_is_published_without_the_old_title(
    client, writer, editor, medic, story_index
):
    client.force_login(writer)
    story = write(client, "Zenobia Quillfeather and my diagnosis")
    story = write(client, "My diagnosis", action="submit", page=story)
    approve(story, editor, medic)
    client.logout()

    assert story.live and story.is_anonymous
    assert story.slug == "my-diagnosis"
    assert_nowhere(client, story, NAME_WORDS)


def test_the_address_follows_the_title_as_approved(client, writer, editor, medic, story_index):
    """Renamed without removing words, a first draft still gets its final title's address."""
    client.force_login(writer)
    story = write(client, "Pacing")
    story = write(client, "Pacing through a relapse", action="submit", page=story)
    approve(story, editor, medic)
    assert story.slug == "pacing-through-a-relapse"


def test_a_draft_row_keeps_no_old_address(client, writer, story_index):
    client.force_login(writer)
    story = write(client, "Zenobia Quillfeather and my diagnosis")
    story = write(client, "My diagnosis", page=story)
    story.refresh_from_db()
    assert story.slug == "my-diagnosis"
    assert story.url_path.endswith("/my-diagnosis/")


def test_a_published_item_renamed_to_remove_a_name_moves(
    client, writer, editor, medic, story_index
):
    client.force_login(writer)
    story = write(client, "Zenobia Quillfeather helped me pace", action="submit")
    approve(story, editor, medic)
    old_url = story.url
    assert "zenobia" in old_url

    story = write(client, "A friend helped me pace", action="submit", page=story)
    approve(story, editor, medic)
    client.logout()

    assert story.slug == "a-friend-helped-me-pace"
    # No redirect: a working address with the removed name would still name her.
    assert client.get(old_url).status_code == 404
    assert client.get(story.url).status_code == 200
    assert_nowhere(client, story, NAME_WORDS)


def test_a_published_address_stays_when_no_word_is_removed(
    client, writer, editor, medic, story_index
):
    """Links keep working: adding words to the title leaves the address alone."""
    client.force_login(writer)
    story = write(client, "Learning to pace", action="submit")
    approve(story, editor, medic)
    story = write(client, "Learning to pace, a year on", action="submit", page=story)
    approve(story, editor, medic)
    assert story.slug == "learning-to-pace"


def test_the_reviewer_sees_the_address_in_the_editor(client, writer, editor, story_index):
    client.force_login(writer)
    story = write(client, "Zenobia Quillfeather and my diagnosis")
    story = write(client, "My diagnosis", action="submit", page=story)
    client.force_login(editor)

    html = client.get(f"/admin/pages/{story.pk}/edit/").content.decode()

    assert 'name="slug"' in html
    assert 'value="my-diagnosis"' in html
    assert "zenobia" not in html


def test_the_reviewer_can_change_the_address(client, writer, editor, medic, story_index):
    client.force_login(writer)
    story = write(client, "My diagnosis", action="submit")
    # What the page editor's Promote tab saves: a revision with the new slug.
    draft = story.get_latest_revision_as_object()
    draft.slug = "finding-out"
    draft.save_revision(user=editor)
    approve(story, editor, medic)
    assert story.slug == "finding-out"


def test_a_reviewer_address_with_a_removed_word_is_not_kept(
    client, writer, editor, medic, story_index
):
    client.force_login(writer)
    story = write(client, "Zenobia Quillfeather and my diagnosis")
    story = write(client, "My diagnosis", action="submit", page=story)
    draft = story.get_latest_revision_as_object()
    draft.slug = "zenobia-diagnosis"
    draft.save_revision(user=editor)
    approve(story, editor, medic)
    assert story.slug == "my-diagnosis"


def test_colliding_titles_get_distinct_addresses(client, writer, editor, medic, story_index):
    ExperienceStoryPageFactory(parent=story_index, title="My diagnosis", slug="my-diagnosis")
    client.force_login(writer)
    first = write(client, "Zenobia Quillfeather")
    second = write(client, "Someone else")
    first = write(client, "My diagnosis", action="submit", page=first)
    second = write(client, "My diagnosis", action="submit", page=second)
    approve(first, editor, medic)
    approve(second, editor, medic)
    slugs = sorted(ExperienceStoryPage.objects.filter(live=True).values_list("slug", flat=True))
    assert slugs == ["my-diagnosis", "my-diagnosis-1", "my-diagnosis-2"]


@pytest.mark.parametrize("title", [*PAYLOADS[:5], "!!!", "Ünïcødé pâcing", "x" * 120])
def test_hostile_titles_give_plain_bounded_addresses(client, writer, editor, medic, title):
    client.force_login(writer)
    story = write(client, title, action="submit")
    approve(story, editor, medic)
    assert story.live
    assert 0 < len(story.slug) <= SLUG_MAX_LENGTH
    assert all(ch.isalnum() or ch == "-" for ch in story.slug)
    assert client.get(story.url).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_live_addresses_that_carry_removed_words(client, writer, story_index):
    """Items published before this release kept their first title's address: 0010 fixes them.

    The items are made now, the database is taken back to before 0010, and the
    migrations are applied again as a deployment would.
    """
    ExperienceStoryPageFactory(parent=story_index, title="My diagnosis", slug="my-diagnosis")
    named = ExperienceStoryPageFactory(
        parent=story_index,
        title="Zenobia Quillfeather and my diagnosis",
        summary="How I learned to pace.",
        author=writer,
    )
    named.title = "My diagnosis"
    named.save_revision(user=writer).publish()
    kept = ExperienceStoryPageFactory(parent=story_index, title="Learning to pace")
    kept.title = "Learning to pace, a year on"
    kept.save_revision().publish()
    named.refresh_from_db()
    assert named.slug.startswith("zenobia-quillfeather")

    migrate([("portal", "0009_experts_leave_the_admin")])
    migrate([("portal", "0010_addresses_without_removed_words")])
    migrate(latest())

    named.refresh_from_db()
    kept.refresh_from_db()
    assert named.slug == "my-diagnosis-1"
    assert named.url_path == f"{story_index.url_path}my-diagnosis-1/"
    assert client.get(named.url).status_code == 200
    assert kept.slug == "learning-to-pace"
    assert_nowhere(client, named, NAME_WORDS)
