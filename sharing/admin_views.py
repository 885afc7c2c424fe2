"""Sharing's admin pages: why a page may (not) be shared, and Reports › Shares.

**Why** (``why``, ``why_index``): for one page, every network's decision
from ``sharing.selectors.page_sharing`` (the same call the share buttons,
the card and the share endpoint make), with its reason and what decided it:
the floor, a rule (linked to its edit form) or the site-wide default.

**Shares** (``ShareLogReportView``): the share log per ISO week, network and
item (``sharing.selectors.weekly_shares``), with CSV and XLSX downloads
(formulas neutralised, ``core.spreadsheets``).

Which page titles they show (least privilege, SECURITY.md): a title only of
a page the user may already see, in the admin (``moderation.admin_privacy``:
for a Community manager, pages that are live and for everyone, and their
communities) or on the site as anyone (live, for everyone: its live title,
never a newer draft's). Any other id answers the "why" view exactly as a
missing page does (404); a shared item that has since stopped being public
stays in the report as a count, without its title or address.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django import forms
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from wagtail.admin.auth import permission_denied
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, NumberColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page

import django_filters

from core.dates import local_date
from core.models import CommunityPage, ContentPage
from core.selectors import Reader, readable_content
from moderation.admin_privacy import admin_not_found, admin_visible_pages

from .admin_viewsets import MAX_PAGE_ID, PageChoiceField, SafePageChooser
from .models import SHAREABLE_TYPES, ShareCount
from .networks import NETWORK_CHOICES, NETWORKS
from .policy import NOT_PUBLIC, NOT_SHAREABLE_KIND, Decision
from .selectors import page_facts, page_sharing, weekly_shares

WHY_PERMISSION = "sharing.view_sharingrule"
RULE_EDIT_PERMISSION = "sharing.change_sharingrule"
DEFAULT_EDIT_PERMISSION = "sharing.change_sharingsettings"
REPORT_PERMISSION = "sharing.view_share_log"
# Plain strings (gettext_noop), translated where they are shown.
NOT_SEEN = gettext_noop("No page you can see has this id.")
# What the report says instead of the title of an item that is not public any more.
NO_LONGER_PUBLIC = gettext_noop("An item that is no longer public")

FLOOR = "floor"
RULE = "rule"
DEFAULT = "default"


def nameable_pages(*, user: Reader) -> QuerySet[Page]:
    """The pages whose title ``user`` may see here (see the module's docstring)."""
    if user is not None and user.is_authenticated and user.is_active and user.is_superuser:
        return Page.objects.all()
    public = readable_content(user=None, queryset=Page.objects.all())
    if user is None or not user.is_authenticated or not user.is_active:
        return public
    return Page.objects.filter(
        Q(pk__in=admin_visible_pages(user=user).values("pk")) | Q(pk__in=public.values("pk"))
    )


# --- Why ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NetworkDecision:
    """One line of the "why" view: a network, its decision and what decided it."""

    network: str
    decision: Decision
    source: str  # FLOOR, RULE or DEFAULT
    rule_url: str = ""


def _source(decision: Decision) -> str:
    if decision.rule is not None:
        return RULE
    if decision.reason in (NOT_PUBLIC, NOT_SHAREABLE_KIND):
        return FLOOR
    return DEFAULT


class WhyForm(forms.Form):
    """A page, chosen in the page chooser or by its id (the number in its admin address)."""

    page = PageChoiceField(
        queryset=Page.objects.none(),
        required=False,
        label=gettext_lazy("Page"),
        error_messages={"invalid_choice": gettext_lazy(NOT_SEEN)},
    )
    page_id = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_PAGE_ID,
        label=gettext_lazy("Or its id"),
        help_text=gettext_lazy("The number in the page's admin address: /admin/pages/<id>/edit/."),
        error_messages={
            "invalid": gettext_lazy(NOT_SEEN),
            "min_value": gettext_lazy(NOT_SEEN),
            "max_value": gettext_lazy(NOT_SEEN),
        },
    )

    def __init__(self, *args, pages: QuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.pages = pages
        self.fields["page"].queryset = pages
        self.fields["page"].widget = SafePageChooser(pages=pages)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        page, page_id = cleaned.get("page"), cleaned.get("page_id")
        if page_id is not None:
            page = self.pages.filter(pk=page_id).first()
            if page is None:
                self.add_error("page_id", _(NOT_SEEN))
                return cleaned
        if page is None:
            raise forms.ValidationError(_("Choose a page, or enter its id."))
        cleaned["chosen"] = page
        return cleaned


def why_index(request: HttpRequest) -> HttpResponse:
    """Choose a page to see why it may or may not be shared."""
    if not request.user.has_perm(WHY_PERMISSION):
        return permission_denied(request)
    pages = nameable_pages(user=request.user)
    form = WhyForm(request.GET if request.GET else None, pages=pages)
    if form.is_bound and form.is_valid():
        return redirect("kindred_sharing:why", page_id=form.cleaned_data["chosen"].pk)
    return TemplateResponse(
        request,
        "sharing/admin/why_index.html",
        {
            "page_title": _("Why is a page shared or not?"),
            "header_icon": "link",
            "form": form,
        },
    )


def why(request: HttpRequest, page_id: int) -> HttpResponse:
    """Every network's decision about page ``page_id``, with the reason and what decided it."""
    if not request.user.has_perm(WHY_PERMISSION):
        return permission_denied(request)
    if page_id > MAX_PAGE_ID:
        return admin_not_found(request)
    page = nameable_pages(user=request.user).filter(pk=page_id).first()
    if page is None:
        return admin_not_found(request)
    page = page.specific
    site = page.get_site()
    sharing = page_sharing(page=page, site=site)
    may_edit_rules = request.user.has_perm(RULE_EDIT_PERMISSION)
    lines = []
    for slug, decision in sharing.decisions.items():
        rule_url = ""
        if decision.rule is not None and decision.rule.pk is not None and may_edit_rules:
            rule_url = reverse("sharing_rules:edit", args=(decision.rule.pk,))
        lines.append(
            NetworkDecision(
                network=_(NETWORKS[slug].label),
                decision=decision,
                source=_source(decision),
                rule_url=rule_url,
            )
        )
    facts = page_facts(page)
    default_url = ""
    if request.user.has_perm(DEFAULT_EDIT_PERMISSION) and site is not None:
        default_url = reverse("wagtailsettings:edit", args=("sharing", "sharingsettings", site.pk))
    return TemplateResponse(
        request,
        "sharing/admin/why.html",
        {
            "page_title": _("Why: %(title)s") % {"title": page.title},
            "header_icon": "link",
            "page": page,
            "kind": SHAREABLE_TYPES.get(facts.content_type, page.specific_class._meta.verbose_name),
            "kind_shareable": facts.kind_shareable,
            "is_public": facts.is_public,
            "community": _community_title(page),
            "author_consents": facts.author_consents,
            "has_member_author": isinstance(page, ContentPage),
            "lines": lines,
            "allowed_count": sum(line.decision.allowed for line in lines),
            "live_url": page.get_url(request=request) if facts.is_public else "",
            "default_url": default_url,
            "rules_url": reverse("sharing_rules:list"),
        },
    )


def _community_title(page: Page) -> str:
    if isinstance(page, CommunityPage):
        return page.title
    if isinstance(page, ContentPage) and page.community_id:
        titles = CommunityPage.objects.filter(pk=page.community_id).values_list("title", flat=True)
        return titles.first() or ""
    return ""


# --- Reports › Shares --------------------------------------------------------------


@dataclass(frozen=True)
class ShareLogRow:
    """One row of the report: shares of one item to one network in one week."""

    week: date
    network_label: str
    title: str
    url: str
    shares: int

    @property
    def week_ending(self) -> date:
        return self.week + timedelta(days=6)

    @property
    def week_label(self) -> str:
        return f"{local_date(self.week, 'short_day')} – {local_date(self.week_ending, 'short_day')}"


def _monday(day: date) -> date:
    try:
        return day - timedelta(days=day.weekday())
    except OverflowError:
        return day


def _sunday(day: date) -> date:
    try:
        return day + timedelta(days=6 - day.weekday())
    except OverflowError:
        return day


class ShareLogFilterSet(WagtailFilterSet):
    network = django_filters.ChoiceFilter(
        label=gettext_lazy("Network"),
        choices=NETWORK_CHOICES,
        empty_label=gettext_lazy("All networks"),
    )
    weeks = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Weeks"),
        field_name="day",
        method="filter_weeks",
        widget=DateRangePickerWidget,
        help_text=gettext_lazy("Whole weeks, Monday to Sunday, that include these days."),
    )

    class Meta:
        model = ShareCount
        fields = ["network"]

    def filter_weeks(self, queryset: QuerySet, name: str, value: slice) -> QuerySet:
        # The range's ends come as datetimes (django-filter); whole weeks only,
        # so that no week's count is cut short.
        if value.start:
            queryset = queryset.filter(day__gte=_monday(value.start.date()))
        if value.stop:
            queryset = queryset.filter(day__lte=_sunday(value.stop.date()))
        return queryset


class ShareLogReportView(ReportView):
    """Shares per week, network and item, newest week first; nobody is in the log."""

    page_title = gettext_lazy("Shares")
    header_icon = "link"
    verbose_name = gettext_lazy("row")
    verbose_name_plural = gettext_lazy("rows")
    index_url_name = "kindred_sharing:shares"
    index_results_url_name = "kindred_sharing:shares_results"
    filterset_class = ShareLogFilterSet
    export_filename = "shares"
    columns = [
        Column("week", label=gettext_lazy("Week"), accessor="week_label"),
        Column("network_label", label=gettext_lazy("Network")),
        TitleColumn("title", label=gettext_lazy("Item"), get_url=lambda row: row.url or None),
        NumberColumn("shares", label=gettext_lazy("Shares")),
    ]
    list_export = ["week", "network_label", "title", "url", "shares"]
    export_headings = {
        "week": gettext_lazy("Week (Monday)"),
        "network_label": gettext_lazy("Network"),
        "title": gettext_lazy("Item"),
        "url": gettext_lazy("Address"),
        "shares": gettext_lazy("Shares"),
    }

    def dispatch(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        if not request.user.has_perm(REPORT_PERMISSION):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet:
        return weekly_shares()

    def paginate_queryset(self, queryset, page_size):
        # The table is made from the page's rows before ``decorate_paginated_queryset``
        # runs (Wagtail's ReportView): the rows become ShareLogRow here.
        paginator, page, object_list, is_paginated = super().paginate_queryset(queryset, page_size)
        page.object_list = self._rows(object_list)
        return paginator, page, page.object_list, is_paginated

    def decorate_paginated_queryset(self, object_list) -> list[ShareLogRow]:
        # Downloads are not paginated: their rows are made here.
        return self._rows(object_list)

    def _rows(self, object_list) -> list[ShareLogRow]:
        """The rows, with titles only of pages the user may see: one query for those
        pages, however many rows."""
        rows = list(object_list)
        if not rows or isinstance(rows[0], ShareLogRow):
            return rows
        page_ids = {row["page_id"] for row in rows}
        shown = {
            page.pk: page for page in nameable_pages(user=self.request.user).filter(pk__in=page_ids)
        }
        decorated = []
        for row in rows:
            page = shown.get(row["page_id"])
            title, url = _(NO_LONGER_PUBLIC), ""
            if page is not None:
                title = page.title
                url = (page.get_url(request=self.request) or "") if page.live else ""
            network = NETWORKS.get(row["network"])
            decorated.append(
                ShareLogRow(
                    week=_as_date(row["week"]),
                    network_label=_(network.label) if network else row["network"],
                    title=title,
                    url=url,
                    shares=row["shares"],
                )
            )
        return decorated


def _as_date(value) -> date:
    # TruncWeek of a date column gives a date on PostgreSQL; SQLite may give a datetime.
    return value.date() if hasattr(value, "date") else value
