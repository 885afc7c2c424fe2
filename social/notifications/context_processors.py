"""The unread count for the bell in the header (templates/social/notifications/...)."""

from functools import partial

from .selectors import unread_count


def notification_bell(request):
    """``notification_unread_count`` for signed-in people, computed only if a template uses it.

    A callable, so pages that never render the header (JSON, redirects) and
    visitors cost no query; the bell template reads it once with ``{% with %}``.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notification_unread_count": partial(unread_count, user=user)}
