"""Macro pages: engineers keep personal canned responses; admins also manage the shared ones."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tickets import permissions, selectors, services
from tickets.forms import MacroForm
from tickets.models import Macro
from tickets.views import _apply_errors


@require_safe
@login_required
def macro_list(request):
    if not permissions.can_use_macros(request.user):
        raise PermissionDenied
    macros = selectors.macros_for(request.user).select_related("owner")
    return render(request, "tickets/macro_list.html", {
        "macros": macros, "placeholders": [f"{{{p}}}" for p in services.PLACEHOLDERS],
        "is_admin": request.user.role == "admin",
    })


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def macro_edit(request, pk=None):
    if not permissions.can_use_macros(request.user):
        raise PermissionDenied
    macro = get_object_or_404(Macro, pk=pk) if pk else None
    if macro is not None and not permissions.can_manage_macro(request.user, macro):
        raise PermissionDenied
    if request.method == "POST":
        form = MacroForm(request.POST)
        if form.is_valid():
            data = {k: form.cleaned_data.get(k) for k in ("name", "body", "set_priority", "action", "assign_to")}
            try:
                if macro is None:
                    shared = request.user.role == "admin" and request.POST.get("shared") == "on"
                    services.macro_create(actor=request.user, shared=shared, **data)
                else:
                    services.macro_update(actor=request.user, macro=macro, **data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Macro saved."))
                return redirect("tickets:macros")
    else:
        initial = {}
        if macro is not None:
            initial = {k: getattr(macro, k) for k in ("name", "body", "set_priority", "action", "assign_to")}
        form = MacroForm(initial=initial)
    return render(request, "tickets/macro_form.html", {
        "form": form, "macro": macro, "is_admin": request.user.role == "admin",
        "placeholders": [f"{{{p}}}" for p in services.PLACEHOLDERS],
    })


@require_POST
@login_required
def macro_delete(request, pk):
    macro = get_object_or_404(Macro, pk=pk)
    services.macro_delete(actor=request.user, macro=macro)
    messages.success(request, _("Macro deleted."))
    return redirect("tickets:macros")
