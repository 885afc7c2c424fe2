"""A URLconf that puts the members' pages under /elsewhere/ (tests/core/test_url_tag.py)."""

from django.urls import include, path

urlpatterns = [path("elsewhere/", include("social.urls"))]
