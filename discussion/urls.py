"""Kindred's comment endpoints, under /comments/ (see portal/urls.py).

They replace django-comments-xtd's routes, none of which are mounted: the
paths xtd would use (``reply/<id>/``, ``api/<ct>/<pk>/``, ``cr/…``,
``flag/<id>/``, ``post/``) match nothing here and fall through to a 404.
"""

from django.urls import path

from . import views

app_name = "discussion"

urlpatterns = [
    path("<int:page_id>/", views.post, name="post"),
    path("<int:comment_id>/reply/", views.reply, name="reply"),
    path("<int:comment_id>/link/", views.permalink, name="permalink"),
    path("<int:comment_id>/edit/", views.edit, name="edit"),
    path("<int:comment_id>/report/", views.report, name="report"),
    path("api/<int:page_id>/", views.api_list, name="api_list"),
    path("api/<int:page_id>/count/", views.api_count, name="api_count"),
    path("mute/<str:token>/", views.mute, name="mute"),
]
