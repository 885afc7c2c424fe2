"""What people do with a community, under its address (``/communities/<slug>/...``).

Included before Wagtail's pages, so ``/communities/<slug>/`` itself stays the
community's page.
"""

from django.urls import include, path

app_name = "communities"

urlpatterns = [
    path("", include("communities.membership_urls")),
    path("", include("communities.moderation_urls")),
]
