"""Reviewers find their queue: "Review queue (N)" in the site header, the queue in the
admin (and its dashboard panel) with type, author, step and waiting time, and
decisions that confirm what happened."""

import json
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wagtail.models import TaskState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

import pytest
from bs4 import BeautifulSoup

from moderation.models import REVIEW_COMMENT_MAX_LENGTH
from moderation.selectors import review_queue, review_queue_summary
from moderation.services import (
    page_submit_for_review,
    review_approve,
    review_request_changes,
)
from tests.factories import (
    BlogPageFactory,
    ExperienceStoryPageFactory,
    ExpertArticlePageFactory,
    UserFactory,
)
from tests.xss import PAYLOADS, assert_harmless

pytestmark = pytest.mark.django_db

QUEUE = reverse("kindred_review:queue")
DASHBOARD = reverse("wagtailadmin_home")
PROCESSOR = "moderation.context_processors.review_queue"


def submitted(parent, author, factory=BlogPageFactory, **kwargs):
    page = factory(parent=parent, author=author, publish=False, **kwargs)
    page_submit_for_review(page=page, user=author)
    return page


def waited(page, **ago):
    """Pretend ``page`` reached its current step (and was submitted) ``ago`` in the past."""
    task_state = page.current_workflow_task_state
    when = timezone.now() - timedelta(**ago)
    TaskState.objects.filter(pk=task_state.pk).update(started_at=when)
    type(page.current_workflow_state).objects.filter(pk=task_state.workflow_state_id).update(
        created_at=when
    )


def decide_url(page, action, task_state=None):
    task_state = task_state or page.current_workflow_task_state
    return reverse("kindred_review:decide", args=(page.pk, action, task_state.pk))


def messages_of(response):
    # Wagtail renders admin messages with a template: trailing blank lines.
    return [str(message).strip() for message in get_messages(response.wsgi_request)]


@pytest.fixture
def writer(portal):
    return UserFactory(group="Members", username="member-c8781cbd9ee8", display_name="Sam K")


@pytest.fixture
def queue(blog_index, expert_index, writer, expert, editor):
    """A blog post at the editorial step and an expert article at the medical step."""
    post = submitted(blog_index, writer, title="Pacing on bad days")
    article = submitted(expert_index, expert, ExpertArticlePageFactory, title="Fatigue explained")
    review_approve(page=article, user=editor)
    return post, article


# --- The selector ---------------------------------------------------------------


def test_queue_is_what_wagtail_lets_each_person_review(queue, blog_index, editor, medic, expert):
    post, article = queue
    # An editor's own post waits for another editor, never for its author.
    own = submitted(blog_index, editor, title="An editor's own post")
    other_editor = UserFactory(group="Editors")
    superuser = UserFactory(is_superuser=True)
    member = UserFactory(group="Members")

    for user in (editor, other_editor, medic, expert, member, superuser):
        mine = set(review_queue(user=user).values_list("pk", flat=True))
        assert mine == set(TaskState.objects.reviewable_by(user).values_list("pk", flat=True))

    def pages(user):
        return {int(s.workflow_state.object_id) for s in review_queue(user=user)}

    assert pages(editor) == {post.pk}
    assert pages(other_editor) == {post.pk, own.pk}
    assert pages(medic) == {article.pk}
    assert pages(expert) == pages(member) == set()
    assert pages(superuser) == {post.pk, article.pk, own.pk}


def test_summary_counts_what_waits_for_reviewers_and_is_none_for_everyone_else(
    queue, editor, medic, expert, member
):
    idle_medic = UserFactory(group="Medical reviewers")
    review_approve(page=queue[1], user=medic)  # the article is published: nothing left

    assert review_queue_summary(user=editor).waiting == 1
    assert review_queue_summary(user=idle_medic).waiting == 0  # a reviewer, nothing waiting
    assert review_queue_summary(user=expert) is None
    assert review_queue_summary(user=member) is None
    assert review_queue_summary(user=AnonymousUser()) is None


def test_summary_is_one_query_for_reviewers_and_none_for_others(
    queue, blog_index, editor, member, django_assert_num_queries
):
    for user in (editor, member):
        user.has_perm("wagtailadmin.access_admin")  # cached on every page by the user bar
    with django_assert_num_queries(0):
        review_queue_summary(user=AnonymousUser())
        review_queue_summary(user=member)
    with django_assert_num_queries(1):
        assert review_queue_summary(user=editor).waiting == 1
    for number in range(4):
        submitted(blog_index, UserFactory(group="Members"), title=f"More {number}")
    with django_assert_num_queries(1):
        assert review_queue_summary(user=editor).waiting == 5


# --- The site header -------------------------------------------------------------


def header_link(client):
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    return soup.select_one("nav.account a.review-queue-link")


def test_header_offers_the_review_queue_with_its_count_to_reviewers(client, queue, editor, medic):
    client.force_login(editor)
    link = header_link(client)

    assert link is not None
    assert link["href"] == QUEUE
    assert " ".join(link.get_text().split()) == "Review queue (1 waiting for your review)"

    client.force_login(medic)
    assert "Review queue (1" in header_link(client).get_text()


def test_header_has_no_review_queue_for_visitors_members_and_experts(client, queue, member, expert):
    assert header_link(client) is None
    for user in (member, expert):
        client.force_login(user)
        html = client.get("/").content.decode()
        assert "Review queue" not in html


def _without_processor():
    templates = [dict(engine) for engine in settings.TEMPLATES]
    # A renamed processor would leave the baseline unchanged and the test meaningless.
    assert any(PROCESSOR in e.get("OPTIONS", {}).get("context_processors", []) for e in templates)
    for engine in templates:
        options = dict(engine.get("OPTIONS", {}))
        options["context_processors"] = [
            name for name in options.get("context_processors", []) if name != PROCESSOR
        ]
        engine["OPTIONS"] = options
    return override_settings(TEMPLATES=templates)


def _queries(client, path="/"):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize(
    ("who", "extra"), [("visitor", 0), ("member", 0), ("expert", 0), ("editor", 1)]
)
def test_header_costs_members_no_query_and_reviewers_one(
    client,
    queue,
    blog_index,
    member,
    expert,
    editor,
    who,
    extra,
    django_assert_num_queries,
    settings,
):
    # Both renders are compared: a visitor's second visit would be served from the page cache.
    settings.KINDRED_PAGE_CACHE_SECONDS = 0
    user = {"visitor": None, "member": member, "expert": expert, "editor": editor}[who]
    if user is not None:
        client.force_login(user)
    client.get("/")  # warm the caches the page keeps between requests
    with _without_processor():
        baseline = _queries(client)
    for number in range(3):
        submitted(blog_index, UserFactory(group="Members"), title=f"Waiting {number}")

    with django_assert_num_queries(len(baseline) + extra) as captured:
        client.get("/")

    counted = [q for q in captured.captured_queries if '"moderation_reviewtask"' in q["sql"]]
    assert len(counted) == extra


# --- The queue page -----------------------------------------------------------------


def test_queue_shows_type_author_step_submitted_and_waiting_longest_first(
    client, blog_index, story_index, expert_index, writer, expert, editor
):
    story = submitted(story_index, writer, ExperienceStoryPageFactory, title="My first relapse")
    post = submitted(blog_index, writer, title="Cooling vests compared")
    article = submitted(expert_index, expert, ExpertArticlePageFactory, title="Heat and MS")
    waited(story, hours=5)
    waited(post, days=3)
    waited(article, minutes=20)
    client.force_login(editor)

    response = client.get(QUEUE)

    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    rows = [
        [" ".join(cell.get_text().split()) for cell in row.find_all("td")[:6]]
        for row in soup.select("table.review-queue tbody tr")
    ]
    assert [row[:4] for row in rows] == [
        ["Cooling vests compared", "Blog post", "Sam K", "Editorial review"],
        ["My first relapse", "Experience story", "Sam K", "Editorial review"],
        ["Heat and MS", "Expert article", "Dr Expert", "Editorial review"],
    ]
    assert [row[5] for row in rows] == ["3 days", "5 hours", "20 minutes"]
    submitted_at = post.current_workflow_state.created_at
    assert rows[0][4] == timezone.localtime(submitted_at).strftime("%-d %b %Y, %H:%M")
    html = response.content.decode()
    assert writer.username not in html and writer.email not in html


def test_queue_names_the_author_of_an_anonymous_story_for_reviewers_only(
    client, story_index, writer, editor
):
    submitted(story_index, writer, ExperienceStoryPageFactory, is_anonymous=True)
    client.force_login(editor)

    html = client.get(QUEUE).content.decode()

    assert "Sam K" in html
    assert "(published anonymously)" in html


def test_queue_query_count_does_not_grow(client, blog_index, editor, django_assert_max_num_queries):
    client.force_login(editor)
    submitted(blog_index, UserFactory(group="Members"))
    client.get(QUEUE)
    with CaptureQueriesContext(connection) as one_item:
        client.get(QUEUE)
    for _ in range(6):
        submitted(blog_index, UserFactory(group="Members"))

    with django_assert_max_num_queries(len(one_item.captured_queries)):
        response = client.get(QUEUE)

    assert len(BeautifulSoup(response.content, "html.parser").select("tbody tr")) == 7


def test_queue_is_for_reviewers_only(client, queue, expert, member):
    # Experts, like members, have no admin at all (issue 10, finding 2).
    for user in (expert, member):
        client.force_login(user)
        response = client.get(QUEUE)
        assert response.status_code == 302
        assert QUEUE not in response.url or "login" in response.url


def test_queue_renders_hostile_titles_and_names_as_text(client, blog_index, editor):
    for number, payload in enumerate(PAYLOADS):
        author = UserFactory(group="Members", display_name=f"Writer {number}")
        submitted(blog_index, author, title=payload, slug=f"hostile-{number}")
    client.force_login(editor)

    html = client.get(QUEUE).content.decode()
    dashboard = client.get(DASHBOARD).content.decode()

    assert_harmless(html, "review queue")
    assert_harmless(dashboard, "dashboard")
    assert "&lt;script&gt;alert(&#x27;xss-script&#x27;)&lt;/script&gt;" in html


# --- The dashboard panel ---------------------------------------------------------------


def test_dashboard_panel_shows_type_and_display_name_and_leads_to_the_queue(
    client, queue, editor, writer
):
    client.force_login(editor)

    response = client.get(DASHBOARD)

    soup = BeautifulSoup(response.content, "html.parser")
    panel = soup.find(id="awaiting-review-section")
    assert panel is not None
    text = " ".join(panel.get_text().split())
    assert "Pacing on bad days" in text
    assert "Blog post" in text
    assert "Sam K" in text
    assert writer.username not in response.content.decode()
    assert soup.select_one(f'a[href="{QUEUE}"]') is not None
    # Wagtail's own panel (newest first, usernames, no type) is replaced, not doubled.
    assert len(soup.find_all(id="awaiting-review-section")) == 1


def test_dashboard_query_count_does_not_grow(
    client, blog_index, editor, django_assert_max_num_queries
):
    client.force_login(editor)
    submitted(blog_index, UserFactory(group="Members"))
    client.get(DASHBOARD)
    with CaptureQueriesContext(connection) as one_item:
        client.get(DASHBOARD)
    for _ in range(6):
        submitted(blog_index, UserFactory(group="Members"))

    with django_assert_max_num_queries(len(one_item.captured_queries)):
        client.get(DASHBOARD)


# --- Decisions --------------------------------------------------------------------------


def test_approve_confirms_the_next_step(client, queue, editor):
    post, _article = queue
    client.force_login(editor)

    response = client.post(decide_url(post, "approve"), {"comment": ""})

    assert response.status_code == 302
    assert response.url == QUEUE
    assert messages_of(response) == [
        "Approved “Pacing on bad days”: it now goes to medical review."
    ]
    post.refresh_from_db()
    assert post.current_workflow_task.specific.stage == "medical"


def test_last_approval_confirms_publication_and_a_comment_for_the_author(client, queue, medic):
    _post, article = queue
    client.force_login(medic)

    # The comment form posts in the background (Wagtail's modal), then the page reloads.
    response = client.post(
        decide_url(article, "approve") + f"?next={DASHBOARD}",
        {"comment": "Accurate; I added the trial's name.", "next": DASHBOARD},
        headers={"x-requested-with": "XMLHttpRequest"},
    )

    assert response.status_code == 200
    assert json.loads(response.content)["step"] == "success"
    article.refresh_from_db()
    assert article.live
    assert messages_of(response) == [
        "Approved: “Fatigue explained” is published. The author will see your comment."
    ]


def test_request_changes_needs_a_comment_and_confirms_the_author_was_told(client, queue, editor):
    post, _article = queue
    client.force_login(editor)
    url = decide_url(post, "reject")
    xhr = {"x-requested-with": "XMLHttpRequest"}

    refused = client.post(url, {"comment": "  "}, headers=xhr)

    assert "This field is required." in json.loads(refused.content)["html"]
    assert messages_of(refused) == []
    assert post.current_workflow_task_state.status == TaskState.STATUS_IN_PROGRESS

    response = client.post(url, {"comment": "Please remove the clinic's name."}, headers=xhr)

    assert json.loads(response.content)["step"] == "success"
    assert messages_of(response) == [
        "Changes requested on “Pacing on bad days”: the author has been sent your comment "
        "and can resubmit it."
    ]
    task_state = TaskState.objects.filter(workflow_state__object_id=str(post.pk)).get()
    assert task_state.status == TaskState.STATUS_REJECTED
    assert task_state.comment == "Please remove the clinic's name."


def test_oversized_comment_is_refused(client, queue, editor):
    post, _article = queue
    client.force_login(editor)

    response = client.post(
        decide_url(post, "approve"),
        {"comment": "x" * (REVIEW_COMMENT_MAX_LENGTH + 1)},
        headers={"x-requested-with": "XMLHttpRequest"},
    )

    assert "at most" in json.loads(response.content)["html"]
    assert post.current_workflow_task_state.status == TaskState.STATUS_IN_PROGRESS


def test_hostile_comment_is_stored_as_text_and_the_message_is_escaped(client, blog_index, editor):
    author = UserFactory(group="Members")
    post = submitted(blog_index, author, title=PAYLOADS[1], slug="hostile")
    client.force_login(editor)

    response = client.post(decide_url(post, "reject"), {"comment": PAYLOADS[0]}, follow=True)

    assert response.status_code == 200
    assert_harmless(response.content.decode(), "queue after a decision")
    assert TaskState.objects.get(workflow_state__object_id=str(post.pk)).comment == PAYLOADS[0]


def test_decisions_on_anything_but_ones_own_queue_look_missing(
    client, queue, blog_index, editor, medic
):
    post, article = queue
    own = submitted(blog_index, editor, title="Mine")
    finished = submitted(blog_index, UserFactory(group="Members"), title="Done")
    finished_state = finished.current_workflow_task_state
    review_request_changes(page=finished, user=UserFactory(group="Editors"), comment="No.")
    client.force_login(editor)
    post_state = post.current_workflow_task_state

    urls = [
        decide_url(own, "approve"),  # one's own page
        decide_url(article, "approve"),  # another step's (the medical reviewer's)
        decide_url(finished, "approve", finished_state),  # already decided
        # This page's address with another page's step: Wagtail's own view allows it.
        reverse("kindred_review:decide", args=(article.pk, "approve", post_state.pk)),
        decide_url(post, "publish"),  # not a review decision
        reverse("kindred_review:decide", args=(999999, "approve", post_state.pk)),
        reverse("kindred_review:decide", args=(post.pk, "approve", 999999)),
    ]
    for url in urls:
        assert client.post(url, {"comment": ""}).status_code == 404, url
        assert client.get(url).status_code == 404, url
    for page in (post, own, article):
        assert page.current_workflow_task_state.status == TaskState.STATUS_IN_PROGRESS


def test_decision_needs_a_post(client, queue, editor):
    post, _article = queue
    client.force_login(editor)

    response = client.get(decide_url(post, "approve"))

    assert response.status_code == 200  # the comment form, for the modal
    assert post.current_workflow_task_state.status == TaskState.STATUS_IN_PROGRESS


def test_decision_goes_back_only_to_a_page_on_this_site(client, queue, editor):
    post, _article = queue
    client.force_login(editor)

    response = client.post(
        decide_url(post, "approve"), {"comment": "", "next": "https://evil.example/"}
    )

    assert response.url == QUEUE


def test_members_cannot_decide(client, queue, member):
    post, _article = queue
    client.force_login(member)

    response = client.post(decide_url(post, "approve"), {"comment": ""})

    assert response.status_code in (302, 403, 404)
    assert post.current_workflow_task_state.status == TaskState.STATUS_IN_PROGRESS


# --- Decisions in the page editor ----------------------------------------------------------


def _stream(value):
    """A StreamField of paragraphs as the editor posts it, block ids kept."""
    blocks = {
        str(index): {
            "type": block.block_type,
            "value": rich_text(block.value.source),
            "id": block.id,
            "deleted": "",
            "order": str(index),
        }
        for index, block in enumerate(value)
    }
    return {**blocks, "count": str(len(blocks))}


def editor_form_data(page):
    """The page editor's form for ``page`` unchanged, as the browser sends it."""
    fields = {
        "title": page.title,
        "summary": page.summary,
        "tags": "",
        "body": _stream(page.body),
        "slug": page.slug,
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        "comments": inline_formset([]),
        # The audience panel (issue 12): the browser always sends the choice.
        "audience": page.audience,
        "community": page.community_id or "",
    }
    if hasattr(page, "references"):
        fields.update(credentials=page.credentials, references=_stream(page.references))
    return nested_form_data(fields)


def editor_approval_data(page, *, comment="", **changes):
    """The page editor's form for ``page`` (with ``changes``), sent with "Approve"."""
    data = editor_form_data(page)
    data.update(
        {
            **changes,
            "action-workflow-action": "true",
            "workflow-action-name": "approve",
            "workflow-action-extra-data": json.dumps({"comment": comment}),
        }
    )
    return data


def test_approving_in_the_page_editor_confirms_and_returns_to_the_queue(client, queue, editor):
    post, _article = queue
    client.force_login(editor)
    data = editor_approval_data(post)

    response = client.post(reverse("wagtailadmin_pages:edit", args=(post.pk,)), data)

    assert response.status_code == 302
    assert response.url == QUEUE
    confirmation = [m for m in messages_of(response) if m.startswith("Approved")]
    assert len(confirmation) == 1
    assert "“Pacing on bad days”" in confirmation[0]
    assert confirmation[0].endswith("it now goes to medical review.")


def test_saving_in_the_page_editor_says_nothing_about_review(client, queue, editor):
    post, _article = queue
    client.force_login(editor)
    data = editor_form_data(post)

    response = client.post(reverse("wagtailadmin_pages:edit", args=(post.pk,)), data)

    assert response.status_code == 302
    assert not [m for m in messages_of(response) if "Approved" in m or "Changes" in m]
    assert post.current_workflow_task_state.status == TaskState.STATUS_IN_PROGRESS


def test_last_approval_in_the_page_editor_publishes(client, queue, medic):
    _post, article = queue
    client.force_login(medic)
    data = editor_approval_data(article, comment="Accurate.")

    response = client.post(reverse("wagtailadmin_pages:edit", args=(article.pk,)), data)

    assert response.url == QUEUE
    assert "Approved: “Fatigue explained” is published. The author will see your comment." in (
        messages_of(response)
    )
    article.refresh_from_db()
    assert article.live


def test_a_real_edit_in_the_page_editor_still_needs_approval_again(client, queue, medic):
    _post, article = queue
    client.force_login(medic)
    data = editor_approval_data(article, summary="Corrected by the medical reviewer.")

    response = client.post(reverse("wagtailadmin_pages:edit", args=(article.pk,)), data)

    assert (
        "Approved “Fatigue explained”, but it was changed after an earlier approval, "
        "so it goes back to editorial review." in messages_of(response)
    )
    article.refresh_from_db()
    assert not article.live
    assert article.current_workflow_task.specific.stage == "editorial"


def test_an_editorial_note_is_for_the_next_reviewer_and_the_form_says_so(
    client, queue, editor, medic
):
    post, article = queue
    client.force_login(editor)

    form = json.loads(client.get(decide_url(post, "approve")).content)["html"]
    response = client.post(decide_url(post, "approve"), {"comment": "Tone checked."})

    assert "The author does not see it" in form
    assert messages_of(response) == [
        "Approved “Pacing on bad days”: it now goes to medical review. "
        "Your note goes with it to the next reviewer."
    ]
    client.force_login(medic)
    form = json.loads(client.get(decide_url(article, "approve")).content)["html"]
    assert "The author sees this comment" in form
