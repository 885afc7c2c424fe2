"""Reports › Email delivery: what the outbox (``core.mail``) holds, for administrators.

Failed emails (the mail server refused them for good, or went on failing for
the whole retry schedule) are listed first with the error; once the cause is
fixed, ``manage.py retry_failed_emails`` queues them again. Only superusers see it: the list shows
members' addresses and subjects that name people and items.
"""

from django.db.models import Case, IntegerField, Value, When
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin.auth import permission_denied
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView

import django_filters

from core.models import OutboundEmail

Status = OutboundEmail.Status


def _is_admin(user):
    return user.is_active and user.is_superuser


class OutboundEmailFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(choices=Status.choices, label=gettext_lazy("Status"))

    class Meta:
        model = OutboundEmail
        fields = ["status"]


class EmailDeliveryReportView(ReportView):
    page_title = gettext_lazy("Email delivery")
    header_icon = "mail"
    index_url_name = "kindred_mail:report"
    index_results_url_name = "kindred_mail:report_results"
    filterset_class = OutboundEmailFilterSet
    columns = [
        DateColumn("created_at", label=gettext_lazy("Queued")),
        Column("to", label=gettext_lazy("To")),
        Column("subject", label=gettext_lazy("Subject")),
        Column("get_status_display", label=gettext_lazy("Status")),
        Column("attempts", label=gettext_lazy("Attempts")),
        DateColumn("next_attempt_at", label=gettext_lazy("Next attempt")),
        DateColumn("sent_at", label=gettext_lazy("Sent")),
        Column("last_error", label=gettext_lazy("Last error")),
    ]

    def dispatch(self, request, *args, **kwargs):
        if not _is_admin(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        # Failed first: those are what an administrator comes for.
        return OutboundEmail.objects.annotate(
            failed_first=Case(
                When(status=Status.FAILED, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        ).order_by("failed_first", "-created_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["failed_count"] = OutboundEmail.objects.filter(status=Status.FAILED).count()
        return context


urlpatterns = [
    path("", EmailDeliveryReportView.as_view(), name="report"),
    path("results/", EmailDeliveryReportView.as_view(results_only=True), name="report_results"),
]


@hooks.register("register_admin_urls")
def register_email_delivery_urls():
    return [path("reports/email/", include((urlpatterns, "kindred_mail")))]


class AdminOnlyMenuItem(MenuItem):
    def is_shown(self, request):
        return _is_admin(request.user)


@hooks.register("register_reports_menu_item")
def register_email_delivery_menu_item():
    return AdminOnlyMenuItem(
        gettext_lazy("Email delivery"),
        reverse("kindred_mail:report"),
        name="email-delivery",
        icon_name="mail",
        order=1400,
    )
