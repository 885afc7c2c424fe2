"""Questions' report in the admin's Reports menu (imported by ``wagtail_hooks``)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_urls
from .admin_views import REPORT_PERMISSION


@hooks.register("register_admin_urls")
def register_question_report_urls():
    return [
        path(
            "reports/questions-waiting/", include(admin_urls, namespace="kindred_question_reports")
        )
    ]


class WaitingQuestionsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(REPORT_PERMISSION)


@hooks.register("register_reports_menu_item")
def register_waiting_questions_menu_item():
    return WaitingQuestionsMenuItem(
        gettext_lazy("Questions waiting"),
        reverse("kindred_question_reports:waiting"),
        icon_name="help",
        order=720,
    )
