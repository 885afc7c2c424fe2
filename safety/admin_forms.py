"""The Safety inbox's forms: a case's page, a note, and opening a case by hand."""

from django import forms
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from wagtail.admin.forms import WagtailAdminModelForm

from .models import CaseNote, SafetyCase
from .selectors import case_assignees
from .services.cases import EDITABLE_FIELDS

REASON_NEEDED = gettext_noop("Say why the case is not reportable: an inspector will ask.")
NOTE_MAX_LENGTH = CaseNote._meta.get_field("text").max_length
EXCERPT_MAX_LENGTH = SafetyCase._meta.get_field("excerpt").max_length


FIELD_LABELS = {
    "patient": gettext_lazy("Patient"),
    "reporter": gettext_lazy("Reporter"),
    "reporter_contact": gettext_lazy("Reporter contact"),
    "medicine": gettext_lazy("Suspect medicine"),
    "event": gettext_lazy("Adverse event"),
    "serious": gettext_lazy("Serious"),
    "status": gettext_lazy("Status"),
    "assignee": gettext_lazy("Assignee"),
}


class AssigneeChoiceField(forms.ModelChoiceField):
    """An assignee by name; a value no user id can be is an invalid choice, not a 500."""

    def label_from_instance(self, obj) -> str:
        name = obj.display_name or obj.get_username()
        return f"{name} ({obj.get_username()})" if obj.display_name else name

    def to_python(self, value):
        if value not in self.empty_values:
            try:
                pk = int(str(value))
            except ValueError:
                pk = 0
            if not 0 < pk < 2**63:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice"
                )
        return super().to_python(value)


class CaseForm(WagtailAdminModelForm):
    """The case's editable fields (``safety.services.cases.EDITABLE_FIELDS``).

    The view saves through ``case_update`` (which recomputes the deadline and logs the
    change), never through ``form.save()``.
    """

    class Meta:
        model = SafetyCase
        # The service's list: the form offers exactly what case_update may change.
        fields = list(EDITABLE_FIELDS)
        widgets = {"not_reportable_reason": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        assignee = self.fields["assignee"]
        self.fields["assignee"] = AssigneeChoiceField(
            queryset=case_assignees(),
            required=False,
            label=assignee.label,
            empty_label=gettext_lazy("Nobody yet"),
            help_text=gettext_lazy("Members of the Pharmacovigilance group and administrators."),
        )
        self.fields["not_reportable_reason"].label = gettext_lazy("Why not reportable")
        self.fields["not_reportable_reason"].help_text = gettext_lazy(
            "Needed when the status is “Not reportable”; cleared for any other status."
        )
        # The model's fields carry no translatable names (that would need a migration):
        # the form names them.
        for name, label in FIELD_LABELS.items():
            if name in self.fields:
                self.fields[name].label = label
        self.fields["patient"].help_text = gettext_lazy(
            "The author, unless the text says otherwise."
        )
        self.fields["reporter"].help_text = gettext_lazy(
            "The author, unless the text says otherwise."
        )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("status") == SafetyCase.Status.NOT_REPORTABLE
            and not (cleaned.get("not_reportable_reason") or "").strip()
        ):
            self.add_error("not_reportable_reason", gettext(REASON_NEEDED))
        return cleaned


class NoteForm(forms.Form):
    """A note on a case: added, never edited."""

    text = forms.CharField(
        label=gettext_lazy("Add a note"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Notes are kept as written: they cannot be edited or removed."),
    )


class OpenCaseForm(forms.Form):
    """Opening a case by hand from an item or a comment."""

    excerpt = forms.CharField(
        label=gettext_lazy("What it says"),
        max_length=EXCERPT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy(
            "The words that suggest a side effect; cut it to the sentences that matter."
        ),
    )
    medicine = forms.CharField(
        label=gettext_lazy("Suspect medicine"), max_length=200, required=False
    )
    event = forms.CharField(label=gettext_lazy("Adverse event"), max_length=300, required=False)
    serious = forms.BooleanField(
        label=gettext_lazy("Serious"),
        required=False,
        help_text=gettext_lazy(
            "Death, life-threatening, hospitalisation, disability, a birth defect or "
            "otherwise medically important: reported within 15 days instead of 90."
        ),
    )
    note = forms.CharField(
        label=gettext_lazy("Note for the Pharmacovigilance group"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
