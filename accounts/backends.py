from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    """Log in by e-mail, case-insensitively; unconfirmed or inactive accounts cannot log in."""

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and user.email_confirmed_at is not None


def axes_username(request, credentials=None) -> str:
    """The login name django-axes counts failures against: the e-mail, lower-cased and trimmed,
    so "Bob@X.org" and "bob@x.org" share one failure count."""
    source = credentials if credentials else getattr(request, "POST", {})
    return (source.get("username") or source.get("email") or "").strip().lower()


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' lock-out answer: the friendly page for people, the API's JSON error shape for /api/."""
    from axes.helpers import get_cool_off, get_failure_limit
    from django.conf import settings
    from django.http import JsonResponse
    from django.shortcuts import render

    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    context = {"failure_limit": get_failure_limit(request, credentials), "cooloff_minutes": minutes}
    if request.path.startswith("/api/"):
        return JsonResponse({"status": 429, "code": "locked_out",
                             "detail": "Too many failed log-ins for this account or address."
                                       + (f" Try again in {minutes} minutes." if minutes else "")}, status=429)
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=429)
