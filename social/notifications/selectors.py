"""Reads for notifications: the bell count, the rendered list, email preferences.

Notifications store ids only. What a member sees is worked out here, at read
time, from the page and comment as they are now: an item unpublished since,
or a removed reply, shows as "no longer available", and an anonymous item
never names its author, whatever was true when the notification was made.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import CharField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.expressions import Case, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.models import ContentPage
from core.selectors import readable_content
from moderation.selectors import review_decision_comments
from social.models import (
    EmailDelivery,
    MemberBlock,
    MemberFollow,
    MemberMute,
    Notification,
    NotificationKind,
    NotificationPreference,
    TopicFollow,
)

from .kinds import EntryResolver, registered_kinds

# What a member gets by email for a kind before they choose (no preference row).
# Review decisions and replies answer something the member did and waits for,
# so they go at once; followers and followed items can come in bursts, so they
# wait for the daily digest.
DEFAULT_EMAIL = {
    NotificationKind.NEW_FOLLOWER: EmailDelivery.DAILY,
    NotificationKind.FOLLOWED_ITEM: EmailDelivery.DAILY,
    NotificationKind.COMMENT_REPLY: EmailDelivery.IMMEDIATE,
    NotificationKind.REVIEW_DECISION: EmailDelivery.IMMEDIATE,
    # Communities: an invitation, or a decision about one's own request or
    # membership, is personal and rare; it goes at once.
    NotificationKind.COMMUNITY_INVITATION: EmailDelivery.IMMEDIATE,
    NotificationKind.COMMUNITY_DECISION: EmailDelivery.IMMEDIATE,
    # Questions: the asker waits for an answer, and an expert's prompt answer
    # is the service the site promises; both go at once.
    NotificationKind.QUESTION_FOR_EXPERT: EmailDelivery.IMMEDIATE,
    NotificationKind.QUESTION_ANSWERED: EmailDelivery.IMMEDIATE,
}


def in_sentence(label: object) -> str:
    """A label (an item's type, a kind of notification) said inside a sentence.

    English lowers it ("New blog post by ..."); a language whose nouns keep
    their capital there (German) says so by translating "lower" as "keep".
    """
    # Translators: "keep" if labels keep their capital letters inside a sentence, else "lower".
    if pgettext("label inside a sentence", "lower") == "keep":
        return str(label)
    return str(label).lower()


def active_member(*, user_id: int) -> AbstractUser | None:
    """The active account ``user_id`` (an unsubscribe link names it), else None."""
    return get_user_model().objects.filter(pk=user_id, is_active=True).first()


def unread_count(*, user: AbstractUser) -> int:
    """How many of ``user``'s notifications are unread (one query on an index)."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_for(*, user: AbstractUser) -> QuerySet[Notification]:
    """``user``'s notifications, newest first, with actors and their profiles joined.

    Pass a page of it to ``notification_entries`` to render it.
    """
    return (
        Notification.objects.filter(recipient=user)
        .select_related("actor__profile")
        .order_by("-created_at", "-pk")
    )


@dataclass
class NotificationEntry:
    """One notification as its recipient may see it now (see the module docstring)."""

    notification: Notification
    # Who to name ("" for nobody) and where their name links ("" when their
    # profile is not visible to the recipient).
    actor_name: str = ""
    actor_url: str = ""
    # The item: empty title and url when it is no longer available.
    title: str = ""
    url: str = ""
    type_label: str = ""
    available: bool = True
    # Where opening the notification leads.
    target_url: str = ""
    # For review decisions: what the reviewer wrote to the author, if anything.
    review_comment: str = ""
    # The sentence, when the kind's resolver words it itself (the kinds of
    # apps above social, such as communities, which social does not know).
    sentence: str = ""

    @property
    def pk(self) -> int:
        return self.notification.pk

    @property
    def kind(self) -> str:
        return self.notification.kind

    @property
    def verb(self) -> str:
        return self.notification.verb

    @property
    def unread(self) -> bool:
        return self.notification.read_at is None

    @property
    def created_at(self) -> datetime:
        return self.notification.created_at

    @property
    def text(self) -> str:
        """The notification in one plain sentence (templates and emails share it)."""
        if self.kind == NotificationKind.NEW_FOLLOWER:
            if not self.actor_name:
                return _("Someone started following you.")
            return _("%(name)s started following you.") % {"name": self.actor_name}
        if not self.available:
            if self.kind == NotificationKind.COMMENT_REPLY:
                return _("A reply in a discussion that is no longer available.")
            return _("A notification about an item that is no longer available.")
        if self.sentence:
            return self.sentence
        sentence = SENTENCES.get(self.kind)
        return sentence(self) if sentence else _("Something happened.")


def _followed_item_sentence(entry: NotificationEntry) -> str:
    words = {"type": in_sentence(entry.type_label), "title": entry.title}
    if entry.actor_name:
        return _("New %(type)s by %(name)s: “%(title)s”.") % {**words, "name": entry.actor_name}
    return _("New %(type)s: “%(title)s”.") % words


def _comment_reply_sentence(entry: NotificationEntry) -> str:
    if not entry.actor_name:
        return _("Someone replied in a discussion on “%(title)s”.") % {"title": entry.title}
    return _("%(name)s replied in a discussion on “%(title)s”.") % {
        "name": entry.actor_name,
        "title": entry.title,
    }


def _review_decision_sentence(entry: NotificationEntry) -> str:
    if entry.verb == "published":
        return _("“%(title)s” passed review and is now published.") % {"title": entry.title}
    if entry.verb == "changes_requested":
        return _("Reviewers asked for changes to “%(title)s”.") % {"title": entry.title}
    return _("“%(title)s” passed a review step and goes to the next reviewer.") % {
        "title": entry.title
    }


# What an available entry says, by kind (``NotificationEntry.text``).
SENTENCES = {
    NotificationKind.FOLLOWED_ITEM: _followed_item_sentence,
    NotificationKind.COMMENT_REPLY: _comment_reply_sentence,
    NotificationKind.REVIEW_DECISION: _review_decision_sentence,
}


def fill_actor(
    entry: "NotificationEntry", *, user: AbstractUser, actor: AbstractUser | None
) -> None:
    """Name ``actor`` on ``entry``, with a link to their profile if ``user`` may see it."""
    if actor is None:
        return
    entry.actor_name = actor.public_name
    profile = getattr(actor, "profile", None) if _has_profile(actor) else None
    if profile is not None and profile.is_visible_to(user):
        entry.actor_url = profile.get_absolute_url()


def _has_profile(user):
    # A reverse one-to-one that does not exist raises rather than returning None.
    try:
        user.profile  # noqa: B018
    except ObjectDoesNotExist:
        return False
    return True


def _readable_pages(
    *, user: AbstractUser, notifications: list[Notification]
) -> dict[int, ContentPage]:
    """The pages the notifications are about that ``user`` may read now, by id (one query)."""
    page_ids = {n.page_id for n in notifications if n.page_id}
    if not page_ids:
        return {}
    return {
        page.pk: page
        for page in readable_content(
            user=user, queryset=ContentPage.objects.filter(pk__in=page_ids)
        ).select_related("author__profile")
    }


def _new_follower_entries(
    *, user: AbstractUser, entries: list[NotificationEntry], readable: dict[int, ContentPage]
) -> None:
    for entry in entries:
        fill_actor(entry, user=user, actor=entry.notification.actor)
        entry.target_url = entry.actor_url


def _followed_item_entries(
    *, user: AbstractUser, entries: list[NotificationEntry], readable: dict[int, ContentPage]
) -> None:
    for entry in entries:
        page = readable.get(entry.notification.page_id)
        if page is None:
            entry.available = False
            continue
        # The author as the page says now: an item made anonymous since names
        # nobody, whatever the notification recorded.
        if not page.is_anonymous:
            fill_actor(entry, user=user, actor=page.author)
        entry.title, entry.url = page.title, page.url or ""


def _own_items(*, user: AbstractUser, entries: list[NotificationEntry]) -> dict[int, ContentPage]:
    """The items the entries are about that ``user`` wrote, by id, live or not (one query)."""
    page_ids = {entry.notification.page_id for entry in entries} - {None}
    if not page_ids:
        return {}
    return {page.pk: page for page in ContentPage.objects.filter(pk__in=page_ids, author=user)}


def _review_decision_entries(
    *, user: AbstractUser, entries: list[NotificationEntry], readable: dict[int, ContentPage]
) -> None:
    """Decisions about the member's own items, often not live: the author may see their
    own draft's title, nobody else's. Two queries: their items, the reviewers' comments."""
    own = _own_items(user=user, entries=entries)
    decisions = [entry.notification for entry in entries if entry.notification.page_id in own]
    comments = review_decision_comments(
        decisions=[(n.pk, n.page_id, n.verb, n.created_at) for n in decisions]
    )
    for entry in entries:
        mine = own.get(entry.notification.page_id)
        if mine is None:
            entry.available = False
            continue
        entry.title = mine.draft_title or mine.title
        entry.review_comment = comments.get(entry.pk, "")
        page = readable.get(entry.notification.page_id)
        if page is not None:
            entry.url = page.url or ""
        entry.target_url = entry.url or reverse("authoring:contributions")


# Social's own kinds; the kinds other apps notify about come from NOTIFICATION_KINDS.
OWN_KINDS: dict[str, EntryResolver] = {
    NotificationKind.NEW_FOLLOWER: _new_follower_entries,
    NotificationKind.FOLLOWED_ITEM: _followed_item_entries,
    NotificationKind.REVIEW_DECISION: _review_decision_entries,
}


def _finish(entry: NotificationEntry, *, page: ContentPage | None) -> None:
    """What every entry shares: the item's type, nothing about an unavailable item, a target."""
    if page is not None and entry.available:
        entry.type_label = page.type_label
    if not entry.available:
        entry.actor_name = entry.actor_url = entry.title = entry.url = ""
        if entry.kind != NotificationKind.NEW_FOLLOWER:
            entry.target_url = ""
    if not entry.target_url:
        entry.target_url = entry.url


def notification_entries(
    *, user: AbstractUser, notifications: Iterable[Notification]
) -> list[NotificationEntry]:
    """Render ``notifications`` (``user``'s, actors joined) as ``NotificationEntry`` objects.

    A fixed number of queries whatever their number: readable pages in one,
    then each kind's resolver in a fixed number (review decisions: the
    member's own items and the reviewers' comments; replies: visible comments).
    A kind nobody resolves shows as no longer available.
    """
    notifications = list(notifications)
    entries = [NotificationEntry(notification=notification) for notification in notifications]
    readable = _readable_pages(user=user, notifications=notifications)
    by_kind: dict[str, list[NotificationEntry]] = {}
    for entry in entries:
        by_kind.setdefault(entry.kind, []).append(entry)
    resolvers = {**registered_kinds(), **OWN_KINDS}
    for kind, group in by_kind.items():
        resolver = resolvers.get(kind)
        if resolver is None:
            for entry in group:
                entry.available = False
        else:
            resolver(user=user, entries=group, readable=readable)
    for entry in entries:
        _finish(entry, page=readable.get(entry.notification.page_id))
    return entries


def email_preferences_for(*, user_ids: Iterable[int], kind: str) -> dict[int, str]:
    """``{user_id: EmailDelivery}`` for ``kind``, defaults filled in; one query."""
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=user_ids, kind=kind).values_list(
            "user_id", "email"
        )
    )
    default = DEFAULT_EMAIL[kind]
    return {user_id: chosen.get(user_id, default) for user_id in user_ids}


def followed_publication_recipients(*, page: ContentPage) -> QuerySet[AbstractUser]:
    """Who hears that ``page`` was published: followers of its author and of its tags.

    The author's followers only when the item is not anonymous (a notice would
    say who wrote it). Never the author, nor deactivated accounts, nor anyone
    already told about this page. For a named item, not the members who muted
    the author or stand in a block with them either way; an anonymous item
    reaches topic followers whatever their ties with its real author, exactly
    as an anonymous item by a stranger would (leaving one out would tell them
    who wrote it: issue 10, finding 8). Whether each may read the page is checked by
    the caller (``readable_content`` per recipient). Each member once, however
    many of their follows match.
    """
    tag_ids = page.tags.values("pk")
    follower_ids = TopicFollow.objects.filter(tag__in=tag_ids).values("follower_id")
    follows = Q(pk__in=follower_ids)
    if not page.is_anonymous and page.author_id:
        follows |= Q(
            pk__in=MemberFollow.objects.filter(followee_id=page.author_id).values("follower_id")
        )
    told = Notification.objects.filter(kind=NotificationKind.FOLLOWED_ITEM, page_id=page.pk).values(
        "recipient_id"
    )
    recipients = get_user_model().objects.filter(follows, is_active=True).exclude(pk__in=told)
    if page.author_id:
        author = page.author_id
        # Only the author themselves learns nothing by not being told.
        recipients = recipients.exclude(pk=author)
    if page.author_id and not page.is_anonymous:
        recipients = (
            recipients.exclude(pk__in=MemberMute.objects.filter(muted_id=author).values("muter_id"))
            .exclude(pk__in=MemberBlock.objects.filter(blocked_id=author).values("blocker_id"))
            .exclude(pk__in=MemberBlock.objects.filter(blocker_id=author).values("blocked_id"))
        )
    return recipients.order_by("pk")


def email_preferences(*, user: AbstractUser) -> list[tuple[str, str, EmailDelivery]]:
    """``[(kind, label, EmailDelivery)]`` for every kind, defaults filled in; one query."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
    return [
        (kind, label, EmailDelivery(chosen.get(kind, DEFAULT_EMAIL[kind])))
        for kind, label in NotificationKind.choices
    ]


def email_preference(*, user: AbstractUser, kind: str) -> str:
    """How ``user`` wants ``kind`` by email now (their choice or the default); one query."""
    chosen = (
        NotificationPreference.objects.filter(user=user, kind=kind)
        .values_list("email", flat=True)
        .first()
    )
    return chosen or DEFAULT_EMAIL[kind]


# A digest looks back this far: notifications made while email for their kind
# was off or immediate are never emailed, and switching to the digest later
# must not send weeks of old news at once.
DIGEST_WINDOW = timedelta(days=7)


def pending_digest(*, now: datetime | None = None) -> QuerySet[Notification]:
    """Notifications waiting for a digest: unread, not emailed, of a kind the recipient
    now gets daily (their choice or the default), made within ``DIGEST_WINDOW``,
    recipients active; oldest first. One query.

    Read ones are left out: the member has seen them on the site, and a
    notification superseded by a newer one about the same item was marked
    read (migration 0003) rather than emailed as stale news.
    """
    now = now or timezone.now()
    chosen = NotificationPreference.objects.filter(
        user=OuterRef("recipient"), kind=OuterRef("kind")
    ).values("email")[:1]
    default = Case(
        *[When(kind=kind, then=Value(str(email))) for kind, email in DEFAULT_EMAIL.items()],
        output_field=CharField(),
    )
    return (
        Notification.objects.filter(
            read_at__isnull=True,
            emailed_at__isnull=True,
            created_at__gte=now - DIGEST_WINDOW,
            recipient__is_active=True,
        )
        .annotate(delivery=Coalesce(Subquery(chosen), default))
        .filter(delivery=EmailDelivery.DAILY)
        .order_by("created_at", "pk")
    )
