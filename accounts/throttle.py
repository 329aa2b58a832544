"""A small cache-based limit for the e-mail-sending forms (sign-up, resend, password reset).

Logins are throttled by django-axes; these forms send mail, so they get their own budget per
client IP and per address, to keep the site from being used to flood somebody's inbox.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache


def _client_ip(request) -> str:
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or "unknown"


def mail_form_allowed(request, form_name: str, email: str = "") -> bool:
    """Count one use of ``form_name`` from this IP (and for this address); False once over the limit."""
    limit, window = settings.ACCOUNTS_MAIL_RATE_LIMIT, settings.ACCOUNTS_MAIL_RATE_WINDOW
    keys = [f"accounts:throttle:{form_name}:ip:{_client_ip(request)}"]
    if email:
        keys.append(f"accounts:throttle:{form_name}:email:{email.strip().lower()}")
    allowed = True
    for key in keys:
        cache.add(key, 0, timeout=window)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)
            count = 1
        if count > limit:
            allowed = False
    return allowed
