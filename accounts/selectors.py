"""Reads about a member's account: consents and what withdrawing one would change."""

import threading
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import router
from django.db.models import QuerySet

from taggit.models import Tag
from wagtail.models import Page, WorkflowState

from accounts.models import Consent, ConsentEvent, User
from core import consent

# primary_email lives in core.mail (issue 11); accounts.views reads it here.
from core.mail import primary_email as primary_email
from core.models import CommunityPage, Condition, ContentPage
from core.prepared import prepared
from social.selectors import own_profile, popular_topics, topics_followed


def has_current_consent(user: User | AnonymousUser | None, kind: str) -> bool:
    """Whether ``user`` has a standing agreement to the current version of ``kind``.

    This is the gate other apps call before letting a member write (for
    example ``has_current_consent(request.user, "health_data")``). An agreement
    to an older version of the text does not count, nor does a withdrawn one;
    anonymous users never have consent. One query.
    """
    if not getattr(user, "is_authenticated", False) or kind not in consent.CURRENT:
        return False
    return Consent.objects.filter(
        user=user,
        kind=kind,
        version=consent.CURRENT[kind].version,
        withdrawn_at__isnull=True,
    ).exists()


def has_standing_consent(user: User | AnonymousUser | None, kind: str) -> bool:
    """Whether ``user`` has any agreement to ``kind`` not withdrawn, whatever its version.

    An agreement to an older text still stands until it is withdrawn, so it
    can be withdrawn; only ``has_current_consent`` decides whether it suffices.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    return Consent.objects.filter(user=user, kind=kind, withdrawn_at__isnull=True).exists()


def may_contribute(user: User | AnonymousUser | None) -> bool:
    """Whether ``user`` may write and submit: they agree to the current guidelines
    and health-data texts. One query."""
    if not getattr(user, "is_authenticated", False):
        return False
    agreed = {(record.kind, record.version) for record in _standing_agreements(user.pk)}
    return {(kind, text.version) for kind, text in consent.CURRENT.items()} <= agreed


# The member's id in the standing agreements' query compiled once (core.prepared): no
# account has it. Per thread (a compiler holds its thread's connection).
_MEMBER = -770_000_029
_compiled = threading.local()


def _standing_agreements_queryset(user_id: int) -> QuerySet:
    return (
        Consent.objects.filter(
            user_id=user_id, withdrawn_at__isnull=True, kind__in=list(consent.CURRENT)
        )
        .only("kind", "version")
        .order_by()
    )


def _standing_agreements(user_id: int) -> list[Consent]:
    """The member's standing agreements to the current texts' kinds (kind and version only).

    Asked on every page a member's discussion shows (``may_contribute``): the query
    is compiled once per database, thread and set of kinds and run again with the
    member's id (issue 17; building and compiling it was ~0.3 ms of an item page).
    """
    alias = router.db_for_read(Consent)
    query = prepared(
        _compiled.__dict__,
        (alias, tuple(consent.CURRENT)),
        lambda: _standing_agreements_queryset(_MEMBER),
        alias,
        {"user_id": _MEMBER},
    )
    if query is None:
        return list(_standing_agreements_queryset(user_id))
    return query.objects(user_id=user_id)


def has_withdrawn_consent(user: User | None, kind: str) -> bool:
    """Whether ``user`` withdrew ``kind`` and has not agreed to it again since."""
    if user is None:
        return False
    records = Consent.objects.filter(user=user, kind=kind)
    return (
        records.filter(withdrawn_at__isnull=False).exists()
        and not records.filter(withdrawn_at__isnull=True).exists()
    )


@dataclass
class ConsentStatus:
    """Where a member stands on one text: the text today and their records for it."""

    text: consent.ConsentText
    records: list[Consent] = field(default_factory=list)
    # The member's ledger entries for this text, newest first.
    events: list[ConsentEvent] = field(default_factory=list)

    @property
    def standing(self) -> list[Consent]:
        """Standing records (any version), newest first."""
        return [record for record in self.records if record.is_standing]

    @property
    def is_current(self) -> bool:
        return any(record.is_current for record in self.records)

    @property
    def current_record(self) -> Consent | None:
        """The standing agreement to today's version, if any."""
        return next((record for record in self.records if record.is_current), None)

    @property
    def is_outdated(self) -> bool:
        """Agreed to an older version only: the member should read the new text."""
        return bool(self.standing) and not self.is_current


def consent_overview(user: User) -> list[ConsentStatus]:
    """Each text in ``core.consent.CURRENT`` with ``user``'s records and ledger entries
    for it, in two queries."""
    statuses = {kind: ConsentStatus(text=text) for kind, text in consent.CURRENT.items()}
    for record in Consent.objects.filter(user=user, kind__in=statuses):
        statuses[record.kind].records.append(record)
    for event in ConsentEvent.objects.filter(user=user, kind__in=statuses):
        statuses[event.kind].events.append(event)
    return list(statuses.values())


# The account page lists this many of a member's entries about communities' rules
# and sharing, newest first; their data export holds every one.
CONSENT_HISTORY_LIMIT = 100


@dataclass(frozen=True)
class ConsentHistoryEntry:
    """One ledger entry about a community's rules or an item's sharing, with what it
    concerns in words for its member: the community's or their item's title, or
    ``None`` when that no longer exists (or is not theirs to name)."""

    event: ConsentEvent
    subject: str | None

    @property
    def is_rules(self) -> bool:
        return self.event.kind == ConsentEvent.Kind.COMMUNITY_RULES


@dataclass
class ConsentHistory:
    """``entries``, newest first, and whether older ones were left out."""

    entries: list[ConsentHistoryEntry] = field(default_factory=list)
    truncated: bool = False


def consent_history(user: User, *, limit: int = CONSENT_HISTORY_LIMIT) -> ConsentHistory:
    """``user``'s own ledger entries for communities' rules and for sharing their items.

    At most three queries, whatever the number of entries: the entries, the
    communities they name and the items they name. Only the member's own
    entries are read, and an item is named only if the member wrote it; a
    community or item since deleted is named by nothing (the template says
    so). Titles come from the pages, never from the ledger (it holds ids).
    """
    rows = list(
        ConsentEvent.objects.filter(
            user=user, kind__in=[ConsentEvent.Kind.COMMUNITY_RULES, ConsentEvent.Kind.SHARING]
        )[: limit + 1]
    )
    history = ConsentHistory(truncated=len(rows) > limit)
    rows = rows[:limit]
    community_ids = {e.scope_id for e in rows if e.kind == ConsentEvent.Kind.COMMUNITY_RULES}
    page_ids = {e.scope_id for e in rows if e.kind == ConsentEvent.Kind.SHARING}
    communities = (
        dict(CommunityPage.objects.filter(pk__in=community_ids).values_list("pk", "title"))
        if community_ids
        else {}
    )
    pages = (
        dict(member_items(user).filter(pk__in=page_ids).values_list("pk", "title"))
        if page_ids
        else {}
    )
    for event in rows:
        names = communities if event.kind == ConsentEvent.Kind.COMMUNITY_RULES else pages
        history.entries.append(ConsentHistoryEntry(event=event, subject=names.get(event.scope_id)))
    return history


@dataclass
class WithdrawalImpact:
    """What withdrawing health-data consent would do to each of a member's items.

    An item that is published *and* has a newer revision in review appears in
    both ``in_review`` and ``published``. ``unchanged`` holds drafts and items
    sent back with changes requested: they stay private to the member.
    ``review_states`` maps the pk of each item in review to its workflow state.
    """

    in_review: list[ContentPage] = field(default_factory=list)
    published: list[ContentPage] = field(default_factory=list)
    unchanged: list[ContentPage] = field(default_factory=list)
    review_states: dict[int, WorkflowState] = field(default_factory=dict)

    @property
    def changes_anything(self) -> bool:
        return bool(self.in_review or self.published)


def member_items(user: User) -> QuerySet[ContentPage]:
    """Every content page ``user`` wrote, by title."""
    return ContentPage.objects.filter(author=user).order_by("title", "pk")


def consent_withdrawal_impact(user: User) -> WithdrawalImpact:
    """Sort ``user``'s items by what withdrawing health-data consent would do to them.

    Items in review (a workflow in progress) would be withdrawn from review,
    live items unpublished; the rest (drafts, changes requested) are left
    alone. The same function drives the confirmation page and the withdrawal
    itself, so the member is told exactly what then happens. Two queries.
    """
    pages = list(member_items(user))
    # Workflow states point at the base Page content type, so Wagtail's
    # prefetch_workflow_states() finds nothing from a ContentPage queryset.
    states = (
        WorkflowState.objects.active()
        .filter(
            status=WorkflowState.STATUS_IN_PROGRESS,
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=[str(page.pk) for page in pages],
        )
        .select_related("current_task_state__task")
    )
    impact = WithdrawalImpact(review_states={int(state.object_id): state for state in states})
    for page in pages:
        in_review = page.pk in impact.review_states
        if in_review:
            impact.in_review.append(page)
        if page.live:
            impact.published.append(page)
        if not in_review and not page.live:
            impact.unchanged.append(page)
    return impact


# --- The welcome page (/welcome/) ----------------------------------------------

# Most used topics offered to a member who follows none of them yet.
WELCOME_POPULAR_TOPICS = 12


@dataclass
class WelcomeInterests:
    """What the welcome page's first step offers ``user`` and what they chose before.

    ``followed_topics`` are the tags the member follows that carry at least one
    item they may read (shown ticked, so unticking one stops following it);
    ``popular_topics`` the most used readable tags they do not follow yet.
    A tag found only on drafts, items in review or restricted items is in
    neither: it does not exist for the reader.
    """

    conditions: list[Condition] = field(default_factory=list)
    chosen_condition_ids: list[int] = field(default_factory=list)
    followed_topics: list[Tag] = field(default_factory=list)
    popular_topics: list[Tag] = field(default_factory=list)

    @property
    def topics(self) -> list[Tag]:
        return [*self.followed_topics, *self.popular_topics]


def welcome_interests(
    *, user: User, popular_limit: int = WELCOME_POPULAR_TOPICS
) -> WelcomeInterests:
    """The conditions and topics the welcome page offers ``user``, in five queries.

    Reading it never creates anything (a member without a profile yet gets
    the defaults: no conditions, no topics).
    """
    profile = own_profile(user=user)
    chosen = list(profile.conditions.values_list("pk", flat=True)) if profile.pk else []
    return WelcomeInterests(
        conditions=list(Condition.objects.order_by("name")),
        chosen_condition_ids=chosen,
        followed_topics=topics_followed(viewer=user, profile=profile),
        popular_topics=popular_topics(user=user, limit=popular_limit),
    )


def welcome_visibility(*, user: User) -> str:
    """The profile visibility ``user`` has now (the default for a member without a profile)."""
    return own_profile(user=user).visibility
