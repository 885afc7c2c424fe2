"""Opening a safety case by hand, under /admin/safety/ (namespace ``kindred_safety``).

The inbox, a case, its history, print, CSV and notes are the viewset's, under
/admin/safety/cases/ (namespace ``safety_cases``: ``safety.admin_viewsets``).
"""

from django.urls import path

from . import admin_views

app_name = "kindred_safety"

urlpatterns = [
    path("open/page/<int:page_id>/", admin_views.open_from_page, name="open_page"),
    path("open/comment/<int:comment_id>/", admin_views.open_from_comment, name="open_comment"),
]
