"""Helpers shared by the facilities views: role gates, pagination, service errors onto forms."""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import resolve_url
from django_htmx.http import HttpResponseClientRedirect

from facilities import permissions

PAGE_SIZE = 25


def gate(check):
    """Login required, then ``check(user)`` or 403.

    An htmx request whose session has expired gets ``HX-Redirect`` to the login page (coming back
    to the page it was made from) instead of a login form swapped into a ``<select>``.
    """

    def decorator(view):
        login_view = login_required(view)

        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated and getattr(request, "htmx", False):
                current = request.htmx.current_url_abs_path or "/"
                return HttpResponseClientRedirect(f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': current})}")
            if request.user.is_authenticated and not check(request.user):
                raise PermissionDenied
            return login_view(request, *args, **kwargs)

        return wrapped

    return decorator


readers = gate(permissions.can_view_registry)
managers = gate(permissions.can_manage_registry)
staff_managers = gate(permissions.can_manage_staff)
pickers = gate(permissions.can_pick_place)
label_printers = gate(permissions.can_print_labels)


def paginate(request, queryset, per_page: int = PAGE_SIZE) -> dict:
    """``page_obj`` plus ``querystring_base`` (the other GET parameters) for includes/pagination.html."""
    page_obj = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    others = [(k, v) for k, v in request.GET.items() if k != "page" and v]
    return {"page_obj": page_obj, "querystring_base": urlencode(others)}


def errors_onto(form, exc: ValidationError) -> None:
    """Shows a service's ValidationError on the form, on the field it names when the form has it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)
