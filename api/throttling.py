"""The API's throttle: requests per client address, counted in the shared cache."""

from django.conf import settings

from rest_framework.throttling import SimpleRateThrottle

from core.clients import client_key

# What a sponsor's integration may expect: two requests a second, sustained.
DEFAULT_RATE = "120/min"


class ClientRateThrottle(SimpleRateThrottle):
    """``KINDRED_API_THROTTLE_RATE`` requests (DRF's "120/min" form) per client address.

    The client is the one the sign-in throttles count (``core.clients.client_key``:
    allauth's address behind ``TRUSTED_PROXY_COUNT`` proxies, an IPv6 /64 as
    one), and the counts live in Django's default cache: Redis when
    ``REDIS_URL`` is set, so every process counts together. A refused request
    is answered 429 with ``Retry-After``. The rate is read on every request, so
    a changed setting takes effect at once.
    """

    scope = "kindred_api"

    def get_rate(self):
        return getattr(settings, "KINDRED_API_THROTTLE_RATE", DEFAULT_RATE)

    def get_cache_key(self, request, view):
        return self.cache_format % {
            "scope": self.scope,
            "ident": client_key(request, salt="api.client"),
        }
