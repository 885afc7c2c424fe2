from django.urls import path

from . import views

app_name = "social"

urlpatterns = [
    path("feed/", views.feed, name="feed"),
    path("me/profile/", views.profile_edit, name="profile_edit"),
    # ``str`` rather than ``slug``: every value, well-formed or not, reaches
    # the same 404 as a hidden profile (see social.selectors.visible_profile).
    path("members/<str:handle>/", views.profile_detail, name="profile_detail"),
]
