"""Authoring's entries in Wagtail's registries: the history line of a narrowed audience."""

from wagtail import hooks

from .services import AUDIENCE_NARROWED, SHARING_WITHDRAWN


@hooks.register("register_log_actions")
def register_log_actions(actions):
    # Written by authoring.services when an author narrows a published item's
    # audience: no review, so the page's history is where reviewers see it.
    actions.register_action(
        AUDIENCE_NARROWED, "Narrow audience", "Audience narrowed by the author (no review needed)"
    )
    actions.register_action(
        SHARING_WITHDRAWN,
        "Withdraw sharing consent",
        "The author withdrew consent to sharing outside Kindred (applied at once)",
    )
