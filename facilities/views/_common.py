"""Helpers shared by the facilities views: role gates, pagination, service errors onto forms."""

from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator

from facilities import permissions

PAGE_SIZE = 25


def gate(check):
    """Login required, then ``check(user)`` or 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

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
