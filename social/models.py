"""A member's public face and social ties: profile, follows, blocks, mutes, notifications."""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from core import roles

BIO_MAX_LENGTH = 500
HANDLE_MAX_LENGTH = 60


@dataclass(frozen=True)
class RoleBadge:
    """What the badge next to a name says; ``key`` picks its CSS class."""

    key: str
    label: str

    @property
    def css_class(self):
        return f"badge badge-{self.key}"


EXPERT_BADGE = RoleBadge("expert", gettext_lazy("Verified expert"))
REVIEWER_BADGE = RoleBadge("reviewer", gettext_lazy("Reviewer"))
MEMBER_BADGE = RoleBadge("member", gettext_lazy("Member"))


def role_badge_for(user):
    """The badge ``user`` carries, derived from their groups (never stored).

    Iterates ``user.groups.all()`` so that a ``prefetch_related("user__groups")``
    serves it without a query per person. Expert comes first: a clinician who
    also reviews is shown to readers as the expert they are.
    """
    names = {group.name for group in user.groups.all()}
    if roles.EXPERTS in names:
        return EXPERT_BADGE
    if names & {roles.EDITORS, roles.MEDICAL_REVIEWERS}:
        return REVIEWER_BADGE
    return MEMBER_BADGE


class ProfileVisibility(models.TextChoices):
    """Who may see a profile (and so whose bylines link to it)."""

    EVERYONE = "everyone", gettext_lazy("Everyone, including visitors who are not signed in")
    MEMBERS = "members", gettext_lazy("Signed-in members only")
    ONLY_ME = "only_me", gettext_lazy("Only me")


class Profile(models.Model):
    """One per user, made on demand by ``social.services.profile_get_or_create``.

    ``handle`` is the only identifier in profile URLs: it is made from the
    display name and a random suffix, never from the username or email. When
    the display name changes, the profile gets a new handle (an address must
    never carry a name the member has since changed); the old one answers 404
    like a missing member unless ``redirect_former_handles`` is on. Every
    handle ever given is kept in ``ProfileHandle`` so none is given twice.
    """

    Visibility = ProfileVisibility

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    handle = models.SlugField(max_length=HANDLE_MAX_LENGTH, unique=True, editable=False)
    bio = models.CharField(max_length=BIO_MAX_LENGTH, blank=True)
    # Only ever written by social.avatars after re-encoding; the name is random.
    avatar = models.ImageField(upload_to="avatars/", blank=True, max_length=200)
    conditions = models.ManyToManyField(
        "core.Condition",
        blank=True,
        related_name="interested_profiles",
        verbose_name="conditions of interest",
    )
    visibility = models.CharField(
        max_length=16, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    # Opt-in for the later "people like me" suggestions; off until asked for.
    show_in_suggestions = models.BooleanField(default=False)
    # Whether others may see whom this member follows and who follows them.
    show_follow_lists = models.BooleanField(
        default=True, verbose_name="show whom I follow and who follows me"
    )
    # Off by default (issue 10, finding 15): the topics a member follows say
    # what they live with, so others see them only if the member says so.
    show_followed_topics = models.BooleanField(
        default=False, verbose_name="show the topics I follow"
    )
    # Off by default: an old address carries the member's previous name, so it
    # only leads to the profile if the member asks for that.
    redirect_former_handles = models.BooleanField(
        default=False, verbose_name="keep my old profile addresses working"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visibility__in=ProfileVisibility.values),
                name="social_profile_visibility_valid",
            ),
            # Blank handles would make /members/ ambiguous.
            models.CheckConstraint(
                condition=~models.Q(handle=""), name="social_profile_handle_not_blank"
            ),
        ]

    def __str__(self):
        return self.handle

    def get_absolute_url(self):
        return reverse("social:profile_detail", kwargs={"handle": self.handle})

    def is_visible_to(self, viewer):
        """Whether ``viewer`` (a user or AnonymousUser) may see this profile.

        Pure Python on already-loaded fields, so templates and bylines can ask
        it for every item of a listing without a query. A deactivated account
        has no public profile.
        """
        if not self.user.is_active:
            return False
        if viewer is not None and viewer.is_authenticated and viewer.pk == self.user_id:
            return True
        if self.visibility == self.Visibility.EVERYONE:
            return True
        if self.visibility == self.Visibility.MEMBERS:
            return viewer is not None and viewer.is_authenticated
        return False

    @property
    def role_badge(self):
        return role_badge_for(self.user)

    @property
    def initials(self):
        """Up to two letters shown in place of an avatar (no Gravatar, ever)."""
        return initials_for(self.user.display_name)


class ProfileHandle(models.Model):
    """Every handle a profile has had, the current one included.

    The unique ``handle`` is what guarantees that an address, once given, never
    leads to anyone else: a new handle is only taken by inserting it here
    (``social.services.profiles``). Deleted with the profile.
    """

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="handles")
    handle = models.SlugField(max_length=HANDLE_MAX_LENGTH, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(handle=""), name="social_profilehandle_not_blank"
            ),
        ]

    def __str__(self):
        return self.handle


def initials_for(name):
    """The first letter of the first two words of ``name``, or "?"."""
    letters = [word[0] for word in (name or "").split() if word[:1].isalnum()]
    return "".join(letters[:2]).upper() or "?"


class MemberFollow(models.Model):
    """``follower`` follows ``followee``: their newly published items reach the follower's feed."""

    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member_follows"
    )
    followee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followers"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["follower", "followee"], name="social_memberfollow_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(follower=models.F("followee")),
                name="social_memberfollow_not_self",
            ),
        ]
        indexes = [models.Index(fields=["followee", "-created_at"])]

    def __str__(self):
        return f"{self.follower_id} follows member {self.followee_id}"


class TopicFollow(models.Model):
    """``follower`` follows a topic (a tag): items carrying it reach the follower's feed."""

    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_follows"
    )
    tag = models.ForeignKey("taggit.Tag", on_delete=models.CASCADE, related_name="followers")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "tag"], name="social_topicfollow_once"),
        ]

    def __str__(self):
        return f"{self.follower_id} follows topic {self.tag_id}"


class MemberBlock(models.Model):
    """``blocker`` blocks ``blocked``: no following, no replies, only the public profile."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_made"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_received"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="social_memberblock_once"),
            models.CheckConstraint(
                condition=~models.Q(blocker=models.F("blocked")),
                name="social_memberblock_not_self",
            ),
        ]

    def __str__(self):
        return f"{self.blocker_id} blocks {self.blocked_id}"


class MemberMute(models.Model):
    """``muter`` mutes ``muted``: their items leave the muter's feed; nothing is told to anyone."""

    muter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mutes_made"
    )
    muted = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mutes_received"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["muter", "muted"], name="social_membermute_once"),
            models.CheckConstraint(
                condition=~models.Q(muter=models.F("muted")),
                name="social_membermute_not_self",
            ),
        ]

    def __str__(self):
        return f"{self.muter_id} mutes {self.muted_id}"


class NotificationKind(models.TextChoices):
    """What a notification is about; each kind has its own email preference.

    The labels are plain English strings, marked for translation only
    (``gettext_noop``): callers compare and list them as strings. Where a
    person reads one, ``kind_label`` says it in the active language.
    """

    NEW_FOLLOWER = "new_follower", gettext_noop("Someone follows me")
    FOLLOWED_ITEM = "followed_item", gettext_noop("New items from people and topics I follow")
    COMMENT_REPLY = "comment_reply", gettext_noop("Replies in discussions I take part in")
    REVIEW_DECISION = "review_decision", gettext_noop("Review decisions on my items")
    # Communities (issue 12): resolved by communities.notifications through
    # the kindred_notification_kinds hook; the verb says which decision.
    COMMUNITY_INVITATION = "community_invitation", gettext_noop("Invitations to join a community")
    COMMUNITY_DECISION = (
        "community_decision",
        gettext_noop("Decisions about my place in a community"),
    )
    # Ask an expert (issue 13): resolved by questions.notifications; the verb
    # says whether an answer was published or accepted.
    QUESTION_FOR_EXPERT = (
        "question_for_expert",
        gettext_noop("New questions in the areas I answer (experts)"),
    )
    QUESTION_ANSWERED = (
        "question_answered",
        gettext_noop("Answers to my questions, and accepted answers"),
    )


def kind_label(kind: str) -> str:
    """The label of notification kind ``kind``, in the active language."""
    return gettext(NotificationKind(kind).label)


class EmailDelivery(models.TextChoices):
    """How a kind of notification reaches a member by email."""

    IMMEDIATE = "immediate", gettext_lazy("Email me at once")
    DAILY = "daily", gettext_lazy("One daily digest email")
    OFF = "off", gettext_lazy("No email (on the site only)")


class Notification(models.Model):
    """One thing that happened for ``recipient``, shown under the bell and maybe emailed.

    While unread it stands for the latest event of its kind about its item: a
    newer one replaces it (a database constraint keeps one unread per
    recipient, item and kind; ``social.notifications.services._deliver``).

    Only ids are stored, never copied text: what is shown is rendered at read
    time from the page and comment as they are then, through the same
    readability checks as everything else, so an item unpublished since (or an
    anonymous story) never leaks through an old notification.
    """

    Kind = NotificationKind

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    # Who caused it (the new follower, the replier); empty when it must not be said.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    comment_id = models.PositiveIntegerField(null=True, blank=True)
    # For review decisions: "approved", "published" or "changes_requested".
    verb = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set once the notification went out by email, immediately or in a digest.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=NotificationKind.values),
                name="social_notification_kind_valid",
            ),
            # One unread notification per reader, item and kind: a newer event
            # about the same item replaces the unread one (see
            # ``social.notifications.services._deliver``) instead of piling up
            # ("approved", then "published"). Held here so that two events
            # racing cannot both insert; read ones and page-less kinds (new
            # followers) are not concerned.
            models.UniqueConstraint(
                fields=["recipient", "page", "kind"],
                condition=models.Q(read_at__isnull=True, page__isnull=False),
                name="social_notification_one_unread_per_item",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"]),
            models.Index(fields=["recipient", "read_at"]),
        ]

    def __str__(self):
        return f"{self.kind} for {self.recipient_id}"


class NotificationPreference(models.Model):
    """A member's email choice for one kind; a missing row means the kind's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    email = models.CharField(max_length=16, choices=EmailDelivery.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="social_notificationpref_once"),
            models.CheckConstraint(
                condition=models.Q(kind__in=NotificationKind.values)
                & models.Q(email__in=EmailDelivery.values),
                name="social_notificationpref_valid",
            ),
        ]

    def __str__(self):
        return f"{self.user_id} {self.kind}: {self.email}"
