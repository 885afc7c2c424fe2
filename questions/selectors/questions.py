"""Reads for asking and finding: the question page, the question listing, and the
answers a reader may act on.

Every read of questions and answers starts from ``core.selectors.readable_content``
(the one gate; the question page's answers from its exact equivalent in one query,
``_readable_children``), so an answer is shown exactly to those who may read it, and a
question's counts (answers, helpful marks) count only published answers.
"""

import threading
from dataclasses import dataclass, field, replace

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.paginator import Page as PaginatorPage
from django.db import connections, router
from django.db.models import (
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import StartsWith
from django.http import HttpRequest

from wagtail.models import PageViewRestriction, Site

from core import fragments, roles
from core.models import CommunityMembership, CommunityPage, Condition
from core.prepared import prepared
from core.routing import is_routed
from core.selectors import (
    Reader,
    audience_condition,
    content_listing,
    paginate,
    readable_content,
    visible_community_condition,
)
from questions.models import (
    AcceptedAnswer,
    AnswerPage,
    HelpfulMark,
    QuestionIndexPage,
    QuestionPage,
)
from questions.params import (
    SORT_HELPFUL,
    STATUS_ACCEPTED,
    STATUS_ANSWERED,
    STATUS_UNANSWERED,
    QuestionListParams,
)

from . import service_level


def _signed_in(user: Reader) -> bool:
    return user is not None and user.is_authenticated


def promised_days(*, request: HttpRequest | None) -> int:
    """The days the site promises an answer within, for the request's site
    (``service_level.answer_within_days``; the default without a site)."""
    site = Site.find_for_request(request) if request is not None else None
    return service_level.answer_within_days(site=site)


def _count(queryset: QuerySet) -> Coalesce:
    """A correlated ``COUNT(*)`` of ``queryset`` (filtered on ``OuterRef``s), 0 when none."""
    counted = queryset.order_by().annotate(total=Func(F("pk"), function="COUNT")).values("total")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _published_answers_under(*, levels: int = 1) -> QuerySet:
    """Live answers that are children of the question ``levels`` queries out (by its path)."""

    def outer(name: str) -> OuterRef:
        ref = OuterRef(name)
        for _ in range(levels - 1):
            ref = OuterRef(ref)
        return ref

    return AnswerPage.objects.filter(
        live=True, path__startswith=outer("path"), depth=outer("depth") + 1
    )


def may_accept(*, user: Reader, question: QuestionPage) -> bool:
    """Whether ``user`` may accept an answer to ``question``: its asker, or an active
    moderator of the community it was asked in (one query at most)."""
    if not _signed_in(user):
        return False
    if question.author_id is not None and question.author_id == user.pk:
        return True
    if question.community_id is None:
        return False
    return CommunityMembership.objects.filter(
        user=user,
        community_id=question.community_id,
        role=CommunityMembership.Role.MODERATOR,
        state=CommunityMembership.State.ACTIVE,
    ).exists()


def _readable_children(
    *, user: Reader, question: QuestionPage, path_like: str | None = None, depth: int | None = None
) -> QuerySet:
    """``readable_content`` of the answers under ``question``, in the answers' own query.

    The same three tests (live, under no view restriction, in ``user``'s
    audience: tests/questions/test_question_page.py holds the two equal), but a
    restriction is tested by a subquery on each answer's path, as
    ``core.routing`` does, where Wagtail's ``.public()`` first reads every
    restriction of the site in a query of its own (issue 17: the question page
    in 10 queries). The children are those whose path starts with the question's
    and that lie one level below it (Wagtail's ``child_of``); ``path_like`` and
    ``depth`` stand in for the question's (``_answers``).
    """
    # A restriction covers its page and every page below it (path prefix).
    restricted = PageViewRestriction.objects.filter(StartsWith(OuterRef("path"), F("page__path")))
    return (
        AnswerPage.objects.filter(
            path__startswith=question.path if path_like is None else path_like,
            depth=question.depth + 1 if depth is None else depth,
        )
        .live()
        .exclude(Exists(restricted))
        .filter(audience_condition(user=user))
    )


QUESTION_CONDITIONS = "question-conditions"


def question_conditions_name(question_id: int) -> str:
    """The fragment version of one question's conditions (its rows or the page changed)."""
    return f"{QUESTION_CONDITIONS}:page:{int(question_id)}"


def question_conditions(*, question: QuestionPage, preview: bool = False) -> list[str]:
    """The names of the conditions ``question`` is about, in their order, from the cache.

    A preview reads the draft's own (never the cache). Kept under the question's
    own version (bumped when the page is saved or published, or its conditions
    change: ``questions.signals``) and the conditions' (one renamed or deleted).
    """
    if preview or question.pk is None:
        return [condition.name for condition in question.conditions.all()]
    return fragments.cached(
        question_conditions_name(question.pk),
        "names",
        lambda: [condition.name for condition in question.conditions.all()],
        also=(QUESTION_CONDITIONS,),
    )


def readable_answers(*, user: Reader, question: QuestionPage) -> QuerySet:
    """The published answers to ``question`` that ``user`` may read, accepted first, then
    oldest first, with what the page shows of each (one query, whatever their number).

    Each carries ``helpful_count``, ``marked_by_reader``, ``is_accepted`` and
    ``is_verified_expert`` (the author is in the Experts group and has a
    verification record), with the author and verification joined.
    """
    return _readable_answers(user=user, marker=user, question=question)


def _readable_answers(
    *,
    user: Reader,
    marker: Reader,
    question: QuestionPage,
    path_like: str | None = None,
    depth: int | None = None,
) -> QuerySet:
    answers = _readable_children(user=user, question=question, path_like=path_like, depth=depth)
    if _signed_in(marker):
        marked = Exists(HelpfulMark.objects.filter(answer_id=OuterRef("pk"), user=marker))
    else:
        marked = Value(False)
    experts = Group.objects.filter(name=roles.EXPERTS, user=OuterRef("author_id"))
    return (
        answers.annotate(
            helpful_count=_count(HelpfulMark.objects.filter(answer_id=OuterRef("pk"))),
            marked_by_reader=marked,
            is_accepted=Exists(AcceptedAnswer.objects.filter(answer_id=OuterRef("pk"))),
            is_verified_expert=Exists(experts),
        )
        .select_related("author__expert_verification", "medically_reviewed_by")
        .order_by("-is_accepted", "first_published_at", "pk")
    )


# Stand-ins for the values the answers' query takes, found again among its compiled
# parameters (``core.prepared``): no page has this path or depth, no member these ids.
# The reader's id goes in two places (their communities, their helpful marks), so each
# place has a stand-in of its own. Positive: Django leaves out, or refuses, a negative
# value on the positive ``depth`` column.
_PATH = "\x00kindred:answers:path\x00"
_DEPTH = 2_000_000_017
_MEMBER = -770_000_029
_MARKER = -770_000_031
# Per thread (a compiler holds its thread's connection): by database and whether the
# reader is signed in.
_compiled = threading.local()


def _answers(*, user: Reader, question: QuestionPage) -> list[AnswerPage]:
    """``readable_answers``'s rows, from its query compiled once per database and thread.

    Building and compiling it (three tables of page inheritance, the author and
    verification joined, four subqueries) was about a third of a member's question
    page (issue 17); only the question's path and depth and the reader change.
    """
    alias = router.db_for_read(AnswerPage)
    like = connections[alias].ops.prep_for_like_query
    values: dict[str, object] = {"path": like(question.path) + "%", "depth": question.depth + 1}
    stand_ins: dict[str, object] = {"path": like(_PATH) + "%", "depth": _DEPTH}
    signed_in = _signed_in(user)
    if signed_in:
        values["member"] = values["marker"] = user.pk
        stand_ins["member"], stand_ins["marker"] = _MEMBER, _MARKER

    def build() -> QuerySet:
        member = get_user_model()(pk=_MEMBER) if signed_in else None
        marker = get_user_model()(pk=_MARKER) if signed_in else None
        return _readable_answers(
            user=member, marker=marker, question=question, path_like=_PATH, depth=_DEPTH
        )

    query = prepared(_compiled.__dict__, (alias, signed_in), build, alias, stand_ins)
    if query is None:
        return list(readable_answers(user=user, question=question))
    return query.objects(**values)


@dataclass(frozen=True)
class AnswerView:
    """One answer as the question page shows it to one reader."""

    answer: AnswerPage
    helpful_count: int
    marked_by_reader: bool
    is_accepted: bool
    may_mark: bool
    may_accept: bool
    profession: str


@dataclass(frozen=True)
class QuestionPageView:
    """What the question page shows besides the question itself."""

    answers: list[AnswerView]
    is_asker: bool
    may_accept: bool
    waiting: bool
    answer_within_days: int
    signed_in: bool
    conditions: list[str] = field(default_factory=list)


def _profession(answer: AnswerPage) -> str:
    """The verified profession of the answer's author, or "" (no badge)."""
    if not getattr(answer, "is_verified_expert", False) or answer.author is None:
        return ""
    verification = getattr(answer.author, "expert_verification", None)
    return verification.profession if verification is not None else ""


def question_page_view(
    *, user: Reader, question: QuestionPage, request: HttpRequest | None = None
) -> QuestionPageView:
    """The answers ``user`` may read under ``question`` and what they may do with them.

    A fixed number of queries: the answers with their counts and authors and the
    moderator check; the question's conditions and the site setting come from the
    cache (``core.fragments``).
    """
    accepting = may_accept(user=user, question=question)
    signed_in = _signed_in(user)
    answers = []
    for answer in _answers(user=user, question=question):
        answers.append(
            AnswerView(
                answer=answer,
                helpful_count=answer.helpful_count,
                marked_by_reader=bool(answer.marked_by_reader),
                is_accepted=bool(answer.is_accepted),
                may_mark=signed_in and answer.author_id != user.pk,
                may_accept=accepting and not answer.is_accepted,
                profession=_profession(answer),
            )
        )
    is_asker = signed_in and question.author_id == user.pk
    return QuestionPageView(
        answers=answers,
        is_asker=is_asker,
        may_accept=accepting,
        waiting=not answers,
        answer_within_days=promised_days(request=request) if is_asker else 0,
        signed_in=signed_in,
        conditions=question_conditions(
            question=question,
            # Only the live page the router fetched fills the cache (a draft served by
            # the site's own preview has no ``is_preview`` on its request).
            preview=bool(getattr(request, "is_preview", False)) or not is_routed(question),
        ),
    )


def answer_for_reader(*, user: Reader, pk: object) -> AnswerPage | None:
    """The published answer ``pk`` if ``user`` may read it and its question, else None.

    Anything but a plausible id answers None without a query; someone else's
    unpublished answer, an answer to a question the reader may not read and a
    missing one all look the same.
    """
    if isinstance(pk, str) and pk.isdigit() and len(pk) < 12:
        pk = int(pk)
    if not isinstance(pk, int) or isinstance(pk, bool) or pk <= 0 or pk > 2**31:
        return None
    answer = readable_content(user=user, queryset=AnswerPage.objects.filter(pk=pk)).first()
    if answer is None:
        return None
    question = question_of(user=user, answer=answer)
    return answer if question is not None else None


def question_of(*, user: Reader, answer: AnswerPage) -> QuestionPage | None:
    """The question ``answer`` answers, if ``user`` may read it (one query)."""
    parent_path = answer.path[: -AnswerPage.steplen]
    return readable_content(
        user=user, queryset=QuestionPage.objects.filter(path=parent_path)
    ).first()


# --- The listing ---------------------------------------------------------------------


@dataclass(frozen=True)
class FilterOption:
    value: str
    label: str
    active: bool


@dataclass
class QuestionListing:
    """One page of the questions a reader may read, with the filters they may use."""

    items: PaginatorPage
    params: QuestionListParams
    conditions: list[FilterOption] = field(default_factory=list)
    communities: list[FilterOption] = field(default_factory=list)
    unknown_condition: bool = False
    unknown_community: bool = False


def questions_for(
    *, user: Reader, params: QuestionListParams, section: QuestionIndexPage | None = None
) -> QuerySet:
    """The questions ``user`` may read, filtered and ordered as ``params`` say (not evaluated).

    Each carries ``answer_count`` (published answers ``user`` may read),
    ``helpful_total`` (helpful marks on those answers) and ``has_accepted``,
    besides what every listing card shows (``content_listing``): one query for
    a page of them, whatever their number. Filters on a condition or community
    the reader cannot use give no questions rather than an error; pass the
    params through ``question_listing`` to have them ignored instead.
    """

    def answers(levels: int) -> QuerySet:
        return readable_content(user=user, queryset=_published_answers_under(levels=levels))

    queryset = content_listing(
        user=user, model=QuestionPage, section=section, language=params.language
    ).annotate(
        answer_count=_count(answers(1)),
        helpful_total=_count(HelpfulMark.objects.filter(answer__in=answers(2).values("pk"))),
        has_accepted=Exists(
            AcceptedAnswer.objects.filter(
                question_id=OuterRef("pk"), answer__in=answers(2).values("pk")
            )
        ),
    )
    if params.status == STATUS_UNANSWERED:
        queryset = queryset.filter(answer_count=0)
    elif params.status == STATUS_ANSWERED:
        queryset = queryset.filter(answer_count__gt=0)
    elif params.status == STATUS_ACCEPTED:
        queryset = queryset.filter(has_accepted=True)
    if params.condition:
        queryset = queryset.filter(
            pk__in=QuestionPage.conditions.through.objects.filter(
                condition__slug=params.condition
            ).values("questionpage_id")
        )
    if params.community:
        queryset = queryset.filter(
            community__in=CommunityPage.objects.live()
            .filter(slug=params.community)
            .filter(visible_community_condition(user=user))
        )
    if params.sort == SORT_HELPFUL:
        queryset = queryset.order_by("-helpful_total", "-first_published_at", "-pk")
    return queryset


def question_listing(
    *, user: Reader, params: QuestionListParams, section: QuestionIndexPage | None = None
) -> QuestionListing:
    """A page of the questions ``user`` may read, and the filters to offer them.

    The conditions offered are those of questions the reader may read; the
    communities, those the reader may see that hold such questions (so only
    the reader's own communities, for community questions). A condition or
    community that is not among them is ignored (the whole list, said so on
    the page). A fixed number of queries whatever the number of questions.
    """
    readable = readable_content(user=user, queryset=QuestionPage.objects.all())
    if section is not None:
        readable = readable.child_of(section)
    conditions = list(
        Condition.objects.filter(
            pk__in=QuestionPage.conditions.through.objects.filter(
                questionpage_id__in=readable.values("pk")
            ).values("condition_id")
        ).order_by("name")
    )
    communities = list(
        CommunityPage.objects.live()
        .filter(visible_community_condition(user=user))
        .filter(pk__in=readable.filter(community__isnull=False).values("community_id"))
        .order_by("title")
    )
    unknown_condition = bool(params.condition) and params.condition not in {
        condition.slug for condition in conditions
    }
    unknown_community = bool(params.community) and params.community not in {
        community.slug for community in communities
    }
    if unknown_condition or unknown_community:
        params = replace(
            params,
            condition="" if unknown_condition else params.condition,
            community="" if unknown_community else params.community,
        )
    items = paginate(questions_for(user=user, params=params, section=section), params.page)
    return QuestionListing(
        items=items,
        params=params,
        conditions=[
            FilterOption(condition.slug, condition.name, condition.slug == params.condition)
            for condition in conditions
        ],
        communities=[
            FilterOption(community.slug, community.title, community.slug == params.community)
            for community in communities
        ],
        unknown_condition=unknown_condition,
        unknown_community=unknown_community,
    )
