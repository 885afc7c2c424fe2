"""One audit trail (issue 16): Wagtail's own log entries and Kindred's actions in one report.

Wagtail's "Site history" report (``LogEntriesView``) already reads every log
model (pages' and other models') as one list, with filters by action, user,
date range, object type and name, and exports CSV and XLSX. The audit trail is
that report, for the organisation's records:

- **Who**: superusers and holders of ``audit.view_audit_trail`` (the Data
  protection group). Other staff are refused (403, in words); the menu item shows only
  to them. Its address is outside Wagtail's reports namespace, which
  ``moderation.admin_privacy`` keeps to superusers.
- **Everything**: Site history shows a non-superuser only the log entries of
  what their permissions reach; the data-protection officer has no content
  permissions and must still see every entry, so the trail reads all of them.
- **No content for those who may not read it**: a page's log label is its title
  at the time (a member's title may say what they live with), and some of
  Wagtail's messages quote titles or comments. Superusers see them as Site
  history shows them; anyone else sees a page as "Page 12" and the action by
  its label, and has no "Name" filter to probe titles with. Other models'
  labels are their ``__str__``, which Kindred keeps free of text (a comment is
  "Comment #7 on page 12", a case its reference). ``data`` is never shown.
- **Area**: which part of the organisation's records an entry belongs to,
  from its action and, for Wagtail's generic actions (create, edit, delete),
  from the kind of object. One table, ``AREAS``; the filter and the column
  both read it.
- **Hostile filters**: an invalid filter (a date that is no date, an area or a
  user that does not exist, a range that ends before it starts) shows what is
  wrong and lists nothing, instead of quietly listing everything.

Exports stream in chunks (``EXPORT_CHUNK``) so that a long trail does not sit
in memory; CSV cells are neutralised against formulas for every Wagtail export
(``core.spreadsheets``), XLSX stores formula-like text as text.
"""

import datetime
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import IntegerField, Q, Value
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.views.reports.audit_logging import LogEntriesView, SiteHistoryReportFilterSet
from wagtail.log_actions import registry as log_action_registry
from wagtail.models import Page, PageLogEntry

import django_filters

from core.reports import StrictFiltersMixin

# Held by the Data protection group (core.roles); superusers hold every permission.
TRAIL_PERMISSION = "audit.view_audit_trail"
# Rows fetched at a time when exporting.
EXPORT_CHUNK = 500
# Dates outside these years are typing slips, not questions about the log.
EARLIEST_YEAR = 2000
LATEST_YEAR = 2100


@dataclass(frozen=True)
class Area:
    """A part of the organisation's records.

    ``actions``: prefixes of the log actions that belong here, whatever the object.
    ``objects``: for Wagtail's generic actions (``wagtail.create``, ``wagtail.edit``,
    ``wagtail.delete``...), the objects that belong here, as ``app_label`` (every
    model of the app) or ``app_label.model``.
    """

    label: str
    actions: tuple[str, ...] = ()
    objects: tuple[str, ...] = ()


PAGES = "pages"
# The one mapping. An action prefix decides first; no prefix may begin
# another area's (tests/audit/test_audit_trail.py checks). Everything else
# Wagtail logs (page edits, publishing, moves, editors' comments) is "Pages and
# content".
AREAS: dict[str, Area] = {
    PAGES: Area(
        gettext_lazy("Pages and content"),
        actions=("kindred.audience.", "kindred.answer.", "kindred.question."),
    ),
    "consents": Area(
        gettext_lazy("Consents"),
        # An author's withdrawal of consent to sharing outside Kindred is a consent.
        actions=("kindred.consent.", "kindred.sharing.withdraw"),
        objects=("accounts.consentevent",),
    ),
    "communities": Area(
        gettext_lazy("Communities"),
        actions=("kindred.community.",),
        # A community's page holds its policies (join policy, rules); memberships
        # are edited by community managers in the admin.
        objects=(
            "core.communitypage",
            "core.communityindexpage",
            "core.communitymembership",
            "core.communitysettings",
        ),
    ),
    "moderation": Area(
        gettext_lazy("Moderation"),
        actions=(
            "wagtail.workflow.",
            "wagtail.moderation.",
            "discussion.",
            "kindred.moderation.",
        ),
        objects=("discussion", "django_comments", "django_comments_xtd", "moderation"),
    ),
    "safety": Area(gettext_lazy("Safety"), actions=("kindred.safety.",), objects=("safety",)),
    "data_rights": Area(
        gettext_lazy("Data rights"),
        actions=("kindred.export.", "kindred.erasure.", "kindred.retention.", "kindred.access."),
        objects=("audit", "compliance"),
    ),
    "sharing": Area(gettext_lazy("Sharing policy"), objects=("sharing",)),
    "accounts": Area(
        gettext_lazy("Accounts"),
        actions=("kindred.account.",),
        objects=("accounts", "auth"),
    ),
}
AREA_CHOICES = [(key, area.label) for key, area in AREAS.items()]
_PREFIXES = sorted(
    ((prefix, key) for key, area in AREAS.items() for prefix in area.actions),
    key=lambda item: -len(item[0]),
)


def area_of(action: str, content_type: ContentType | None) -> str:
    """The key in ``AREAS`` of an entry with ``action`` on an object of ``content_type``."""
    for prefix, key in _PREFIXES:
        if action.startswith(prefix):
            return key
    if content_type is not None:
        app_label, model = content_type.app_label, content_type.model
        for key, area in AREAS.items():
            if app_label in area.objects or f"{app_label}.{model}" in area.objects:
                return key
    return PAGES


def _objects_condition(objects: tuple[str, ...]) -> Q:
    parts = []
    for name in objects:
        if "." in name:
            app_label, model = name.split(".", 1)
            parts.append(Q(content_type__app_label=app_label, content_type__model=model))
        else:
            parts.append(Q(content_type__app_label=name))
    return reduce(or_, parts, Q(pk__in=[]))


def area_condition(key: str) -> Q:
    """The entries of area ``key`` as a condition on a log model, the same rule as ``area_of``."""
    any_prefix = reduce(or_, (Q(action__startswith=p) for p, _ in _PREFIXES), Q(pk__in=[]))
    own_prefix = reduce(or_, (Q(action__startswith=p) for p in AREAS[key].actions), Q(pk__in=[]))
    if key == PAGES:
        every_object = reduce(
            or_, (_objects_condition(area.objects) for area in AREAS.values()), Q(pk__in=[])
        )
        # A log entry whose content type is gone has none: it is content's.
        return own_prefix | (~any_prefix & (Q(content_type__isnull=True) | ~every_object))
    return own_prefix | (~any_prefix & _objects_condition(AREAS[key].objects))


def may_view_trail(user) -> bool:
    """Superusers and holders of ``audit.view_audit_trail`` (the Data protection group)."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm(TRAIL_PERMISSION))
    )


def _log_models():
    return list(log_action_registry.get_log_entry_models())


class AuditTrailFilterForm(forms.Form):
    """Checks across fields: a date range that ends before it starts, dates out of range."""

    def clean(self):
        cleaned = super().clean()
        period = cleaned.get("timestamp")
        if period:
            for bound in (period.start, period.stop):
                if bound is not None and not EARLIEST_YEAR <= bound.year <= LATEST_YEAR:
                    self.add_error(
                        "timestamp",
                        _("Choose dates between %(earliest)s and %(latest)s.")
                        % {"earliest": EARLIEST_YEAR, "latest": LATEST_YEAR},
                    )
                    return cleaned
            if period.start and period.stop and period.start > period.stop:
                self.add_error("timestamp", _("The period ends before it starts."))
        return cleaned


class AuditTrailFilterSet(SiteHistoryReportFilterSet):
    """Site history's filters over every entry, and the area.

    No "Name" filter for non-superusers (it would probe page titles).
    """

    area = django_filters.ChoiceFilter(
        label=gettext_lazy("Area"),
        choices=AREA_CHOICES,
        method="filter_area",
        empty_label=gettext_lazy("All areas"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if not (user is not None and user.is_superuser):
            # The label of a page's entries is its title: a non-superuser who may
            # not see titles must not be able to probe them either.
            self.filters.pop("label", None)
        if "object_type" in self.filters:
            self.filters["object_type"].queryset = self._content_types

    @staticmethod
    def _content_types(request):
        ids = set()
        for log_model in _log_models():
            ids.update(log_model.objects.all().get_content_type_ids())
        return ContentType.objects.filter(pk__in=ids).order_by("model")

    def filter_area(self, queryset, name, value):
        if value not in AREAS:
            return queryset.none()
        return queryset.filter(area_condition(value))

    def get_action_choices(self):
        actions = set()
        for log_model in _log_models():
            actions.update(log_model.objects.all().get_actions())
        return [choice for choice in log_action_registry.get_choices() if choice[0] in actions]

    def get_users_queryset(self):
        ids = set()
        for log_model in _log_models():
            ids.update(log_model.objects.all().get_user_ids())
        User = get_user_model()
        return User.objects.filter(pk__in=ids).order_by(User.USERNAME_FIELD)

    get_user_choices = get_users_queryset

    class Meta(SiteHistoryReportFilterSet.Meta):
        model = PageLogEntry
        fields = []
        form = AuditTrailFilterForm


class AuditTrailView(StrictFiltersMixin, LogEntriesView):
    """Reports › Audit trail: every log entry, by area, with CSV and XLSX export."""

    page_title = gettext_lazy("Audit trail")
    header_icon = "history"
    results_template_name = "audit/trail_results.html"
    filterset_class = AuditTrailFilterSet
    # trail_results.html lists the filters' problems above the (empty) table.
    filter_errors_inline = True
    index_url_name = "kindred_audit_trail:index"
    index_results_url_name = "kindred_audit_trail:results"

    export_headings = {
        "object_id": gettext_lazy("ID"),
        "trail_label": gettext_lazy("Name"),
        "content_type": gettext_lazy("Type"),
        "area_label": gettext_lazy("Area"),
        "action": gettext_lazy("Action"),
        "user_display_name": gettext_lazy("User"),
        "timestamp": gettext_lazy("Date/Time (UTC)"),
    }
    list_export = [
        "timestamp",
        "area_label",
        "action",
        "user_display_name",
        "content_type",
        "object_id",
        "trail_label",
    ]

    def dispatch(self, request, *args, **kwargs):
        if not may_view_trail(request.user):
            # A 403 in words, not Wagtail's redirect to the dashboard: staff who
            # follow a shared link learn why, and an export link fails plainly.
            response = TemplateResponse(request, "audit/trail_refused.html", status=403)
            add_never_cache_headers(response)
            return response
        return super().dispatch(request, *args, **kwargs)

    def get_filename(self):
        return f"audit-trail-{datetime.date.today().isoformat()}"

    @property
    def shows_content(self) -> bool:
        """Whether titles and Wagtail's full messages may be shown (superusers only)."""
        return self.request.user.is_superuser

    def get_filtered_queryset(self):
        # As LogEntriesView, over every entry (not only those the reader's content
        # permissions reach): the data-protection officer has none.
        self.log_models = _log_models()
        queryset = None
        for index, log_model in enumerate(self.log_models):
            sub_queryset = (
                log_model.objects.all()
                .values("pk", "timestamp")
                .annotate(log_model_index=Value(index, output_field=IntegerField()))
            )
            sub_queryset = self.filter_queryset(sub_queryset).order_by()
            queryset = sub_queryset if queryset is None else queryset.union(sub_queryset, all=True)
        return queryset.order_by("-timestamp", "-pk")

    def _entries(self, rows, *, with_links: bool):
        """The log entries of ``rows`` (pk and model index), in order, dressed for the trail."""
        by_model: dict[int, list[int]] = {}
        for row in rows:
            by_model.setdefault(row["log_model_index"], []).append(row["pk"])
        url_finder = AdminURLFinder(self.request.user) if with_links else None
        lookup = {}
        for index, pks in by_model.items():
            log_model = self.log_models[index]
            entries = (
                log_model.objects.select_related("content_type")
                .prefetch_related("user__wagtail_userprofile")
                .filter(pk__in=pks)
            )
            is_page_log = issubclass(log_model, PageLogEntry)
            if with_links and not is_page_log:
                pairs = entries.with_instances()
            else:
                pairs = ((entry, None) for entry in entries)
            existing_pages = set()
            if with_links and is_page_log and self.shows_content:
                # One query: a page deleted since is no link (as in Site history).
                existing_pages = set(
                    Page.objects.filter(pk__in=entries.values("page_id")).values_list(
                        "pk", flat=True
                    )
                )
            for entry, instance in pairs:
                entry.edit_url = None
                if is_page_log and entry.page_id in existing_pages:
                    # Superusers may open any page; asking Wagtail would cost a
                    # query per row (its lock and workflow checks).
                    entry.edit_url = reverse("wagtailadmin_pages:edit", args=(entry.page_id,))
                elif url_finder is not None and instance is not None:
                    entry.edit_url = url_finder.get_edit_url(instance)
                self._dress(entry)
                lookup[(index, entry.pk)] = entry
        return [lookup[(row["log_model_index"], row["pk"])] for row in rows]

    def _dress(self, entry) -> None:
        key = area_of(entry.action, entry.content_type)
        entry.area_key = key
        entry.area_label = AREAS[key].label
        entry.action_label = self.get_action_label(entry.action)
        if self.shows_content:
            entry.trail_label = entry.label
            entry.trail_message = entry.message
            return
        entry.trail_message = entry.action_label
        if isinstance(entry, PageLogEntry):
            entry.trail_label = _("Page %(id)s") % {"id": entry.page_id}
        else:
            entry.trail_label = entry.label

    def decorate_paginated_queryset(self, queryset):
        if self.is_export:
            return self._export_rows(queryset)
        return self._entries(list(queryset), with_links=True)

    def _export_rows(self, queryset):
        """Every entry, fetched ``EXPORT_CHUNK`` at a time while the file is written."""
        chunk = []
        for row in queryset.iterator(chunk_size=EXPORT_CHUNK):
            chunk.append(row)
            if len(chunk) == EXPORT_CHUNK:
                yield from self._entries(chunk, with_links=False)
                chunk = []
        if chunk:
            yield from self._entries(chunk, with_links=False)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_errors"] = self.filter_errors
        return context
