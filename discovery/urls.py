"""The sitemap and robots.txt, at the site's root (portal/urls.py includes these)."""

urlpatterns: list = []
