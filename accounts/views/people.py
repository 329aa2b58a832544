"""People management (admins): list, invite, details, role, deactivate/reactivate, invitations."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import permissions, selectors, services
from accounts.forms import InviteForm, PeopleFilterForm, PersonForm, RoleForm
from accounts.models import Role
from accounts.views._common import _apply_errors, _require

# --- people (admins) --------------------------------------------------------------------------

@login_required
def people(request):
    _require(permissions.can_manage_people(request.user))
    filter_form = PeopleFilterForm(request.GET or None)
    filters = filter_form.filters() if request.GET else {}
    page = Paginator(selectors.user_list(actor=request.user, **filters),
                     settings.ACCOUNTS_PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "accounts/user_list.html", {
        "filter_form": filter_form, "page_obj": page, "people": page.object_list,
        "querystring_base": query.urlencode(), "counts": selectors.role_counts(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def people_invite(request):
    _require(permissions.can_manage_people(request.user))
    form = InviteForm(request.POST or None, initial={"role": request.GET.get("role", Role.CUSTOMER)})
    if request.method == "POST":
        if form.is_valid():
            try:
                user = services.user_invite(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("%(name)s is invited; the invitation is on its way to %(email)s.") % {
                    "name": user.get_full_name(), "email": user.email})
                return redirect("accounts:person", pk=user.pk)
        messages.error(request, _("Please correct the errors below."))
    return render(request, "accounts/user_invite.html", {"form": form})


def _person_page(request, person, *, form=None, role_form=None, status=200):
    return render(request, "accounts/user_detail.html", {
        "person": person,
        "form": form or PersonForm(initial=PersonForm.initial_for(person), role=person.role),
        "role_form": role_form or RoleForm(initial={"role": person.role}),
        "can_change_role": permissions.can_change_role(request.user, person),
        "can_deactivate": permissions.can_deactivate(request.user, person),
        "can_reactivate": permissions.can_reactivate(request.user, person),
        "can_resend_invitation": permissions.can_resend_invitation(request.user, person),
        "events": selectors.user_events(actor=request.user, user=person),
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def person(request, pk: int):
    _require(permissions.can_manage_people(request.user))
    target = selectors.user_get_for(actor=request.user, pk=pk)
    if request.method == "GET":
        return _person_page(request, target)
    form = PersonForm(request.POST, role=target.role)
    if form.is_valid():
        try:
            services.user_update(actor=request.user, user=target, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The details of %(name)s are saved.") % {"name": target.get_full_name()})
            return redirect("accounts:person", pk=target.pk)
    messages.error(request, _("Please correct the errors below."))
    return _person_page(request, target, form=form)


@login_required
@require_POST
def person_role(request, pk: int):
    _require(permissions.can_manage_people(request.user))
    target = selectors.user_get_for(actor=request.user, pk=pk)
    _require(permissions.can_change_role(request.user, target))
    role_form = RoleForm(request.POST)
    if role_form.is_valid():
        try:
            services.user_change_role(actor=request.user, user=target, role=role_form.cleaned_data["role"])
        except ValidationError as exc:
            _apply_errors(role_form, exc)
        else:
            target.refresh_from_db()
            messages.success(request, _("%(name)s is now %(role)s.") % {
                "name": target.get_full_name(), "role": target.get_role_display()})
            return redirect("accounts:person", pk=target.pk)
    messages.error(request, _("The role was not changed."))
    return _person_page(request, target, role_form=role_form, status=409 if role_form.is_bound else 200)


@login_required
@require_POST
def person_active(request, pk: int, action: str):
    """Deactivate or reactivate somebody (``action`` is "deactivate" or "reactivate")."""
    _require(permissions.can_manage_people(request.user))
    target = selectors.user_get_for(actor=request.user, pk=pk)
    if action == "deactivate":
        _require(permissions.can_deactivate(request.user, target))
        try:
            services.user_deactivate(actor=request.user, user=target)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("accounts:person", pk=target.pk)
        messages.success(request, _("%(name)s is deactivated and logged out everywhere.") % {
            "name": target.get_full_name()})
    else:
        _require(permissions.can_reactivate(request.user, target))
        services.user_reactivate(actor=request.user, user=target)
        messages.success(request, _("%(name)s can log in again.") % {"name": target.get_full_name()})
    return redirect("accounts:person", pk=target.pk)


@login_required
@require_POST
def person_resend_invitation(request, pk: int):
    _require(permissions.can_manage_people(request.user))
    target = selectors.user_get_for(actor=request.user, pk=pk)
    _require(permissions.can_resend_invitation(request.user, target))
    services.user_resend_invitation(actor=request.user, user=target)
    messages.success(request, _("A new invitation is on its way to %(email)s.") % {"email": target.email})
    return redirect("accounts:person", pk=target.pk)
