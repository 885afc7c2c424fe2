"""Wagtail hooks of the erasure (imported by compliance.wagtail_hooks)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from wagtail import hooks

from compliance.services.erasure import LOG_CANCEL, LOG_DONE, LOG_REQUEST
from core.hooks import ACCOUNT_SECTIONS, AccountSection


@hooks.register("register_log_actions")
def register_erasure_log_actions(actions):
    # Written on the ErasureRequest (its label names no one): the audit trail shows
    # when an erasure was asked for, called off by signing in, and carried out.
    actions.register_action(
        LOG_REQUEST,
        gettext_lazy("Account deletion requested"),
        gettext_lazy("Account deletion requested"),
    )
    actions.register_action(
        LOG_CANCEL,
        gettext_lazy("Account deletion cancelled"),
        gettext_lazy("Account deletion cancelled"),
    )
    actions.register_action(
        LOG_DONE, gettext_lazy("Account erased"), gettext_lazy("Account erased")
    )


@hooks.register(ACCOUNT_SECTIONS, order=100)
def erasure_account_section(*, request):
    """The last section of the account page: a link to what deleting would do (no query)."""
    return AccountSection(
        template="compliance/erasure_section.html",
        context={"url": reverse("compliance:erasure")},
    )
