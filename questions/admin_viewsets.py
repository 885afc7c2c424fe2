"""Ask an expert in the Wagtail admin: verifying clinicians, and the standard replies.

- **Expert verifications**, for the Medical reviewers (``core.roles``: they
  hold the ``expertverification`` permissions): the record that makes a
  member of the Experts group a verified clinician. Only people in the
  Experts group can be chosen; who verified and when are set from the
  reviewer's own request when a record is created, and again whenever the
  registration (person, body or number) changes: the new registration is
  what they checked.
- **Standard replies**, for the Editors (they hold the ``standardreply``
  permissions): what an expert may answer with when a question asks for a
  personal diagnosis or prescription.

Access is Django's model permissions (Wagtail's model policy), so each menu
item and every address here is closed to the other groups, experts and
members. ``moderation.admin_privacy`` guards only page-addressed views, so it
leaves these alone.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from core import roles

from .models import ExpertVerification, StandardReply

# A change of any of these means a new registration was checked.
REGISTRATION_FIELDS = ("user", "registration_body", "registration_number")


class ExpertChoiceField(forms.ModelChoiceField):
    """People in the Experts group, by public name and account number (never email)."""

    def label_from_instance(self, obj):
        return _("%(name)s (account %(id)s)") % {"name": obj.public_name, "id": obj.pk}


class ExpertVerificationForm(WagtailAdminModelForm):
    """Only members of the Experts group can be verified."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user_field = self.fields["user"]
        self.fields["user"] = ExpertChoiceField(
            queryset=get_user_model()
            .objects.filter(groups__name=roles.EXPERTS)
            .order_by("display_name", "pk"),
            label=user_field.label,
            help_text=_("The clinician's account. Only people in the Experts group are listed."),
            error_messages={
                "invalid_choice": _("Choose someone in the Experts group: add them there first.")
            },
        )


def _stamp(instance: ExpertVerification, user) -> None:
    instance.verified_by = user
    instance.verified_at = timezone.now()


class VerificationCreateView(generic.CreateView):
    def save_instance(self):
        _stamp(self.form.instance, self.request.user)
        return super().save_instance()


class VerificationEditView(generic.EditView):
    def save_instance(self):
        if set(REGISTRATION_FIELDS) & set(self.form.changed_data):
            _stamp(self.form.instance, self.request.user)
        return super().save_instance()


class VerificationIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("user", "verified_by")

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "user",
                label=_("Clinician"),
                accessor=lambda verification: verification.user.public_name,
                get_url=self.get_edit_url,
            ),
            Column("profession", label=_("Profession")),
            Column(
                "registration",
                label=_("Registration"),
                accessor=lambda v: f"{v.registration_body} {v.registration_number}",
            ),
            Column(
                "verified_by",
                label=_("Verified by"),
                accessor=lambda v: v.verified_by.public_name if v.verified_by else "",
            ),
            DateColumn("verified_at", label=_("Verified"), sort_key="verified_at"),
        ]


class ExpertVerificationViewSet(ModelViewSet):
    model = ExpertVerification
    name = "expert-verifications"
    menu_label = gettext_lazy("Verified clinicians")
    icon = "user"
    menu_order = 260
    add_to_admin_menu = True
    index_view_class = VerificationIndexView
    add_view_class = VerificationCreateView
    edit_view_class = VerificationEditView
    copy_view_enabled = False
    inspect_view_enabled = False
    ordering = ["user__display_name"]
    list_per_page = 50
    edit_handler = ObjectList(
        [
            FieldPanel("user"),
            FieldPanel("profession"),
            FieldPanel("registration_body"),
            FieldPanel("registration_number"),
            FieldPanel("conditions", widget=forms.CheckboxSelectMultiple),
        ],
        base_form_class=ExpertVerificationForm,
    )


class StandardReplyViewSet(ModelViewSet):
    model = StandardReply
    name = "standard-replies"
    menu_label = gettext_lazy("Standard replies")
    icon = "comment"
    menu_order = 270
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = ["name"]
    form_fields = ["name", "text"]


expert_verifications_viewset = ExpertVerificationViewSet()
standard_replies_viewset = StandardReplyViewSet()


@hooks.register("register_admin_viewset")
def register_expert_verifications_viewset():
    return expert_verifications_viewset


@hooks.register("register_admin_viewset")
def register_standard_replies_viewset():
    return standard_replies_viewset
