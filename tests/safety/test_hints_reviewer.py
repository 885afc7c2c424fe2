"""The reviewer's view of an item's personal-data hints in the admin (issue 15)."""

from wagtail.rich_text import RichText

import pytest

from moderation.services import page_submit_for_review, review_approve
from safety.hints import reviewer_hints_url
from tests.factories import BlogPageFactory, ExperienceStoryPageFactory, UserFactory

pytestmark = pytest.mark.django_db

BODY = (
    "<p>Ring me on 07700 900123 if you want to chat.</p>"
    "<p>My carer Tom Whitaker &lt;script&gt;alert(1)&lt;/script&gt; drives me.</p>"
)


def submitted(parent, author, factory=BlogPageFactory, **kwargs):
    """An item by ``author`` waiting at the editorial step."""
    kwargs.setdefault("body", [("paragraph", RichText(BODY))])
    page = factory(parent=parent, author=author, publish=False, **kwargs)
    page_submit_for_review(page=page, user=author)
    return page


@pytest.fixture
def writer(portal):
    return UserFactory(group="Members", display_name="Sarah Connolly")


@pytest.fixture
def in_review(blog_index, writer):
    return submitted(blog_index, writer, title="Pacing, <b>and</b> rest")


def test_the_url_helper_names_the_admin_address(in_review):
    assert reviewer_hints_url(in_review.pk) == f"/admin/safety/personal-data/{in_review.pk}/"


def test_an_editor_sees_each_hint_marked_and_listed(client, editor, in_review):
    client.force_login(editor)

    response = client.get(reviewer_hints_url(in_review.pk))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<mark class="pd-mark" id="pd-hint-body-1" title="Phone number">07700 900123</mark>' in (
        html
    )
    assert ">Tom Whitaker</mark>" in html
    assert "Phone number</a>: “07700 900123”" in html
    assert "2 passages in the newest version look like personal data" in html
    # The member's text is shown as text: escaped, never as markup.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert "Pacing, &lt;b&gt;and&lt;/b&gt; rest" in html
    assert "no-store" in response["Cache-Control"]


def test_the_newest_version_is_shown(client, editor, in_review, writer):
    draft = in_review.get_latest_revision_as_object()
    draft.body = [("paragraph", RichText("<p>Write to me at jo@example.org.</p>"))]
    page_submit_for_review(page=draft, user=writer)
    client.force_login(editor)

    html = client.get(reviewer_hints_url(in_review.pk)).content.decode()

    assert ">jo@example.org</mark>" in html
    assert "07700 900123" not in html


def test_a_hint_inside_markup_is_marked_in_the_text(client, editor, blog_index, writer):
    page = submitted(
        blog_index,
        writer,
        body=[("paragraph", RichText('<p>Mail <a href="mailto:x@e.org">x@<b>e</b>.org</a></p>'))],
    )
    client.force_login(editor)

    html = client.get(reviewer_hints_url(page.pk)).content.decode()

    assert "mailto" not in html
    assert ">x@e.org</mark>" in html


def test_the_authors_own_name_is_marked_only_when_the_item_is_anonymous(
    client, editor, story_index, writer
):
    text = [("paragraph", RichText("<p>I am Sarah Connolly, and this is my story.</p>"))]
    named = submitted(story_index, writer, ExperienceStoryPageFactory, body=text)
    anonymous = submitted(
        story_index, writer, ExperienceStoryPageFactory, body=text, is_anonymous=True
    )
    client.force_login(editor)

    assert ">Sarah Connolly</mark>" not in client.get(reviewer_hints_url(named.pk)).content.decode()
    html = client.get(reviewer_hints_url(anonymous.pk)).content.decode()
    assert ">Sarah Connolly</mark>" in html
    assert "published anonymously" in html


def test_nothing_found_says_so(client, editor, blog_index, writer):
    page = submitted(
        blog_index, writer, body=[("paragraph", RichText("<p>Some days are harder.</p>"))]
    )
    client.force_login(editor)

    html = client.get(reviewer_hints_url(page.pk)).content.decode()

    assert "Nothing in the newest version looks like personal data." in html
    assert "<mark" not in html


# --- Who may see it ---


def test_the_medical_reviewer_sees_it_only_once_it_reaches_their_step(
    client, editor, medic, in_review
):
    client.force_login(medic)
    assert client.get(reviewer_hints_url(in_review.pk)).status_code == 404

    review_approve(page=in_review, user=editor)

    assert client.get(reviewer_hints_url(in_review.pk)).status_code == 200
    client.force_login(editor)
    assert client.get(reviewer_hints_url(in_review.pk)).status_code == 404


def test_a_superuser_sees_any_item(client, superuser, in_review, blog_index):
    published = BlogPageFactory(parent=blog_index)
    client.force_login(superuser)

    assert client.get(reviewer_hints_url(in_review.pk)).status_code == 200
    assert client.get(reviewer_hints_url(published.pk)).status_code == 200


@pytest.mark.parametrize("who", ["manager", "medic"])
def test_staff_without_the_item_in_their_queue_find_it_missing(client, request, in_review, who):
    client.force_login(request.getfixturevalue(who))

    response = client.get(reviewer_hints_url(in_review.pk))

    assert response.status_code == 404
    assert "07700" not in response.content.decode()


def test_an_editors_own_item_is_missing_to_them(client, editor, blog_index):
    own = submitted(blog_index, editor)
    client.force_login(editor)

    assert client.get(reviewer_hints_url(own.pk)).status_code == 404


def test_a_published_item_outside_the_queue_is_missing_to_an_editor(client, editor, blog_index):
    published = BlogPageFactory(parent=blog_index)
    client.force_login(editor)

    assert client.get(reviewer_hints_url(published.pk)).status_code == 404


@pytest.mark.parametrize("who", ["member", "expert", "writer"])
def test_people_without_the_admin_never_reach_it(client, request, in_review, who):
    client.force_login(request.getfixturevalue(who))

    response = client.get(reviewer_hints_url(in_review.pk))

    assert response.status_code == 302
    assert not response.url.startswith("/admin/safety/")


def test_a_visitor_is_sent_to_sign_in(client, in_review):
    response = client.get(reviewer_hints_url(in_review.pk))

    assert response.status_code == 302
    assert "07700" not in response.content.decode()


@pytest.mark.parametrize("page_id", [0, 999_999, 2**31, 2**63])
def test_ids_that_are_not_pages_are_missing(client, superuser, portal, page_id):
    client.force_login(superuser)

    assert client.get(f"/admin/safety/personal-data/{page_id}/").status_code == 404


def test_a_page_that_is_not_an_item_is_missing(client, superuser, blog_index):
    client.force_login(superuser)

    assert client.get(reviewer_hints_url(blog_index.pk)).status_code == 404


def test_it_only_answers_get(client, editor, in_review):
    client.force_login(editor)

    assert client.post(reviewer_hints_url(in_review.pk)).status_code == 405


# The admin's frame (menu, permissions, the user's profile) and Wagtail's newest
# revision as a page (its comments, parent, locale) make most of these; none
# grows with the text or with the number of hints. +2 for the access log (issue 16):
# whether a workflow runs on the item, and the repeat of the same opening.
REVIEWER_VIEW_QUERIES = 26


@pytest.mark.parametrize("paragraphs", [1, 40])
def test_the_view_costs_a_fixed_number_of_queries(
    client, editor, blog_index, writer, django_assert_max_num_queries, paragraphs
):
    page = submitted(blog_index, writer, body=[("paragraph", RichText(BODY))] * paragraphs)
    client.force_login(editor)
    client.get(reviewer_hints_url(page.pk))  # the admin's own first-visit work

    with django_assert_max_num_queries(REVIEWER_VIEW_QUERIES):
        response = client.get(reviewer_hints_url(page.pk))

    assert response.status_code == 200
    assert response.content.decode().count("<mark") == 2 * paragraphs
