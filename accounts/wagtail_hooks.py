"""What accounts adds to the other apps through Kindred's hooks."""

from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import Page

from accounts import ledger_admin
from accounts.selectors import has_withdrawn_consent
from accounts.services import LOG_GRANT, LOG_WITHDRAW
from core import consent
from moderation.workflow import PUBLICATION_VETO


@hooks.register(PUBLICATION_VETO)
def withdrawn_consent_veto(page: Page) -> str | None:
    """Refuse to publish the page of an author who withdrew their health-data consent.

    Their withdrawal must win over an approval: an editor could still push the
    member's draft through the admin.
    """
    if has_withdrawn_consent(getattr(page, "author", None), consent.HEALTH_DATA):
        return _("The author has withdrawn consent; this cannot be published.")
    return None


@hooks.register("register_log_actions")
def register_consent_log_actions(actions):
    # Written by accounts.services.consent_event_record for every ledger entry,
    # so that Kindred's one audit trail shows consents with everything else.
    actions.register_action(LOG_GRANT, gettext_lazy("Give consent"), gettext_lazy("Gave consent"))
    actions.register_action(
        LOG_WITHDRAW, gettext_lazy("Withdraw consent"), gettext_lazy("Withdrew consent")
    )


@hooks.register("register_admin_urls")
def register_consent_ledger_urls():
    return [path("consent-ledger/", include(ledger_admin, namespace=ledger_admin.app_name))]


class ConsentLedgerMenuItem(MenuItem):
    """Reports › Consent ledger, for those who may export it (the Data protection group)."""

    def is_shown(self, request):
        return request.user.has_perm(ledger_admin.EXPORT_PERMISSION)


@hooks.register("register_reports_menu_item")
def register_consent_ledger_menu_item():
    return ConsentLedgerMenuItem(
        gettext_lazy("Consent ledger"),
        reverse("kindred_consent_ledger:index"),
        name="consent-ledger",
        icon_name="tasks",
        order=760,
    )
