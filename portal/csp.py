"""Two Content-Security-Policies: a strict one for the public pages (CONTENT_SECURITY_POLICY:
nothing inline, nothing from another host, no nonces since anonymous pages are cached whole),
and a looser one for the Wagtail admin (CONTENT_SECURITY_POLICY_ADMIN), whose widgets use
inline scripts and styles."""

from csp.middleware import CSPMiddleware
from django.conf import settings

ADMIN_PREFIX = "/admin/"


class PortalCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and request.path_info.startswith(ADMIN_PREFIX):
            parts.config = settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"]
        return parts
