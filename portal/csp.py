"""Two Content-Security-Policies: a strict one for the public pages (CONTENT_SECURITY_POLICY:
nothing inline, nothing from another host, no nonces since anonymous pages are cached whole),
and a looser one for the Wagtail admin (CONTENT_SECURITY_POLICY_ADMIN), whose widgets use
inline scripts and styles."""

import functools

from csp.constants import HEADER
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.conf import settings

ADMIN_PREFIX = "/admin/"


class PortalCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and request.path_info.startswith(ADMIN_PREFIX):
            parts.config = settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"]
        return parts

    def process_response(self, request, response):
        """A public page's policy is the same string every time (no nonces, no policy of a view's
        own): it is built once, not for every reader of a page kept whole (portal/page_cache.py)."""
        customised = any(hasattr(response, name) for name in VIEW_POLICIES)
        if (
            customised
            or settings.DEBUG
            or request.path_info.startswith(ADMIN_PREFIX)
            or getattr(request, "_csp_nonce", None) is not None
            or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        ):
            return super().process_response(request, response)
        if HEADER not in response:
            response[HEADER] = public_policy(repr(settings.CONTENT_SECURITY_POLICY))
        return response


# What django-csp's decorators leave on a response that has a policy of its own.
VIEW_POLICIES = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt")


@functools.lru_cache(maxsize=4)
def public_policy(_settings):
    """The public pages' header, for the settings as they are (their repr is the key)."""
    return build_policy()
