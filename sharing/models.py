"""The sharing policy (a site-wide default and rules) and the share log.

The decision itself is ``sharing.policy.decide``; these models only hold
what it reads. Rules are Wagtail snippets, so every change made in the admin
is in its history with who and when (Wagtail's audit log); the file import
(``manage.py sharing_policy``) writes the same log entries.

The log counts shares per network, item and day, and nothing else: no
person, no address, no time of day. A share of a deleted item goes with it.
"""

from django.db import models
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from .networks import NETWORK_CHOICES

# The kinds of page that may ever be shared, by model label. An answer is
# read under its question and is shared through it; section indexes, the
# home page and profiles are not items.
SHAREABLE_TYPES = {
    "blogs.blogpage": gettext_lazy("Blog post"),
    "blogs.expertarticlepage": gettext_lazy("Expert article"),
    "experience_stories.experiencestorypage": gettext_lazy("Experience story"),
    "questions.questionpage": gettext_lazy("Question"),
    "core.communitypage": gettext_lazy("Community page"),
}
CONTENT_TYPE_CHOICES = list(SHAREABLE_TYPES.items())

CONSENT_HELP = gettext_lazy(
    "When sharing is allowed: only items whose author chose “may be shared outside Kindred”. "
    "Pages of the organisation (communities) have no member author and count as consenting."
)


@register_setting(icon="link")
class SharingSettings(BaseSiteSetting):
    """The site-wide default: what happens to a share no rule speaks about."""

    allowed_by_default = models.BooleanField(
        gettext_lazy("allow sharing when no rule matches"),
        default=True,
        help_text=gettext_lazy("Public items only: nothing that is not public is ever shared."),
    )
    needs_author_consent = models.BooleanField(
        gettext_lazy("and only with the author’s consent"), default=True, help_text=CONSENT_HELP
    )

    panels = [
        HelpPanel(
            content=format_lazy(
                "<p>{}</p>",
                gettext_lazy(
                    "The most specific rule wins (a rule naming a content type, a community "
                    "and a network beats one naming fewer); between equally specific rules a "
                    "denial wins; this default applies when no rule matches. Rules are under "
                    "Sharing › Rules."
                ),
            )
        ),
        FieldPanel("allowed_by_default"),
        FieldPanel("needs_author_consent"),
    ]

    class Meta:
        verbose_name = gettext_lazy("sharing policy default")


class SharingRule(models.Model):
    """One rule: for shares of this content type, from this community, to this network.

    Blank content type or network and no community mean "any". The default
    (all three blank) is ``SharingSettings``, so such a rule is refused; and
    two rules over the same three dimensions would contradict each other, so
    at most one exists (two partial unique constraints, because a NULL
    community never equals another NULL in a plain one).
    """

    content_type = models.CharField(
        max_length=64,
        choices=CONTENT_TYPE_CHOICES,
        blank=True,
        help_text=gettext_lazy("Blank: any type."),
    )
    community = models.ForeignKey(
        "core.CommunityPage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sharing_rules",
        help_text=gettext_lazy("Blank: any community or none."),
    )
    network = models.CharField(
        max_length=16,
        choices=NETWORK_CHOICES,
        blank=True,
        help_text=gettext_lazy("Blank: any network."),
    )
    allowed = models.BooleanField(gettext_lazy("allow sharing"), default=True)
    needs_author_consent = models.BooleanField(
        gettext_lazy("only with the author’s consent"), default=False, help_text=CONSENT_HELP
    )
    note = models.CharField(
        max_length=200,
        blank=True,
        help_text=gettext_lazy("Why the rule exists, for whoever reads it next."),
    )

    panels = [
        FieldPanel("content_type"),
        FieldPanel("community"),
        FieldPanel("network"),
        FieldPanel("allowed"),
        FieldPanel("needs_author_consent"),
        FieldPanel("note"),
    ]

    class Meta:
        ordering = ["content_type", "community_id", "network", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(content_type="", community__isnull=True, network=""),
                name="sharing_rule_names_something",
                violation_error_message=gettext_lazy(
                    "A rule names a content type, a community or a network; the site-wide "
                    "default covers everything else."
                ),
            ),
            models.UniqueConstraint(
                fields=["content_type", "community", "network"],
                condition=Q(community__isnull=False),
                name="sharing_rule_one_per_scope_in_community",
                violation_error_message=gettext_lazy(
                    "A rule for this type, community and network exists."
                ),
            ),
            models.UniqueConstraint(
                fields=["content_type", "network"],
                condition=Q(community__isnull=True),
                name="sharing_rule_one_per_scope",
                violation_error_message=gettext_lazy("A rule for this type and network exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The rule in words: "Experience story · Carers · X: not allowed"."""
        parts = [
            str(SHAREABLE_TYPES.get(self.content_type, _("Any type")))
            if self.content_type
            else _("Any type"),
            self.community.title if self.community_id else _("any community"),
            str(self.get_network_display()) if self.network else _("any network"),
        ]
        verdict = _("allowed") if self.allowed else _("not allowed")
        if self.allowed and self.needs_author_consent:
            verdict = _("allowed with the author’s consent")
        return f"{' · '.join(parts)}: {verdict}"


class ShareCount(models.Model):
    """How many times one page was shared to one network on one day. Nobody is recorded."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    # The community the page belonged to when shared (a community's own page).
    community = models.ForeignKey(
        "core.CommunityPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    network = models.CharField(max_length=16, choices=NETWORK_CHOICES)
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        permissions = [("view_share_log", "Can see the share log (Reports › Shares)")]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "page", "day"], name="sharing_count_one_per_network_page_day"
            ),
        ]
        indexes = [models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.page_id} → {self.network} on {self.day}: {self.count}"
