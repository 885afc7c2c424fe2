"""Communities and audiences: who may read an item, decided by its author.

A community is a closed group (people newly diagnosed, carers, clinicians)
with its own members, moderators and rules. Every content item names its
audience (``AudienceMixin``): everyone, the members of Kindred, or one
community. The models live in the core, not in the ``communities`` app that
offers joining and moderating, because the one readability rule
(``core.selectors.readable_content``) must read them and the core imports no
Kindred app.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from core.forms import CommunityPageForm
from core.hooks import COMMUNITY_INDEX_CONTEXT, COMMUNITY_PAGE_CONTEXT, page_context

from .mixins import IntroMixin


class CommunityIndexPage(IntroMixin, Page):
    """ "Communities": the directory of listed communities, parent of every community."""

    parent_page_types = ["core.HomePage"]
    subpage_types = ["core.CommunityPage"]
    max_count = 1

    content_panels = [*Page.content_panels, *IntroMixin.intro_panels]

    class Meta:
        verbose_name = gettext_lazy("communities index")

    def get_context(self, request, *args, **kwargs):
        # The directory is the communities app's (core.hooks.COMMUNITY_INDEX_CONTEXT).
        context = super().get_context(request, *args, **kwargs)
        context.update(page_context(COMMUNITY_INDEX_CONTEXT, page=self, request=request))
        return context


class CommunityPage(IntroMixin, Page):
    """One community: its description, rules and policies; members are ``CommunityMembership``.

    Community managers create it in the admin. ``rules_version`` grows by one
    each time the rules' text changes (``core.forms.CommunityPageForm``), so a
    member who accepted an earlier version is asked again.
    """

    class JoinPolicy(models.TextChoices):
        OPEN = "open", gettext_lazy("Open: anyone signed in may join")
        REQUEST = "request", gettext_lazy("On request: moderators approve each request")
        INVITATION = "invitation", gettext_lazy("By invitation only")

    class ModerationPreset(models.TextChoices):
        HOLD_FIRST = "hold_first", gettext_lazy("Hold a member's first comments in this community")
        HOLD_ALL = "hold_all", gettext_lazy("Hold every comment for a moderator")
        REPORTS = "reports", gettext_lazy("Publish comments and rely on reports")

    rules = RichTextField(
        features=["bold", "italic", "ol", "ul", "link"],
        help_text=gettext_lazy(
            "What members agree to when they join. Changing it asks every member again."
        ),
    )
    rules_version = models.PositiveIntegerField(default=1, editable=False)
    join_policy = models.CharField(
        max_length=16, choices=JoinPolicy.choices, default=JoinPolicy.REQUEST
    )
    is_listed = models.BooleanField(
        gettext_lazy("listed in the directory"),
        default=True,
        help_text=gettext_lazy(
            "Unlisted communities, and everything in them, are invisible to non-members."
        ),
    )
    moderation_preset = models.CharField(
        max_length=16, choices=ModerationPreset.choices, default=ModerationPreset.HOLD_FIRST
    )
    hold_first_count = models.PositiveSmallIntegerField(
        gettext_lazy("comments held per member"),
        default=3,
        help_text=gettext_lazy("With “hold a member's first comments”: how many are held."),
    )

    parent_page_types = ["core.CommunityIndexPage"]
    subpage_types = []
    base_form_class = CommunityPageForm

    content_panels = [
        *Page.content_panels,
        *IntroMixin.intro_panels,
        FieldPanel("rules"),
        MultiFieldPanel(
            [
                FieldPanel("join_policy"),
                FieldPanel("is_listed"),
                FieldPanel("moderation_preset"),
                FieldPanel("hold_first_count"),
            ],
            heading=gettext_lazy("Policies"),
        ),
    ]

    search_fields = [*Page.search_fields, index.FilterField("is_listed")]

    class Meta:
        verbose_name = gettext_lazy("community")
        verbose_name_plural = gettext_lazy("communities")
        constraints = [
            models.CheckConstraint(
                condition=Q(rules_version__gte=1), name="community_rules_version_from_one"
            ),
        ]

    def serve(self, request, *args, **kwargs):
        # An unlisted community does not exist for those outside it.
        from django.http import Http404

        from core.selectors import community_visible

        if not community_visible(user=request.user, community=self):
            raise Http404
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        # Members, requests and items come from the communities app
        # (core.hooks.COMMUNITY_PAGE_CONTEXT), read through its selectors.
        context = super().get_context(request, *args, **kwargs)
        context.update(page_context(COMMUNITY_PAGE_CONTEXT, page=self, request=request))
        return context


class CommunityMembership(models.Model):
    """A person's place in a community: a request, an invitation, a membership, a refusal.

    One row per (community, person), whatever the state, so that joining,
    requesting and inviting twice (a double click, two tabs) change one row
    (unique constraint). Leaving deletes the row; a removal keeps it, as
    ``removed`` with the reason, so an open community cannot be rejoined at
    once. Only an active membership grants reading (``readable_content``).
    """

    class Role(models.TextChoices):
        MEMBER = "member", gettext_lazy("Member")
        MODERATOR = "moderator", gettext_lazy("Moderator")

    class State(models.TextChoices):
        ACTIVE = "active", gettext_lazy("Member")
        REQUESTED = "requested", gettext_lazy("Asked to join")
        INVITED = "invited", gettext_lazy("Invited")
        REFUSED = "refused", gettext_lazy("Request refused")
        REMOVED = "removed", gettext_lazy("Removed")

    community = models.ForeignKey(
        CommunityPage, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    state = models.CharField(max_length=16, choices=State.choices, default=State.REQUESTED)
    # The version of the community's rules this person accepted; None: never.
    rules_version = models.PositiveIntegerField(null=True, blank=True)
    rules_accepted_at = models.DateTimeField(null=True, blank=True)
    show_on_profile = models.BooleanField(
        default=False, help_text=gettext_lazy("Whether the member's profile lists this community.")
    )
    # What the person is told when a request is refused or they are removed.
    reason = models.CharField(max_length=500, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["community", "user"], name="one_membership_per_community_and_person"
            ),
            # A moderator is a member first: a request or an invitation
            # carries no moderating rights.
            models.CheckConstraint(
                condition=Q(role="member") | Q(state="active"),
                name="community_moderators_are_active_members",
            ),
        ]
        indexes = [models.Index(fields=["user", "state"], name="membership_by_person_state")]

    def __str__(self):
        return f"{self.user} in {self.community}: {self.get_state_display()}"

    @property
    def is_active(self) -> bool:
        return self.state == self.State.ACTIVE

    @property
    def is_moderator(self) -> bool:
        return self.is_active and self.role == self.Role.MODERATOR

    def has_accepted_rules(self, community: CommunityPage | None = None) -> bool:
        """Whether the accepted version is the community's current one."""
        community = community or self.community
        return self.rules_version is not None and self.rules_version >= community.rules_version
