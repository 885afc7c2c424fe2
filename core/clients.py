"""Who a throttle counts: one client, named by a keyed hash of its network address."""

import ipaddress

from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from allauth.account.adapter import get_adapter


def client_key(request: HttpRequest, *, salt: str) -> str:
    """A throttle key for the client behind ``request``, under ``salt`` (one per throttle).

    The same notion of "client" as the sign-in throttles (allauth honours
    TRUSTED_PROXY_COUNT). An IPv6 client usually holds a whole /64, so it is
    counted per /64 rather than per address. The key is a keyed hash, so the
    cache holds no address that could be recovered from it.
    """
    address = ipaddress.ip_address(get_adapter(request).get_client_ip(request))
    if address.version == 6:
        address = ipaddress.ip_network(f"{address}/64", strict=False).network_address
    return salted_hmac(salt, str(address)).hexdigest()
