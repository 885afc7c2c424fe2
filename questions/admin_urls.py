from django.urls import path

from . import admin_views

app_name = "kindred_question_reports"

urlpatterns = [
    path("", admin_views.WaitingQuestionsReportView.as_view(), name="waiting"),
    path(
        "results/",
        admin_views.WaitingQuestionsReportView.as_view(results_only=True),
        name="waiting_results",
    ),
]
