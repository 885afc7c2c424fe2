"""Authoring's entries in Wagtail's registries: the history line of a narrowed audience."""

from django.utils.translation import gettext_lazy

from wagtail import hooks

from .services import AUDIENCE_NARROWED, SHARING_WITHDRAWN


@hooks.register("register_log_actions")
def register_log_actions(actions):
    # Written by authoring.services when an author narrows a published item's
    # audience: no review, so the page's history is where reviewers see it.
    actions.register_action(
        AUDIENCE_NARROWED,
        gettext_lazy("Narrow audience"),
        gettext_lazy("Audience narrowed by the author (no review needed)"),
    )
    actions.register_action(
        SHARING_WITHDRAWN,
        gettext_lazy("Withdraw sharing consent"),
        gettext_lazy("The author withdrew consent to sharing outside Kindred (applied at once)"),
    )
