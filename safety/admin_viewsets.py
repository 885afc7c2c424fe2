"""The Safety inbox: adverse-event cases in the Wagtail admin, for the Pharmacovigilance
group (and superusers).

A ``ModelViewSet`` under the admin's own "Safety" menu (``SafetyMenu``; other safety
pages join it through ``SAFETY_MENU_HOOK``):

- **Inbox** (``safety_cases:index``): every case, the overdue first, then by nearest
  deadline (``safety.selectors.inbox_cases``); filters by status, assignee,
  seriousness and overdue; the counts in the heading; CSV and XLSX downloads of the
  list (formulas neutralised, ``core.spreadsheets``; no excerpt, patient or reporter).
- **The case** (``safety_cases:edit``): the excerpt with its matches highlighted, the
  source, the deadlines, the four elements, status, assignee and notes. Each GET is
  logged as a view (``case_viewed``); a save goes through ``case_update``, which
  recomputes the report's deadline and logs the change with the fields changed.
- **History** (``safety_cases:history``): Wagtail's log of the case: opened, every
  view, change and note.
- Print and CSV (``safety_cases:print``, ``safety_cases:csv``) and notes
  (``safety_cases:note_add``): ``safety.admin_views``.

Cases are opened only by ``case_open`` (the scan, "Report a side effect", by hand) and
never deleted here: the viewset has no add, copy, delete or usage view. Access is the
model's view and change permissions (``core.roles``: the Pharmacovigilance group);
Editors and Medical reviewers hold only ``open_case``, which opens nothing here.
"""

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

import django_filters

from core.dates import local_date

from . import admin_views
from .admin_forms import CaseForm, NoteForm
from .deadlines import day_zero
from .models import SafetyCase
from .selectors import (
    MAX_CASE_ID,
    OPEN_STATUSES,
    case_assignees,
    case_notes,
    inbox_cases,
    inbox_counts,
    overdue_condition,
    overdue_days,
)
from .services.cases import EDITABLE_FIELDS, CaseRefused, case_update, case_viewed

# On a phone the inbox keeps the case, its medicine and its next deadline
# (templates/safety/admin/styles.html).
PHONE_HIDDEN = "safety-phone-hidden"
# The hook other parts of the admin's "Safety" menu register with (a MenuItem each).
SAFETY_MENU_HOOK = "kindred_safety_menu_item"


# --- The inbox ---------------------------------------------------------------------------


class AssigneeFilterField(django_filters.fields.ModelChoiceField):
    """django-filter's field, refusing a value no user id can be before asking the database."""

    def to_python(self, value):
        if value not in self.empty_values and value != self.null_value:
            try:
                pk = int(str(value))
            except ValueError:
                pk = 0
            if not 0 < pk <= MAX_CASE_ID:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class AssigneeFilter(django_filters.ModelChoiceFilter):
    field_class = AssigneeFilterField


class SafetyCaseFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=SafetyCase.Status.choices,
        empty_label=gettext_lazy("Any status"),
    )
    assignee = AssigneeFilter(
        label=gettext_lazy("Assignee"),
        queryset=lambda request: case_assignees(),
        empty_label=gettext_lazy("Anyone"),
        null_label=gettext_lazy("Nobody yet"),
    )
    serious = django_filters.BooleanFilter(label=gettext_lazy("Serious"))
    overdue = django_filters.BooleanFilter(label=gettext_lazy("Overdue"), method="filter_overdue")

    class Meta:
        model = SafetyCase
        fields = ["status", "assignee", "serious"]

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        condition = overdue_condition(timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)


class NextDeadlineColumn(Column):
    """The step the case waits for and its date; "overdue by N days" when it is late."""

    cell_template_name = "safety/admin/next_deadline_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["next_due"] = getattr(instance, "next_due", None)
        context["due_kind"] = getattr(instance, "due_kind", "")
        context["overdue_days"] = overdue_days(instance)
        return context


class ReferenceColumn(TitleColumn):
    def get_value(self, instance):
        return instance.reference


def _assignee_name(assignee) -> str:
    if assignee is None:
        return ""
    return assignee.display_name or assignee.get_username()


class AssigneeColumn(Column):
    def get_value(self, instance):
        return _assignee_name(instance.assignee) or "—"


class DayZeroColumn(Column):
    def get_value(self, instance):
        return local_date(day_zero(instance.opened_at), "short_day")


class SafetyCaseIndexView(generic.IndexView):
    """The inbox: overdue first, then by nearest deadline; a fixed number of queries."""

    any_permission_required = ["view"]
    page_title = gettext_lazy("Safety inbox")
    template_name = "safety/admin/inbox.html"
    list_export = [
        "reference",
        "day_zero",
        "medicine",
        "event",
        "serious",
        "status",
        "assignee_name",
        "triage_due",
        "report_due",
        "next_due",
        "overdue",
    ]
    export_headings = {
        "reference": gettext_lazy("Case reference"),
        "day_zero": gettext_lazy("Day zero"),
        "medicine": gettext_lazy("Suspect medicine"),
        "event": gettext_lazy("Adverse event"),
        "serious": gettext_lazy("Serious"),
        "status": gettext_lazy("Status"),
        "assignee_name": gettext_lazy("Assignee"),
        "triage_due": gettext_lazy("Triage due"),
        "report_due": gettext_lazy("Report due"),
        "next_due": gettext_lazy("Next deadline"),
        "overdue": gettext_lazy("Overdue"),
    }
    export_filename = "safety-cases"

    @cached_property
    def columns(self) -> list:
        return [
            ReferenceColumn(
                "reference",
                label=gettext_lazy("Case"),
                get_url=lambda case: self.get_edit_url(case),
            ),
            DayZeroColumn(
                "opened_at", label=gettext_lazy("Opened (day zero)"), classname=PHONE_HIDDEN
            ),
            Column("medicine", label=gettext_lazy("Medicine")),
            Column("event", label=gettext_lazy("Event"), classname=PHONE_HIDDEN),
            BooleanColumn("serious", label=gettext_lazy("Serious"), classname=PHONE_HIDDEN),
            Column(
                "status",
                label=gettext_lazy("Status"),
                accessor="get_status_display",
                classname=PHONE_HIDDEN,
            ),
            AssigneeColumn("assignee", label=gettext_lazy("Assignee"), classname=PHONE_HIDDEN),
            NextDeadlineColumn("next_due", label=gettext_lazy("Next deadline")),
        ]

    def get_base_queryset(self) -> QuerySet:
        return inbox_cases()

    def to_row_dict(self, item) -> dict:
        # The download's rows: plain values, the status and the assignee in words.
        return {
            "reference": item.reference,
            "day_zero": day_zero(item.opened_at),
            "medicine": item.medicine,
            "event": item.event,
            "serious": item.serious,
            "status": item.get_status_display(),
            "assignee_name": _assignee_name(item.assignee),
            "triage_due": item.triage_due,
            "report_due": item.report_due,
            "next_due": item.next_due,
            "overdue": item.overdue,
        }

    def get_context_data(self, *args, **kwargs) -> dict:
        context = super().get_context_data(*args, **kwargs)
        context["counts"] = inbox_counts()
        return context


# --- The case ----------------------------------------------------------------------------


class SafetyCaseEditView(generic.EditView):
    """A case's page: what it says and where, its deadlines, the form, the notes.

    Seeing it needs the view permission (and is logged); saving needs change too.
    """

    permission_required = "view"
    success_message = gettext_lazy("Case %(object)s saved.")

    def get_object(self, queryset=None):
        try:
            pk = int(self.object_pk)
        except ValueError:
            raise Http404("No such case") from None
        if not 0 < pk <= MAX_CASE_ID:
            raise Http404("No such case")
        return super().get_object(queryset)

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        case_viewed(case=self.object, user=request.user, on="page")
        return response

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not self.user_has_permission("change"):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def get_page_subtitle(self) -> str:
        return self.object.reference

    def get_success_url(self) -> str:
        return self.get_edit_url()

    def save_instance(self) -> SafetyCase:
        # The form has written its values onto its instance: the case is read again so
        # that the service sees what changed.
        case = inbox_cases().get(pk=self.object.pk)
        changes = {
            name: self.form.cleaned_data[name]
            for name in EDITABLE_FIELDS
            if name in self.form.cleaned_data
        }
        try:
            case_update(case=case, user=self.request.user, **changes)
        except CaseRefused as refusal:
            self.form.add_error(None, refusal.message)
            raise _Refused from None
        return case

    def form_valid(self, form) -> HttpResponse:
        try:
            return super().form_valid(form)
        except _Refused:
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        case = self.object
        context.update(admin_views.case_facts(self.request, case))
        context["notes"] = case_notes(case)
        context["note_form"] = NoteForm()
        context["may_change"] = self.user_has_permission("change")
        context["open_statuses"] = OPEN_STATUSES
        return context


class _Refused(Exception):
    """The service refused the change: answered with the form, nothing saved."""


class SafetyCaseHistoryView(HistoryView):
    any_permission_required = ["view"]


# --- The viewset and its menu -------------------------------------------------------------


class SafetyCaseViewSet(ModelViewSet):
    model = SafetyCase
    icon = "warning"
    menu_label = gettext_lazy("Inbox")
    menu_name = "safety-inbox"
    menu_order = 10
    url_prefix = "safety/cases"
    url_namespace = "safety_cases"
    index_view_class = SafetyCaseIndexView
    edit_view_class = SafetyCaseEditView
    history_view_class = SafetyCaseHistoryView
    filterset_class = SafetyCaseFilterSet
    list_per_page = 50
    copy_view_enabled = False
    index_template_name = "safety/admin/inbox.html"
    edit_template_name = "safety/admin/case.html"
    inspect_view_enabled = False
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("patient"), FieldPanel("reporter")]),
                    FieldPanel("reporter_contact"),
                    FieldRowPanel([FieldPanel("medicine"), FieldPanel("event")]),
                    FieldPanel("serious"),
                ],
                heading=gettext_lazy("The four elements"),
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("status"), FieldPanel("assignee")]),
                    FieldPanel("not_reportable_reason"),
                ],
                heading=gettext_lazy("Triage"),
            ),
        ],
        base_form_class=CaseForm,
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return inbox_cases()

    def get_common_view_kwargs(self, **kwargs) -> dict:
        # No add, delete or usage view: cases are opened by ``case_open`` and kept.
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        for name in ("add_url_name", "delete_url_name", "usage_url_name"):
            view_kwargs[name] = None
        return view_kwargs

    def get_urlpatterns(self) -> list:
        kept = {"index", "index_results", "edit", "history", "history_results"}
        return [pattern for pattern in super().get_urlpatterns() if pattern.name in kept] + [
            path("<int:pk>/print/", admin_views.case_print, name="print"),
            path("<int:pk>/csv/", admin_views.case_csv, name="csv"),
            path("<int:pk>/notes/", admin_views.note_add, name="note_add"),
        ]

    def get_permissions_to_register(self) -> QuerySet:
        # View, change and open (by hand): the ones the groups hold (core.roles).
        return Permission.objects.filter(
            content_type=ContentType.objects.get_for_model(SafetyCase),
            codename__in=["view_safetycase", "change_safetycase", "open_case"],
        )


class SafetyMenu(ViewSetGroup):
    """The admin's "Safety" menu: the inbox here; other safety pages join through
    ``SAFETY_MENU_HOOK``. Shown only when one of its items is (Wagtail's submenu rule)."""

    items = (SafetyCaseViewSet,)
    menu_label = gettext_lazy("Safety")
    menu_name = "safety"
    menu_icon = "warning"
    menu_order = 290
    submenu_hook = SAFETY_MENU_HOOK
