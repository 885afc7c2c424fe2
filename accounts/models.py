from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from accounts.validators import DISPLAY_NAME_MAX_LENGTH, validate_display_name
from core import consent, pseudonyms

# Shown when someone has no display name yet (staff made on the command line).
# Never the username: members' usernames are random and would look broken,
# and a staff username may be a real name.
FALLBACK_PUBLIC_NAME = gettext_noop("Kindred member")


class User(AbstractUser):
    """A person who signs in: member, expert, reviewer or administrator.

    The display name is the only name ever shown publicly; members may use a
    pseudonym. First and last names stay private (they exist for staff).
    Members' usernames are random (``member-<hex>``) and never shown.
    """

    display_name = models.CharField(
        max_length=DISPLAY_NAME_MAX_LENGTH,
        blank=True,
        validators=[validate_display_name],
        help_text=gettext_lazy("Shown publicly next to everything you write. A pseudonym is fine."),
    )
    # Issue 18: the interface and email language this member chose ("" follows the
    # browser; emails then go out in the site's default). A code from settings.LANGUAGES,
    # checked by the account form, not by choices here: adding a language to the site
    # must not need a migration.
    language = models.CharField(max_length=16, blank=True, default="")

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            # One account per address, whatever the case; staff accounts made
            # without an email are allowed.
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="accounts_user_email_ci_unique",
            ),
        ]

    def __str__(self):
        return self.public_name

    @property
    def public_name(self):
        """The name to show to other people: the display name, never the email or username.

        Where this account must go by a pseudonym (``core.pseudonyms``: an
        anonymous asker in front of a reviewer), the pseudonym.
        """
        return (
            pseudonyms.name_shown_for(self.pk) or self.display_name or gettext(FALLBACK_PUBLIC_NAME)
        )

    def get_full_name(self):
        """The public name, for Wagtail and Django, which name users by ``get_full_name``.

        Wagtail falls back to the username when this is empty, and shows it in
        the review queue, page histories and reviewers' emails: a member's
        random username, or a staff member's real one. First and last names
        stay private.
        """
        return self.public_name


class Consent(models.Model):
    """One agreement by a member to one version of a text in ``core.consent``.

    Records are never edited except to note a withdrawal, so the account page
    and any audit can show exactly what was agreed to, and when. Agreeing to a
    newer version adds a row; the older one stays as history.
    """

    class Kind(models.TextChoices):
        GUIDELINES = consent.GUIDELINES, gettext_lazy("Community guidelines")
        HEALTH_DATA = consent.HEALTH_DATA, gettext_lazy("Processing of health information")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    version = models.CharField(max_length=20)
    given_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-given_at", "-pk"]
        indexes = [models.Index(fields=["user", "kind"], name="accounts_consent_user_kind")]
        constraints = [
            # At most one standing agreement per text version, so a double
            # submit cannot create two and "withdraw" always closes them all.
            models.UniqueConstraint(
                fields=["user", "kind", "version"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="accounts_consent_one_standing_per_version",
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True)
                | models.Q(withdrawn_at__gte=models.F("given_at")),
                name="accounts_consent_withdrawn_after_given",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.version} ({self.user_id})"

    @property
    def is_standing(self):
        """Given and not withdrawn (whatever the version)."""
        return self.withdrawn_at is None

    @property
    def is_current(self):
        """Standing, and for the version of the text in force today."""
        return self.is_standing and self.version == consent.CURRENT[self.kind].version


class LedgerIsAppendOnly(Exception):
    """Raised on any attempt to change or delete a consent ledger entry."""


APPEND_ONLY = "The consent ledger is append-only: entries are never changed or deleted."


class ConsentEventQuerySet(models.QuerySet):
    """Queries on the ledger that can add and read, never change or delete.

    ``bulk_create`` stays (it only adds); ``update``, ``delete`` and
    ``bulk_update`` refuse. The database refuses too (triggers made by
    migration 0003), so raw SQL cannot get round this class either.
    """

    def update(self, **kwargs):
        raise LedgerIsAppendOnly(APPEND_ONLY)

    def delete(self):
        raise LedgerIsAppendOnly(APPEND_ONLY)

    def bulk_update(self, objs, fields, batch_size=None):
        raise LedgerIsAppendOnly(APPEND_ONLY)

    def update_or_create(self, *args, **kwargs):
        raise LedgerIsAppendOnly(APPEND_ONLY)

    # The private path Django's deletion collector takes for fast deletes.
    def _raw_delete(self, using):
        raise LedgerIsAppendOnly(APPEND_ONLY)

    _raw_delete.alters_data = True


class LedgerKind(models.TextChoices):
    GUIDELINES = consent.GUIDELINES, gettext_lazy("Community guidelines")
    HEALTH_DATA = consent.HEALTH_DATA, gettext_lazy("Processing of health information")
    COMMUNITY_RULES = "community_rules", gettext_lazy("A community's rules")
    SHARING = "sharing", gettext_lazy("Sharing an item outside Kindred")


class LedgerAction(models.TextChoices):
    GRANT = "grant", gettext_lazy("Given")
    WITHDRAW = "withdraw", gettext_lazy("Withdrawn")


class LedgerChannel(models.TextChoices):
    SIGN_UP = "sign_up", gettext_lazy("Sign-up form")
    ACCOUNT_PAGE = "account_page", gettext_lazy("Account page")
    WELCOME = "welcome", gettext_lazy("Welcome page")
    COMMUNITY_PAGE = "community_page", gettext_lazy("Community page")
    INVITATION = "invitation", gettext_lazy("Invitation")
    WRITING_FORM = "writing_form", gettext_lazy("Writing form")
    # Records made by Kindred itself: the demo data, set-up commands.
    SYSTEM = "system", gettext_lazy("Kindred (set-up)")
    # Entries made from the records that existed before the ledger (migration 0004).
    BACKFILL = "backfill", gettext_lazy("Earlier record")


class ConsentEvent(models.Model):
    """One grant or withdrawal of one consent, as it happened: the consent ledger.

    ``Consent`` (and a membership's ``rules_version``, an item's
    ``may_be_shared``) hold where a member stands *now*; this ledger holds how
    they got there, for the member (their account page) and for the
    data-protection officer (an export). It is append-only at every level:
    the model, its queryset and database triggers refuse to change or delete
    a row.

    The person is kept by id only, without a database constraint (like
    Wagtail's log entries): deleting an account leaves its history here,
    pseudonymous, instead of failing or taking the history with it. Nothing
    here is health text; ``scope`` names a community or an item by id, never
    by title.
    """

    Kind = LedgerKind
    Action = LedgerAction
    Channel = LedgerChannel

    # The kinds whose texts are the site's own (core.consent): no scope.
    SITE_KINDS = (Kind.GUIDELINES, Kind.HEALTH_DATA)
    COMMUNITY_SCOPE = "community:"
    PAGE_SCOPE = "page:"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        # Like Wagtail's LogEntry: no cascade and no constraint, so the history
        # outlives the account as a bare id (a pseudonym).
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="consent_events",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    action = models.CharField(max_length=10, choices=Action.choices)
    version = models.CharField(max_length=20)
    scope = models.CharField(max_length=40, blank=True)
    at = models.DateTimeField(default=timezone.now)
    channel = models.CharField(max_length=20, choices=Channel.choices)

    objects = ConsentEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        # Nobody changes or deletes an entry, so no change or delete permission.
        default_permissions = ("view",)
        permissions = [("export_consentevent", "Can read and export the consent ledger")]
        indexes = [
            models.Index(fields=["user", "-at"], name="accounts_ledger_user_at"),
            models.Index(fields=["-at"], name="accounts_ledger_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=LedgerKind.values),
                name="accounts_ledger_kind_known",
            ),
            models.CheckConstraint(
                condition=models.Q(action__in=LedgerAction.values),
                name="accounts_ledger_action_known",
            ),
            models.CheckConstraint(
                condition=models.Q(channel__in=LedgerChannel.values),
                name="accounts_ledger_channel_known",
            ),
            models.CheckConstraint(condition=~models.Q(version=""), name="accounts_ledger_version"),
            # Site texts have no scope; a community's rules name the community,
            # sharing names the item.
            models.CheckConstraint(
                condition=(
                    models.Q(kind__in=[consent.GUIDELINES, consent.HEALTH_DATA], scope="")
                    | models.Q(kind="community_rules", scope__startswith="community:")
                    | models.Q(kind="sharing", scope__startswith="page:")
                ),
                name="accounts_ledger_scope_fits_kind",
            ),
        ]

    def __str__(self):
        # The label of the event's entry in Wagtail's audit log: no name, no title.
        scope = f" ({self.scope})" if self.scope else ""
        return (
            f"{self.get_kind_display()}{scope}, version {self.version}: {self.get_action_display()}"
        )

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise LedgerIsAppendOnly(APPEND_ONLY)
        # An insert, never an UPDATE on a pk someone set by hand.
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    save.alters_data = True

    def delete(self, *args, **kwargs):
        raise LedgerIsAppendOnly(APPEND_ONLY)

    delete.alters_data = True

    @property
    def scope_id(self) -> int | None:
        """The community's or item's id named by ``scope``; None for a site text."""
        _prefix, _sep, value = self.scope.partition(":")
        return int(value) if value.isdigit() else None
