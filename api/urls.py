"""The public read API under /api/v2/ (portal/urls.py includes these)."""

urlpatterns: list = []
