"""What the JSON-LD must never carry, what it costs, and what a cached page gives the next visitor.

Canaries: one of each thing that must stay out (an anonymous item's author, a hidden
profile's name, drafts, edits in review or sent back, members-only, community-only and
restricted items), each with a marker of its own, beside a public counterpart that does
get markup. Then hostile titles and names, the query count, and the page cache.
"""

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.models import PageViewRestriction

import pytest

from core.models import Audience
from moderation.services import page_submit_for_review, review_approve, review_request_changes
from questions.models import AcceptedAnswer
from tests.discovery.test_structured_data import (
    LD_TYPE,
    assert_valid,
    only_structured,
    structured,
)
from tests.factories import (
    BlogPageFactory,
    ExperienceStoryPageFactory,
    ExpertArticlePageFactory,
    ProfileFactory,
    UserFactory,
)
from tests.factories.communities import CommunityMembershipFactory, CommunityPageFactory
from tests.factories.questions import AnswerPageFactory, QuestionPageFactory
from tests.xss import PAYLOADS

pytestmark = pytest.mark.django_db


def member_with_profile(display_name, visibility):
    user = UserFactory(group="Members", display_name=display_name)
    ProfileFactory(user=user, visibility=visibility)
    return user


def markup_text(response) -> str:
    return json.dumps(structured(response))


# -- who is named --------------------------------------------------------------------


def test_an_anonymous_story_names_no_author(client, story_index, portal):
    author = member_with_profile("Anon-author-canary", "everyone")
    public = ExperienceStoryPageFactory(parent=story_index, author=author)
    anonymous = ExperienceStoryPageFactory(parent=story_index, author=author, is_anonymous=True)

    assert only_structured(client.get(public.url))["author"]["name"] == "Anon-author-canary"
    response = client.get(anonymous.url)
    data = only_structured(response)

    assert "author" not in data
    text = json.dumps(data)
    assert "Anon-author-canary" not in text
    assert author.profile.handle not in text
    assert "Anonymous member" not in text, "no stand-in name either"
    assert_valid(data)


@pytest.mark.parametrize("visibility", ["members", "only_me"])
def test_a_profile_visitors_cannot_see_names_nobody(client, blog_index, portal, visibility):
    author = member_with_profile(f"Hidden-{visibility}-canary", visibility)
    page = BlogPageFactory(parent=blog_index, author=author)

    data = only_structured(client.get(page.url))

    assert "author" not in data
    assert f"Hidden-{visibility}-canary" not in json.dumps(data)
    assert author.profile.handle not in json.dumps(data)


def test_a_deactivated_member_is_not_named(client, blog_index, portal):
    author = member_with_profile("Gone-quiet-canary", "everyone")
    page = BlogPageFactory(parent=blog_index, author=author)
    author.is_active = False
    author.save()

    assert "Gone-quiet-canary" not in markup_text(client.get(page.url))


def test_an_item_whose_author_is_deleted_names_nobody(client, blog_index, portal):
    author = member_with_profile("Deleted-author-canary", "everyone")
    page = BlogPageFactory(parent=blog_index, author=author)
    author.delete()

    data = only_structured(client.get(page.url))

    assert "author" not in data
    assert "Deleted-author-canary" not in json.dumps(data)


# -- what carries no markup ----------------------------------------------------------


def test_members_only_community_and_restricted_items_carry_none(
    client, blog_index, community_index, member
):
    community = CommunityPageFactory(parent=community_index)
    CommunityMembershipFactory(community=community, user=member)
    public = BlogPageFactory(parent=blog_index, title="Public-canary")
    members = BlogPageFactory(
        parent=blog_index, title="Members-only-canary", audience=Audience.MEMBERS
    )
    theirs = BlogPageFactory(
        parent=blog_index,
        title="Community-only-canary",
        audience=Audience.COMMUNITY,
        community=community,
    )
    restricted = BlogPageFactory(parent=blog_index, title="Restricted-canary")
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    client.force_login(member)

    assert only_structured(client.get(public.url))["headline"] == "Public-canary"
    for page in (members, theirs, restricted):
        response = client.get(page.url)
        html = response.content.decode()
        assert response.status_code == 200 and page.title in html, "the member reads it"
        assert LD_TYPE not in html, page.title


def test_a_visitor_at_a_members_only_item_gets_no_markup(client, blog_index, portal):
    page = BlogPageFactory(parent=blog_index, title="Teaser-canary", audience=Audience.MEMBERS)

    response = client.get(page.url)

    assert response.status_code == 403
    assert LD_TYPE not in response.content.decode()


def test_drafts_edits_in_review_and_sent_back_stay_out(client, blog_index, editor, portal):
    author = member_with_profile("Draft author", "everyone")
    live = BlogPageFactory(parent=blog_index, author=author, title="Live-title")
    in_review = BlogPageFactory(parent=blog_index, author=author, title="Live-title-2")
    never = BlogPageFactory(
        parent=blog_index, author=author, title="Never-published-canary", publish=False
    )
    live.title, live.summary = "Sent-back-canary", "Sent-back-summary-canary"
    page_submit_for_review(page=live, user=author)
    review_request_changes(page=live, user=editor, comment="Please change")
    in_review.title = "In-review-canary"
    page_submit_for_review(page=in_review, user=author)

    for page, live_title in ((live, "Live-title"), (in_review, "Live-title-2")):
        text = markup_text(client.get(page.url))
        assert live_title in text
        assert "canary" not in text
    assert client.get(never.url).status_code == 404

    # The author's own preview of the newest version shows it, without markup.
    client.force_login(author)
    for page, draft_title in (
        (live, "Sent-back-canary"),
        (in_review, "In-review-canary"),
        (never, "Never-published-canary"),
    ):
        response = client.get(reverse("authoring:preview", args=[page.pk]))
        assert response.status_code == 200
        html = response.content.decode()
        assert draft_title in html
        assert LD_TYPE not in html, draft_title


def test_an_unpublished_item_carries_none(client, blog_index, superuser):
    page = BlogPageFactory(parent=blog_index, title="Unpublished-canary")
    assert structured(client.get(page.url))
    page.unpublish()

    assert client.get(page.url).status_code == 404
    client.force_login(superuser)
    response = client.get(reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk]))
    assert LD_TYPE not in response.content.decode()


# -- hostile text ----------------------------------------------------------------------


HOSTILE = [*PAYLOADS, "</script><!-- & </SCRIPT >\u2028 &amp; <\\/script>"]


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_titles_and_names_cannot_leave_the_script(
    client, blog_index, expert_index, question_index, portal, payload
):
    author = member_with_profile(f"N {payload}"[:60], "everyone")
    expert = UserFactory(group="Experts", display_name=f"E {payload}"[:60])
    title = f"T {payload}"[:255]
    pages = [
        BlogPageFactory(parent=blog_index, author=author, title=title, summary=payload),
        ExpertArticlePageFactory(
            parent=expert_index, author=expert, title=title, credentials=payload[:200]
        ),
    ]
    question = QuestionPageFactory(parent=question_index, author=author, title=title)
    AnswerPageFactory(parent=question, author=expert)
    pages.append(question)

    for page in pages:
        response = client.get(page.url)
        html = response.content.decode()
        head = html[: html.index("</head>")]
        # The one script element's text runs to the first "</script": none comes early,
        # no comment opens inside it, and the text parses back to exactly what was given.
        start = head.index(f'<script type="{LD_TYPE}">') + len(f'<script type="{LD_TYPE}">')
        inside = head[start : head.index("</script>", start)]
        assert "<" not in inside and ">" not in inside and "&" not in inside
        data = json.loads(inside)
        assert data["headline"] == title
        assert head.count("<script") == 1
        assert_valid(data)
    blog = only_structured(client.get(pages[0].url))
    assert blog["author"]["name"] == author.display_name
    assert blog["description"] == payload
    article = only_structured(client.get(pages[1].url))
    assert article["author"]["name"] == expert.display_name
    assert article["author"]["jobTitle"] == payload[:200].strip()


# -- cost ------------------------------------------------------------------------------


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def without_markup(monkeypatch):
    """Switch the tag's builder off, to count what the page costs without it."""

    def switch_off():
        monkeypatch.setattr(
            "discovery.templatetags.structured_data.item_structured_data",
            lambda *args, **kwargs: None,
        )

    return switch_off


@pytest.mark.parametrize("reader", ["visitor", "member"])
def test_the_markup_adds_no_query(
    client,
    settings,
    blog_index,
    story_index,
    expert_index,
    question_index,
    expert,
    medic,
    editor,
    member,
    without_markup,
    reader,
):
    settings.KINDRED_PAGE_CACHE_SECONDS = 0
    author = member_with_profile("Counted author", "everyone")
    article = ExpertArticlePageFactory(parent=expert_index, author=expert, publish=False)
    page_submit_for_review(page=article, user=expert)
    review_approve(page=article, user=editor)
    review_approve(page=article, user=medic)
    question = QuestionPageFactory(parent=question_index, author=author)
    AnswerPageFactory(parent=question, author=expert)
    pages = [
        BlogPageFactory(parent=blog_index, author=author),
        ExperienceStoryPageFactory(parent=story_index, author=author),
        article,
        question,
    ]
    if reader == "member":
        client.force_login(member)
    with_markup = {}
    for page in pages:
        client.get(page.url)  # warm the shared fragments
        assert structured(client.get(page.url))
        with_markup[page.pk] = _count(client, page.url)
    without_markup()
    for page in pages:
        assert structured(client.get(page.url)) == []
        assert _count(client, page.url) == with_markup[page.pk], type(page).__name__


# A visitor's question page, answers and markup included, after a first render warmed the
# shared fragments (measured: 4 on SQLite); the same for 2 answers as for 12.
QUESTION_PAGE_QUERIES = 6


def test_a_questions_markup_is_flat_in_its_answers(
    client, settings, question_index, expert, django_assert_max_num_queries
):
    settings.KINDRED_PAGE_CACHE_SECONDS = 0
    author = member_with_profile("Flat asker", "everyone")
    counts = []
    for answers in (2, 12):
        question = QuestionPageFactory(parent=question_index, author=author)
        made = [AnswerPageFactory(parent=question, author=expert) for _ in range(answers)]
        AcceptedAnswer.objects.create(question=question, answer=made[0], accepted_by=author)
        client.get(question.url)
        counts.append(_count(client, question.url))
        with django_assert_max_num_queries(QUESTION_PAGE_QUERIES):
            response = client.get(question.url)
        entity = only_structured(response)["mainEntity"]
        assert entity["answerCount"] == answers
        assert len(entity["suggestedAnswer"]) == answers - 1
        assert entity["acceptedAnswer"]["url"].endswith(f"#answer-{made[0].pk}")
    assert counts[0] == counts[1], counts


# -- the page cache --------------------------------------------------------------------


def test_the_cached_page_follows_publishing_and_the_authors_choices(client, blog_index, portal):
    author = member_with_profile("Cached-author-canary", "everyone")
    page = BlogPageFactory(parent=blog_index, author=author, title="First title")
    first = client.get(page.url)
    assert only_structured(first)["headline"] == "First title"
    assert client.get(page.url).headers.get("X-Kindred-Cache") == "hit"

    page.title = "Second title"
    page.save_revision().publish()
    assert only_structured(client.get(page.url))["headline"] == "Second title"

    author.profile.visibility = "members"
    author.profile.save()
    assert "Cached-author-canary" not in markup_text(client.get(page.url))

    page.refresh_from_db()
    page.unpublish()
    assert client.get(page.url).status_code == 404
