"""Reports › Questions waiting: the questions past the service level, for Editors.

Oldest first, each with how long it has waited, its audience and whether an
expert has claimed it. The asker is never named (an anonymous question's
pseudonym would add nothing here); titles link to the question on the site.
"""

from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext_lazy

from wagtail.admin.auth import permission_denied
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Site

from .models import QuestionPage
from .selectors.service_level import answer_within_days, waiting_questions

REPORT_PERMISSION = "questions.view_waiting_questions"


class WaitingQuestionsReportView(ReportView):
    """Questions without a published answer for longer than the promised days."""

    page_title = gettext_lazy("Questions waiting for an answer")
    header_icon = "help"
    index_url_name = "kindred_question_reports:waiting"
    index_results_url_name = "kindred_question_reports:waiting_results"
    columns = [
        TitleColumn("title", label=gettext_lazy("Question"), get_url=lambda question: question.url),
        DateColumn("first_published_at", label=gettext_lazy("Published")),
        Column("audience_label", label=gettext_lazy("Who can read it")),
        Column("claimed_by", label=gettext_lazy("Claimed by")),
    ]
    list_export = ["title", "first_published_at", "audience_label", "claimed_by"]
    export_headings = {
        "title": gettext_lazy("Question"),
        "first_published_at": gettext_lazy("Published"),
        "audience_label": gettext_lazy("Who can read it"),
        "claimed_by": gettext_lazy("Claimed by"),
    }

    def dispatch(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        if not request.user.has_perm(REPORT_PERMISSION):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[QuestionPage]:
        return waiting_questions(site=Site.find_for_request(self.request))

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["answer_within_days"] = answer_within_days(site=Site.find_for_request(self.request))
        return context
