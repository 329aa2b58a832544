"""Helpers shared by the accounts views: service errors onto forms, the demo buttons, 403 gates."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _lazy

from accounts.models import Role

BACKEND = "accounts.backends.EmailBackend"


def _apply_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError next to the fields it names (else above the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _demo_context() -> dict:
    if not settings.FIXDESK_DEMO:
        return {"demo_roles": []}
    from accounts.demo import demo_roles_deactivated

    return {"demo_roles": Role.choices, "demo_deactivated": demo_roles_deactivated()}


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


class ErrorMessageMixin:
    """Class-based forms say "please correct the errors" like the function views do."""

    error_message = _lazy("Please correct the errors below.")

    def form_invalid(self, form):
        messages.error(self.request, self.error_message)
        return super().form_invalid(form)
