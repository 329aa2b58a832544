"""Maintenance staff: engineers and technicians with phone, trades and home site."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.models import FIELD_ROLES
from facilities import permissions, selectors, services
from facilities.forms import StaffForm
from facilities.models import StaffProfile
from facilities.views._common import errors_onto, paginate, readers, staff_managers


@require_safe
@readers
def staff_list(request):
    search = request.GET.get("q", "").strip()
    show_inactive = request.GET.get("inactive") == "1"
    qs = selectors.staff_list(search=search, include_inactive=show_inactive)
    context = paginate(request, qs)
    context.update(search=search, show_inactive=show_inactive,
                   can_manage=permissions.can_manage_staff(request.user))
    return render(request, "facilities/staff_list.html", context)


def _trades(request, form):
    trades = list(form.cleaned_data["trades"])
    for name in form.cleaned_data["new_trades"]:
        trades.append(services.trade_get_or_create(actor=request.user, name=name))
    return trades


@require_http_methods(["GET", "POST"])
@staff_managers
def staff_create(request):
    form = StaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                user = services.staff_create(
                    actor=request.user, email=data["email"], first_name=data["first_name"],
                    last_name=data["last_name"], role=data["role"], phone=data["phone"],
                    trades=_trades(request, form), home_site=data["home_site"],
                )
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("%(name)s added; an invitation goes to %(email)s.")
                             % {"name": user.get_full_name(), "email": user.email})
            return redirect("facilities:staff_list")
    return render(request, "facilities/staff_form.html", {"form": form, "person": None})


@require_http_methods(["GET", "POST"])
@staff_managers
def staff_edit(request, pk):
    user = get_object_or_404(get_user_model(), pk=pk, role__in=FIELD_ROLES)
    try:
        profile = user.staff_profile
    except StaffProfile.DoesNotExist:
        profile = None
    initial = {
        "first_name": user.first_name, "last_name": user.last_name, "email": user.email, "phone": user.phone,
        "role": user.role, "is_active": user.is_active,
        "trades": list(profile.trades.all()) if profile else [], "home_site": profile.home_site if profile else None,
    }
    form = StaffForm(request.POST or None, initial=initial, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.staff_update(
                    actor=request.user, user=user, first_name=data["first_name"], last_name=data["last_name"],
                    phone=data["phone"], role=data["role"], trades=_trades(request, form),
                    home_site=data["home_site"], is_active=data["is_active"],
                )
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("%(name)s saved.") % {"name": user.get_full_name()})
            return redirect("facilities:staff_list")
    return render(request, "facilities/staff_form.html", {"form": form, "person": user})
