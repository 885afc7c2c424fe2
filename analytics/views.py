"""Reports › Review analytics and Community analytics (admin), with a CSV of every chart.

Thin views: parse the period (and community) from the query string, ask the
selectors, shape the figures into ``Table``s, render or download one. Only
holders of ``analytics.view_analytics`` get in (Editors, Community managers,
superusers); anything unreadable in the query string falls back to the
defaults, an unknown table answers "not found".
"""

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.auth import permission_denied

from .models import VIEW_PERMISSION, AnalyticsSettings
from .periods import PeriodForm, period_of
from .selectors import (
    WeekFigures,
    community_activity,
    review_change_requests,
    review_decision_times,
    review_overdue,
    review_queue_history,
    top_searches,
    zero_result_searches,
)
from .tables import BAR, HORIZONTAL_BAR, LINE, Column, Table

REVIEW_DEFAULT_WEEKS = 4
COMMUNITY_DEFAULT_WEEKS = 12


def _download_or_render(
    request: HttpRequest, template: str, tables: list[Table], context: dict
) -> HttpResponse:
    key = request.GET.get("download")
    if key is not None:
        for table in tables:
            if table.key == key:
                return table.csv_response()
        raise Http404("No such table.")
    charts = [(table, table.chart_data_uri()) for table in tables]
    return TemplateResponse(request, template, {**context, "charts": charts})


def review_analytics(request: HttpRequest) -> HttpResponse:
    """The queues day by day, time to decision, requests for changes, late items."""
    if not request.user.has_perm(VIEW_PERMISSION):
        return permission_denied(request)
    form = PeriodForm(request.GET, default_weeks=REVIEW_DEFAULT_WEEKS)
    period = period_of(weeks=form.weeks_or_default())
    hours = AnalyticsSettings.load(request_or_site=request).review_service_level_hours
    overdue = review_overdue(user=request.user, service_level_hours=hours)
    tables = [
        Table(
            key="review-queue",
            title=_("Items waiting for review, day by day"),
            description=_("At the end of each day (today: now)."),
            columns=(
                Column(_("Day")),
                Column(_("Waiting for editorial review")),
                Column(_("Waiting for medical review")),
            ),
            rows=[(d.day, d.editorial, d.medical) for d in review_queue_history(period=period)],
            chart=LINE,
        ),
        Table(
            key="decision-times",
            title=_("Hours to the decision, per reviewer"),
            description=_(
                "From the moment an item reached the step to the approval or the request "
                "for changes, for decisions in the period. Median and 95th percentile "
                "(nearest rank: a time some item really waited)."
            ),
            columns=(
                Column(_("Step and reviewer")),
                Column(_("Decisions"), charted=False),
                Column(_("Median (hours)")),
                Column(_("95th percentile (hours)")),
            ),
            rows=[
                (
                    _("%(step)s: %(reviewer)s")
                    % {"step": t.stage_label, "reviewer": t.reviewer or _("all reviewers")},
                    t.decisions,
                    t.median_hours,
                    t.p95_hours,
                )
                for t in review_decision_times(period=period)
            ],
            chart=HORIZONTAL_BAR,
        ),
        Table(
            key="change-requests",
            title=_("Requests for changes, by step"),
            description=_(
                "Reviewers give their reason in a comment to the author, not as a choice "
                "from a list: the requests are counted by step, with how many carried a comment."
            ),
            columns=(
                Column(_("Step")),
                Column(_("Requests for changes")),
                Column(_("With a comment")),
            ),
            rows=[
                (c.stage_label, c.requests, c.with_comment)
                for c in review_change_requests(period=period)
            ],
            chart=BAR,
        ),
        Table(
            key="past-service-level",
            title=_("Waiting longer than %(hours)s hours") % {"hours": hours},
            description=_("Items in your review queue, longest waiting first."),
            columns=(
                Column(_("Item")),
                Column(_("Step")),
                Column(_("Waiting since")),
                Column(_("Hours waiting")),
            ),
            rows=[
                (item.title, item.stage_label, item.since.isoformat(timespec="minutes"), item.hours)
                for item in overdue.items
            ],
            links=[
                reverse("wagtailadmin_pages:edit", args=[item.page_id]) for item in overdue.items
            ],
        ),
    ]
    return _download_or_render(
        request,
        "analytics/review.html",
        tables,
        {
            "page_title": _("Review analytics"),
            "header_icon": "tasks",
            "form": form,
            "period": period,
            "overdue": overdue,
            "late_editorial": overdue.late_by_stage.get("editorial", 0),
            "late_medical": overdue.late_by_stage.get("medical", 0),
        },
    )


class CommunityPeriodForm(PeriodForm):
    """``?weeks=N&community=ID``: the period, and one community or the whole site."""

    community = forms.TypedChoiceField(
        label=gettext_lazy("Community"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: object, communities: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].choices = [("", _("Whole site"))] + [
            (scope.community_id, scope.title) for scope in communities
        ]

    def community_or_none(self) -> int | None:
        """The chosen community's id, or None (the whole site) when missing or unknown."""
        if "community" in self.errors:
            return None
        return self.cleaned_data.get("community")


def community_analytics(request: HttpRequest) -> HttpResponse:
    """Weekly activity of the whole site or one community, every community's totals, searches."""
    if not request.user.has_perm(VIEW_PERMISSION):
        return permission_denied(request)
    weeks = PeriodForm(request.GET, default_weeks=COMMUNITY_DEFAULT_WEEKS).weeks_or_default()
    period = period_of(weeks=weeks)
    activity = community_activity(period=period)
    form = CommunityPeriodForm(
        request.GET, default_weeks=COMMUNITY_DEFAULT_WEEKS, communities=activity.communities
    )
    scope = activity.scope(form.community_or_none())
    figures = (
        Column(_("Active members"), people=True),
        Column(_("New members"), people=True),
        Column(_("Items published")),
        Column(_("Comments")),
        Column(_("Reports on comments"), people=True),
    )

    def numbers(w: WeekFigures) -> tuple[int, ...]:
        return (w.active_members, w.new_members, w.items, w.comments, w.reports)

    tables = [
        Table(
            key="community-weeks",
            title=_("%(scope)s: week by week") % {"scope": scope.title},
            description=_("Weeks start on Monday; the last one is the current week so far."),
            columns=(Column(_("Week of")), *figures),
            rows=[(w.week, *numbers(w)) for w in scope.weeks],
            chart=LINE,
        ),
        Table(
            key="communities",
            title=_("Every community over the period"),
            description=_(
                "Active members are counted once over the whole period. An item for a "
                "community counts there and in the whole site, never in another community."
            ),
            columns=(Column(_("Community")), *figures),
            rows=[(s.title, *numbers(s.totals)) for s in [activity.site, *activity.communities]],
        ),
        Table(
            key="top-searches",
            title=_("Most searched (whole site)"),
            description=_("Terms searched fewer than 5 times are not listed."),
            columns=(Column(_("Search")), Column(_("Searches"), people=True)),
            rows=[(t.term, t.searches) for t in top_searches(period=period)],
            chart=HORIZONTAL_BAR,
        ),
        Table(
            key="zero-result-searches",
            title=_("Searches that found nothing (whole site)"),
            description=_("Terms searched fewer than 5 times are not listed."),
            columns=(Column(_("Search")), Column(_("Searches without results"), people=True)),
            rows=[(t.term, t.searches) for t in zero_result_searches(period=period)],
            chart=HORIZONTAL_BAR,
        ),
    ]
    return _download_or_render(
        request,
        "analytics/community.html",
        tables,
        {
            "page_title": _("Community analytics"),
            "header_icon": "group",
            "form": form,
            "period": period,
            "scope": scope,
        },
    )
