from django.urls import path

from . import admin_views

app_name = "kindred_review"

urlpatterns = [
    path("", admin_views.review_queue, name="queue"),
    path(
        "<int:page_id>/<slug:action_name>/<int:task_state_id>/",
        admin_views.ReviewDecisionView.as_view(),
        name="decide",
    ),
]
