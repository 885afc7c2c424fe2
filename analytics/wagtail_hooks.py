"""Reports › Review analytics and Community analytics (``analytics.view_analytics``)."""

from django.http import HttpRequest
from django.urls import URLResolver, include, path, reverse
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_urls
from .models import VIEW_PERMISSION


@hooks.register("register_admin_urls")
def register_analytics_urls() -> list[URLResolver]:
    return [path("analytics/", include(admin_urls, namespace="kindred_analytics"))]


class AnalyticsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(VIEW_PERMISSION)


@hooks.register("register_reports_menu_item")
def register_review_analytics_menu_item() -> AnalyticsMenuItem:
    return AnalyticsMenuItem(
        gettext_lazy("Review analytics"),
        reverse("kindred_analytics:review"),
        name="review-analytics",
        icon_name="tasks",
        order=1400,
    )


@hooks.register("register_reports_menu_item")
def register_community_analytics_menu_item() -> AnalyticsMenuItem:
    return AnalyticsMenuItem(
        gettext_lazy("Community analytics"),
        reverse("kindred_analytics:community"),
        name="community-analytics",
        icon_name="group",
        order=1410,
    )
