"""The admin addresses of the reviewer's personal-data view (``safety.hint_hooks``)."""

from django.urls import path

from . import admin_hint_views

app_name = "kindred_personal_data"

urlpatterns = [
    path("<int:page_id>/", admin_hint_views.personal_data_page, name="page"),
]
