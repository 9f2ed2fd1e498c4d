"""Response headers of the hardening: the content security policy, enforced or report-only."""

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CSPMiddleware
from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse

# The admin's policy allows its own previews to be framed by the editor (Wagtail sends
# X-Frame-Options: SAMEORIGIN on them); everything else is the site's policy.
ADMIN_DIRECTIVE_CHANGES = {"frame-ancestors": ["'self'"]}


def admin_prefix() -> str:
    """Where the Wagtail admin is mounted (its policy and its second factor start there)."""
    return reverse("wagtailadmin_home")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the Wagtail admin under a report-only policy.

    The public and learner pages have no inline script or style and get the policy enforced.
    Wagtail's admin renders inline scripts and styles of its own; there the browser only reports
    what it would block, so an upgrade of Wagtail cannot lock editors out of their tools.
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if not request.path_info.startswith(admin_prefix()):
            return super().process_response(request, response)
        response._csp_replace = {
            **ADMIN_DIRECTIVE_CHANGES,
            **(getattr(response, "_csp_replace", None) or {}),
        }
        response = super().process_response(request, response)
        if HEADER in response and HEADER_REPORT_ONLY not in response:
            response[HEADER_REPORT_ONLY] = response[HEADER]
            del response[HEADER]
        return response
