"""The registry of notification kinds that apps above social resolve (a Kindred hook).

A notification stores ids only; what its recipient sees is worked out when it
is read (``selectors.notification_entries``). Social resolves its own kinds
(new follower, followed item, review decision). An app above social that
notifies about its own things (discussion: replies) registers how to resolve
them, so social never imports it::

    @hooks.register(NOTIFICATION_KINDS)
    def reply_kinds():
        return {NotificationKind.COMMENT_REPLY: reply_entries}

``NOTIFICATION_KINDS`` = "kindred_notification_kinds"
    ``fn() -> {kind: resolver}``; a resolver is called once per render with
    every entry of its kind: ``resolver(*, user, entries, readable)``, where
    ``readable`` maps page ids to the pages ``user`` may read now. It fills
    each ``NotificationEntry`` (actor, title, url, target_url) or sets
    ``available = False``, in a fixed number of queries whatever the number
    of entries.
"""

from collections.abc import Callable

from wagtail import hooks

NOTIFICATION_KINDS = "kindred_notification_kinds"

# resolver(*, user, entries, readable) -> None; see the module docstring.
EntryResolver = Callable[..., None]


def registered_kinds() -> dict[str, EntryResolver]:
    """``{kind: resolver}`` from every function registered under ``NOTIFICATION_KINDS``."""
    kinds: dict[str, EntryResolver] = {}
    for fn in hooks.get_hooks(NOTIFICATION_KINDS):
        kinds.update(fn())
    return kinds
