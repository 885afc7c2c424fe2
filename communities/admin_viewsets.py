"""Memberships in the Wagtail admin, for community managers.

Community managers (``core.roles.COMMUNITY_MANAGERS``) create communities in
the page tree under "Communities" and, here, appoint moderators: a list of
every membership, filtered by community, state and role, where a manager
makes an active member a moderator (or a member again) or removes them with
a reason. Nothing else: no adding (people join, ask or are invited on the
site), no deleting (a removal keeps the row, see ``CommunityMembership``),
no user admin (a person is shown by public name and profile handle only,
never by username or email).

Access is Django's model permissions on ``CommunityMembership`` (Wagtail's
model policy): managers hold ``view`` and ``change``; editors, reviewers,
experts and members hold none, so the menu item and every address here are
closed to them.
"""

import re

from django import forms
from django.db.models import QuerySet
from django.utils.functional import cached_property
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, HelpPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log

import django_filters

from communities.manager_services import membership_remove_by_manager, membership_role_set
from communities.services import REASON_MAX_LENGTH
from core.models import CommunityMembership, CommunityPage
from core.refusals import Refused

# A search term longer than any name or handle matches nothing; control
# characters (NUL, which PostgreSQL refuses outright) begin none.
SEARCH_MAX_LENGTH = 100
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def _handle(membership: CommunityMembership) -> str:
    profile = getattr(membership.user, "profile", None)
    return f"@{profile.handle}" if profile is not None else ""


def _standing(membership: CommunityMembership) -> str:
    """The role of an active moderator, otherwise the state ("Member", "Asked to join"...)."""
    if membership.is_moderator:
        return membership.get_role_display()
    return membership.get_state_display()


def _rules(membership: CommunityMembership) -> str:
    if membership.rules_version is None:
        return _("Not accepted")
    if membership.has_accepted_rules(membership.community):
        return _("v%(version)s, current") % {"version": membership.rules_version}
    return _("v%(version)s, changed since") % {"version": membership.rules_version}


# Columns hidden on a phone (static/css/memberships_admin.css).
DETAIL = "kindred-membership-detail"


class DetailColumn(Column):
    class Media:
        css = {"all": ["css/memberships_admin.css"]}


class DetailDateColumn(DateColumn):
    class Media:
        css = {"all": ["css/memberships_admin.css"]}


class MembershipFilterSet(WagtailFilterSet):
    community = django_filters.ModelChoiceFilter(
        queryset=CommunityPage.objects.order_by("title").only("pk", "title"),
        label=gettext_lazy("Community"),
        empty_label=gettext_lazy("All communities"),
    )
    state = django_filters.ChoiceFilter(
        choices=CommunityMembership.State.choices, label=gettext_lazy("State")
    )
    role = django_filters.ChoiceFilter(
        choices=CommunityMembership.Role.choices, label=gettext_lazy("Role")
    )

    class Meta:
        model = CommunityMembership
        fields = ["community", "state", "role"]


class MembershipForm(WagtailAdminModelForm):
    """The role of an active member, or their removal with a reason they see.

    ``clean`` says in words what the database's "moderators are active
    members" constraint would refuse (the form does not show ``state``, so
    Django's own constraint validation skips it); the services check it
    again under the membership lock when saving.
    """

    remove = forms.BooleanField(
        required=False,
        label=gettext_lazy("Remove from the community"),
        help_text=gettext_lazy(
            "They lose access to the community's items at once. They can ask to join again."
        ),
    )
    reason = forms.CharField(
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=gettext_lazy("Reason for the removal"),
        help_text=gettext_lazy("The person is shown this. Required when removing."),
    )

    class Meta:
        model = CommunityMembership
        fields = ["role"]

    def clean(self):
        cleaned = super().clean()
        membership = self.instance
        if not membership.is_active:
            if cleaned.get("role") == CommunityMembership.Role.MODERATOR:
                self.add_error(
                    "role",
                    _("Only a member can be a moderator: this person's membership is “%(state)s”.")
                    % {"state": membership.get_state_display()},
                )
            if cleaned.get("remove"):
                self.add_error(
                    "remove",
                    _("Only a member can be removed: this person's membership is “%(state)s”.")
                    % {"state": membership.get_state_display()},
                )
        if cleaned.get("remove") and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Say why: the person is shown this reason."))
        return cleaned


class MembershipEditView(generic.EditView):
    """Saves through the manager services (under the membership lock), never the form's copy."""

    success_message = gettext_lazy("%(object)s: saved.")

    def save_instance(self):
        data = self.form.cleaned_data
        membership, user = self.form.instance, self.request.user
        if data.get("remove"):
            saved = membership_remove_by_manager(
                membership=membership, reason=data["reason"], actor=user
            )
            log(saved, "wagtail.edit", user=user, data={"removed": True})
            return saved
        # Reload the original: the form wrote its role onto the instance already.
        before = CommunityMembership.objects.get(pk=membership.pk).role
        saved = membership_role_set(membership=membership, role=data["role"], actor=user)
        if saved.role != before:
            log(saved, "wagtail.edit", user=user, data={"role": saved.role})
        return saved

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except Refused as refusal:
            # Someone left or was removed since the form was loaded: say so on
            # the form instead of answering with an error page.
            form.add_error(None, refusal.message)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class MembershipIndexView(generic.IndexView):
    """Every membership with its person, community, state and role, in a fixed number of queries."""

    def get_base_queryset(self) -> QuerySet:
        return super().get_base_queryset().select_related("user__profile", "community")

    def search_queryset(self, queryset):
        term = self.search_query or ""
        if self.is_searching and (len(term) > SEARCH_MAX_LENGTH or CONTROL_CHARACTERS.search(term)):
            return queryset.none()
        return super().search_queryset(queryset)

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "person",
                label=gettext_lazy("Person"),
                accessor=lambda membership: membership.user.public_name,
                get_url=self.get_edit_url,
            ),
            Column("handle", label=gettext_lazy("Profile"), accessor=_handle),
            Column("community", label=gettext_lazy("Community"), accessor="community.title"),
            Column("state", label=gettext_lazy("Membership"), accessor=_standing, sort_key="state"),
            DetailColumn("rules", label=gettext_lazy("Rules"), accessor=_rules, classname=DETAIL),
            DetailDateColumn(
                "updated_at",
                label=gettext_lazy("Updated"),
                sort_key="updated_at",
                classname=DETAIL,
            ),
        ]


class MembershipViewSet(ModelViewSet):
    model = CommunityMembership
    name = "memberships"
    menu_label = gettext_lazy("Memberships")
    icon = "group"
    menu_order = 250
    add_to_admin_menu = True
    index_view_class = MembershipIndexView
    edit_view_class = MembershipEditView
    copy_view_enabled = False
    inspect_view_enabled = False
    filterset_class = MembershipFilterSet
    search_fields = ["user__display_name", "user__profile__handle"]
    ordering = ["community__title", "-role", "user__display_name"]
    list_per_page = 50

    edit_handler = ObjectList(
        [
            HelpPanel(
                content=format_lazy(
                    "<p>{}</p>",
                    gettext_lazy(
                        "Make an active member a moderator of this community, or a moderator "
                        "a member again; or remove them, with a reason they are shown. Requests "
                        "and invitations are decided by the community's moderators on the site."
                    ),
                ),
            ),
            FieldPanel("role", widget=forms.RadioSelect),
            FieldPanel("remove"),
            FieldPanel("reason"),
        ],
        base_form_class=MembershipForm,
    )

    def get_common_view_kwargs(self, **kwargs):
        # No adding (people join, ask or are invited on the site) and no
        # deleting (a removal keeps the row): for superusers too.
        return super().get_common_view_kwargs(
            **{"add_url_name": None, "delete_url_name": None, "usage_url_name": None, **kwargs}
        )

    def get_urlpatterns(self):
        return [
            pattern
            for pattern in super().get_urlpatterns()
            if pattern.name not in {"add", "delete", "usage"}
        ]


memberships_viewset = MembershipViewSet()


@hooks.register("register_admin_viewset")
def register_memberships_viewset():
    return memberships_viewset
