from django.http import HttpRequest
from django.urls import URLResolver, include, path, reverse
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_urls
from .admin_views import REPORTS_PERMISSION


@hooks.register("register_admin_urls")
def register_search_report_urls() -> list[URLResolver]:
    return [path("reports/search/", include(admin_urls, namespace="kindred_search_reports"))]


class SearchReportMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(REPORTS_PERMISSION)


@hooks.register("register_reports_menu_item")
def register_popular_searches_menu_item() -> SearchReportMenuItem:
    return SearchReportMenuItem(
        gettext_lazy("Popular searches"),
        reverse("kindred_search_reports:popular"),
        name="popular-searches",
        icon_name="search",
        order=1310,
    )


@hooks.register("register_reports_menu_item")
def register_zero_result_searches_menu_item() -> SearchReportMenuItem:
    return SearchReportMenuItem(
        gettext_lazy("Searches without results"),
        reverse("kindred_search_reports:zero"),
        name="searches-without-results",
        icon_name="search",
        order=1320,
    )
