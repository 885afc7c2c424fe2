"""Kindred's own system checks (``manage.py check``), registered in ``PortalConfig.ready``."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

PROXY_HINT = (
    "Set the TRUSTED_PROXY_COUNT environment variable to the number of reverse "
    "proxies in front of Kindred that append to X-Forwarded-For (0 when clients "
    "connect directly). Sign-in throttles count per client address: behind a "
    "proxy with 0, every visitor shares the proxy's address and one person's "
    "failed attempts pause everyone's sign-in; a count higher than the real one "
    "lets clients pick their own address."
)


@register(Tags.security, deploy=True)
def trusted_proxy_count_check(app_configs, **kwargs):
    """A deployment says how many proxies to trust (issue 10, finding 5).

    Only with ``--deploy``: on a laptop nothing sits in front of runserver.
    allauth's ``ALLAUTH_TRUSTED_CLIENT_IP_HEADER``, when set, replaces the count.
    """
    if getattr(settings, "ALLAUTH_TRUSTED_CLIENT_IP_HEADER", None):
        return []
    if settings.ALLAUTH_TRUSTED_PROXY_COUNT < 0:
        return [
            Error(
                "TRUSTED_PROXY_COUNT must not be negative.",
                hint=PROXY_HINT,
                id="portal.E001",
            )
        ]
    if not getattr(settings, "TRUSTED_PROXY_COUNT_SET", False):
        return [
            Warning(
                "TRUSTED_PROXY_COUNT is not set: sign-in throttles may treat every visitor as one.",
                hint=PROXY_HINT,
                id="portal.W001",
            )
        ]
    return []
