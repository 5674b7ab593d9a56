"""Where a request comes from, behind the proxies the deployment says it has.

``settings.TRUSTED_PROXY_COUNT`` is the number of proxies in front of the application that each
append the address they received the request from to X-Forwarded-For: 0 when clients connect
straight to the application, 1 behind nginx alone, 2 behind a load balancer and nginx. The
client is then the address the outermost trusted proxy appended: the N-th entry from the end.
Entries further left are whatever the client sent and are never trusted. A request with fewer
entries than configured did not pass through every proxy (it reached the application another
way), so its connecting address is used: it is answered normally and cannot pick the address
its rate limits count against.
"""

import ipaddress

from django.conf import settings


def _address(text):
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_address(request):
    """The client's IP address, as the trusted proxies saw it."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count > 0 and forwarded:
        entries = forwarded.split(",")
        if len(entries) >= count:
            client = _address(entries[-count])
            if client:
                return client
    return _address(remote) or "0.0.0.0"
