"""Small abstract mixins; each owns its fields and the panels that edit them.

List them before ``Page`` in a page's bases so their fields come first.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField

from core.blocks import BodyBlock

from .audiences import Audience

SUMMARY_MAX_LENGTH = 300


class AuthorshipMixin(models.Model):
    """Who wrote the page, and whether the byline may name them.

    ``is_anonymous`` lives here (on the shared parent) rather than on stories
    alone so cross-type listings can hide a byline without a join; only the
    experience story form offers it.
    """

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="authored_pages",
    )
    is_anonymous = models.BooleanField(
        gettext_lazy("publish anonymously"),
        default=False,
        help_text=gettext_lazy("Hide the author's name everywhere on the public site."),
    )

    # Only administrators choose an author by hand; everyone else becomes
    # the author of what they create (see core.forms.ContentPageForm).
    authorship_panels = [FieldPanel("author", permission="superuser")]

    class Meta:
        abstract = True

    @property
    def public_author(self):
        """The author if the byline may name them, otherwise ``None``."""
        return None if self.is_anonymous else self.author

    @property
    def byline(self):
        """The name shown publicly for the author of this page."""
        if self.is_anonymous:
            return _("Anonymous member")
        if self.author is None:
            return _("Former member")
        return self.author.public_name


class AudienceMixin(models.Model):
    """Who may read the item: everyone, the members of Kindred, or one community.

    The author chooses when writing (``authoring``); reviewers may narrow it.
    ``community`` is set exactly when the audience is a community (check
    constraint on ``ContentPage``). The rule that applies it is
    ``core.selectors.readable_content``; nothing else decides.
    """

    audience = models.CharField(
        max_length=16,
        choices=Audience.choices,
        default=Audience.EVERYONE,
        help_text=gettext_lazy("Who may read it. Narrowing needs no new review; widening does."),
    )
    community = models.ForeignKey(
        "core.CommunityPage",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
        help_text=gettext_lazy(
            "With the audience “a community”: the community whose members may read it."
        ),
    )

    audience_panels = [FieldPanel("audience"), FieldPanel("community")]

    class Meta:
        abstract = True

    @property
    def audience_label(self) -> str:
        """The audience as readers see it: "Everyone", "Members of Kindred" or the community."""
        if self.audience == Audience.COMMUNITY:
            return self.community.title if self.community_id else "A community"
        return self.get_audience_display()

    @property
    def is_public(self) -> bool:
        """Whether anyone, signed in or not, may read it (and search engines index it)."""
        return self.audience == Audience.EVERYONE


class SharingChoiceMixin(models.Model):
    """The author's choice whether the item may be shared outside Kindred.

    Only asked when the sharing policy says a share needs the author's
    consent (``sharing.policy``); what the author is offered by default
    depends on the kind (``authoring.kinds.Kind.share_default``). Set on the
    site's writing form, never in the admin: it is the author's to give.
    """

    may_be_shared = models.BooleanField(
        gettext_lazy("may be shared outside Kindred"),
        default=False,
        help_text=gettext_lazy(
            "Readers may post a link to it on networks such as Facebook, X or Mastodon, "
            "where the policy allows. The link's preview shows the title and summary, "
            "never the author."
        ),
    )

    class Meta:
        abstract = True


class SummaryMixin(models.Model):
    summary = models.CharField(
        max_length=SUMMARY_MAX_LENGTH,
        help_text=gettext_lazy("One or two sentences shown in listings and search results."),
    )

    summary_panels = [FieldPanel("summary")]

    class Meta:
        abstract = True


class BodyMixin(models.Model):
    body = StreamField(BodyBlock(), blank=True)

    body_panels = [FieldPanel("body")]

    class Meta:
        abstract = True


class IntroMixin(models.Model):
    intro = RichTextField(features=["bold", "italic", "link"], blank=True)

    intro_panels = [FieldPanel("intro")]

    class Meta:
        abstract = True


class MedicalReviewMixin(models.Model):
    """Records who gave the medical approval of the published version, and when.

    Every content type goes through the same two-step review, so the shared
    parent (``ContentPage``) carries it. Filled only by the review workflow as
    it publishes (``moderation.workflow.publish_reviewed``), inside the
    approved revision; never edited by hand. Empty means the live version was
    published without a medical approval (a superuser publishing directly).
    """

    medically_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    medically_reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def clear_medical_review(self):
        """Forget the review: it belonged to an earlier version than the one being saved."""
        self.medically_reviewed_by = None
        self.medically_reviewed_at = None
