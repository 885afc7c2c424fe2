"""Content for the public read API's tests: one of each kind a visitor must never see.

Every hidden thing carries its own marker (``HIDDEN_MARKERS``), so a test that
finds one in a response says which rule broke; the public counterparts carry
``PUBLIC_TITLE`` and ``PUBLIC_NAME``. Every title also holds ``SEARCH_WORD``,
so a search finds them all if nothing filtered them.
"""

from dataclasses import dataclass, field

from wagtail.models import Page, PageViewRestriction
from wagtail.rich_text import RichText

import pytest

from core import roles
from core.models import Audience
from moderation.services import page_submit_for_review, review_request_changes
from social.models import Profile
from tests.factories import (
    AnswerPageFactory,
    BlogPageFactory,
    CommunityPageFactory,
    ExperienceStoryPageFactory,
    ExpertArticlePageFactory,
    ProfileFactory,
    QuestionPageFactory,
    UserFactory,
)

API = "/api/v2/"
SEARCH_WORD = "quokka"
PUBLIC_TITLE = f"Public {SEARCH_WORD} notes"
PUBLIC_NAME = "Public Pat"
PUBLIC_TAG = "publictag"


def body(text):
    return [("paragraph", RichText(f"<p>{text}</p>"))]


@dataclass
class Hidden:
    """The hidden pages by kind (their ids for guesses) and the public item."""

    pages: dict = field(default_factory=dict)
    public: Page | None = None
    public_question: Page | None = None

    @property
    def ids(self) -> list[int]:
        return [page.pk for page in self.pages.values()]


def _words(kind: str) -> dict:
    marker = f"hidden{kind}marker"
    return {
        "title": f"{marker} {SEARCH_WORD}",
        "slug": marker,
        "summary": f"{marker} summary {SEARCH_WORD}",
        "body": body(f"{marker} body {SEARCH_WORD}"),
        "tags": [f"{marker}tag"],
    }


HIDDEN_KINDS = [
    "draft",
    "inreview",
    "rejected",
    "unpublished",
    "members",
    "community",
    "restricted",
    "underrestricted",
    "questionparent",
]
HIDDEN_MARKERS = [f"hidden{kind}marker" for kind in HIDDEN_KINDS] + [
    "hiddennewerdraftmarker",
    "hiddenprivatename",
    "hiddenmembersname",
    "hiddenanonname",
    "hiddenanonasker",
    "hiddenemail",
    "hiddenusername",
    "hiddencommunitypagemarker",
    "hiddenreviewcomment",
]


@pytest.fixture
def hidden(
    blog_index,
    expert_index,
    story_index,
    question_index,
    community_index,
    expert,
    editor,
    superuser,
):
    """One page (or name) of each kind a visitor may not see, and the public counterparts."""
    found = Hidden()
    found.pages["draft"] = BlogPageFactory(parent=blog_index, publish=False, **_words("draft"))
    in_review = ExpertArticlePageFactory(
        parent=expert_index, author=expert, publish=False, **_words("inreview")
    )
    page_submit_for_review(page=in_review, user=expert)
    found.pages["inreview"] = in_review
    rejected = ExpertArticlePageFactory(
        parent=expert_index, author=expert, publish=False, **_words("rejected")
    )
    page_submit_for_review(page=rejected, user=expert)
    review_request_changes(page=rejected, user=editor, comment="hiddenreviewcomment")
    found.pages["rejected"] = rejected
    unpublished = BlogPageFactory(parent=blog_index, **_words("unpublished"))
    unpublished.unpublish()
    found.pages["unpublished"] = unpublished
    found.pages["members"] = BlogPageFactory(
        parent=blog_index, audience=Audience.MEMBERS, **_words("members")
    )
    community = CommunityPageFactory(
        parent=community_index, title="hiddencommunitypagemarker", is_listed=False
    )
    found.pages["communitypage"] = community
    found.pages["community"] = ExperienceStoryPageFactory(
        parent=story_index, audience=Audience.COMMUNITY, community=community, **_words("community")
    )
    restricted = BlogPageFactory(parent=blog_index, **_words("restricted"))
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    found.pages["restricted"] = restricted
    question = QuestionPageFactory(parent=question_index, **_words("questionparent"))
    PageViewRestriction.objects.create(
        page=question, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    found.pages["underrestricted"] = AnswerPageFactory(
        parent=question, author=expert, summary="hiddenunderrestrictedmarker"
    )
    found.pages["questionparent"] = question

    # Live, with a newer draft that carries the marker: only the draft has it.
    live = BlogPageFactory(parent=blog_index, title=f"Live {SEARCH_WORD} page")
    live.title = f"hiddennewerdraftmarker {SEARCH_WORD}"
    live.summary = "hiddennewerdraftmarker"
    live.body = body("hiddennewerdraftmarker")
    live.save_revision(user=superuser)

    # Public items whose authors' names must not show.
    private_author = UserFactory(
        group=roles.MEMBERS,
        display_name="hiddenprivatename",
        email="hiddenemail@example.org",
        username="hiddenusername",
    )
    ProfileFactory(user=private_author, visibility=Profile.Visibility.ONLY_ME)
    BlogPageFactory(parent=blog_index, author=private_author, title=f"Quiet {SEARCH_WORD} post")
    members_author = UserFactory(group=roles.MEMBERS, display_name="hiddenmembersname")
    ProfileFactory(user=members_author, visibility=Profile.Visibility.MEMBERS)
    BlogPageFactory(parent=blog_index, author=members_author, title=f"Members {SEARCH_WORD}")
    anonymous_author = UserFactory(group=roles.MEMBERS, display_name="hiddenanonname")
    ProfileFactory(user=anonymous_author, visibility=Profile.Visibility.EVERYONE)
    ExperienceStoryPageFactory(
        parent=story_index,
        author=anonymous_author,
        is_anonymous=True,
        title=f"Anonymous {SEARCH_WORD} story",
    )
    asker = UserFactory(group=roles.MEMBERS, display_name="hiddenanonasker")
    ProfileFactory(user=asker, visibility=Profile.Visibility.EVERYONE)
    found.public_question = QuestionPageFactory(
        parent=question_index, author=asker, is_anonymous=True, title=f"Asked {SEARCH_WORD}?"
    )

    # The public counterpart: a public item by an author whose profile is public.
    public_author = UserFactory(group=roles.MEMBERS, display_name=PUBLIC_NAME)
    ProfileFactory(user=public_author, visibility=Profile.Visibility.EVERYONE)
    found.public = BlogPageFactory(
        parent=blog_index,
        author=public_author,
        title=PUBLIC_TITLE,
        summary=f"Public summary {SEARCH_WORD}",
        tags=[PUBLIC_TAG],
    )
    return found


def assert_no_marker(content: bytes):
    text = content.decode()
    leaked = [marker for marker in HIDDEN_MARKERS if marker in text]
    assert leaked == [], leaked
