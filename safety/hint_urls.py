"""The personal-data hints a writer asks for while writing."""

from django.urls import path

from . import hint_views

urlpatterns = [
    path(
        "personal-data/",
        hint_views.personal_data_hints_view,
        name="personal_data_hints",
    ),
]
