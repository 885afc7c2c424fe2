from django.urls import path

from . import admin_views

app_name = "discussion_admin"

urlpatterns = [
    path("", admin_views.queue, name="queue"),
    path("<int:comment_id>/<str:action>/", admin_views.moderate, name="moderate"),
]
