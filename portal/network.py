"""Where a request comes from, behind the proxies the deployment says it has.

``settings.TRUSTED_PROXY_COUNT`` is the number of proxies in front of the application that each
append the address they received the request from to X-Forwarded-For: 0 when clients connect
straight to the application, 1 behind nginx alone, 2 behind a load balancer and nginx. The
client is then the address the outermost trusted proxy appended: the N-th entry from the end.
Entries further left are whatever the client sent and are never trusted.

The header is believed only when the request came from a proxy: from an address in
``settings.TRUSTED_PROXY_NETWORKS`` (by default loopback and the private ranges, where nginx and a
load balancer sit). A request straight from the internet, or with fewer entries than configured,
or with an entry that is not an address, is counted by its connecting address: it is answered
normally and cannot pick the address its rate limits count against.
"""

import ipaddress

from allauth.core.internal.ratelimit import truncate_ip
from django.conf import settings


def _address(text):
    text = text.strip()
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        pass
    # 1.2.3.4:5678 and [2001:db8::1]:5678, as some proxies write them.
    host = text.rsplit(":", 1)[0] if text.count(":") == 1 else text.rpartition("]")[0].lstrip("[")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def from_a_proxy(address):
    networks = settings.TRUSTED_PROXY_NETWORKS
    if networks is None:
        return address.is_loopback or address.is_private
    return any(address in ipaddress.ip_network(network) for network in networks)


def client_address(request):
    """The client's IP address, as the trusted proxies saw it."""
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count > 0 and forwarded and remote is not None and from_a_proxy(remote):
        entries = forwarded.split(",")
        if len(entries) >= count:
            client = _address(entries[-count])
            if client is not None:
                return str(client)
    return str(remote) if remote is not None else "0.0.0.0"


def client_network(request):
    """The client's address for counting: an IPv6 client by its /64, as allauth's limits do
    (one household or phone has a whole /64 to choose addresses from)."""
    return truncate_ip(client_address(request))
