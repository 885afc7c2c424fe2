"""The sitemap and robots.txt, at the site's root (portal/urls.py includes these)."""

from django.urls import path

from discovery import views

app_name = "discovery"

urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", views.sitemap_section, name="sitemap_section"),
]
