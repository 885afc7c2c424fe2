"""Where a request may send the browser next."""

from django.utils.http import url_has_allowed_host_and_scheme

# Longer than any address on this site; refuses absurd input before parsing it.
NEXT_MAX_LENGTH = 2000


def safe_next(request, target):
    """``target`` if it is a string naming a place on this site, else ``None``.

    Used for ``next`` parameters and stored links alike, so that no redirect
    can lead off the site (an open redirect) or to another scheme.
    """
    if not isinstance(target, str) or not target or len(target) > NEXT_MAX_LENGTH:
        return None
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    return target
