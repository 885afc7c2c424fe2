"""The safety app's hooks: log actions here; the admin's parts (the Safety inbox, crisis
signals) register their own in ``admin_hooks`` and ``crisis_admin``."""

from wagtail import hooks

from . import admin_hooks  # noqa: F401  (registers the Safety inbox's hooks)
from .services import CASE_OPENED, CASE_VIEWED


@hooks.register("register_log_actions")
def register_safety_log_actions(actions):
    actions.register_action(CASE_OPENED, "Safety case opened", "Safety case opened")
    actions.register_action(CASE_VIEWED, "Safety case viewed", "Safety case viewed")
