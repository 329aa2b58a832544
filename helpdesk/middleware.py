"""django-csp's middleware with one scoped exception: third-party HTML that cannot work without
inline styles (the Swagger UI and ReDoc API docs, DRF's browsable API, all under ``/api/``) gets
``style-src 'unsafe-inline'``. Every page of our own keeps ``style-src 'self'`` (docs/security.md)."""

from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.middleware import PolicyParts
from django.conf import settings

UNSAFE_INLINE = "'unsafe-inline'"


class CSPMiddleware(BaseCSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        prefixes = tuple(settings.FIXDESK_CSP_INLINE_STYLE_PREFIXES)
        if prefixes and request.path_info.startswith(prefixes) and "text/html" in response.get("Content-Type", ""):
            parts.update = {**(parts.update or {}), "style-src": [UNSAFE_INLINE]}
        return parts
