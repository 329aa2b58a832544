"""Organisations (admins): list and create, edit."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import permissions, selectors, services
from accounts.forms import OrganizationForm
from accounts.models import Organization
from accounts.views._common import _apply_errors, _require

# --- organisations (admins) -------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def organizations(request):
    _require(permissions.can_manage_organizations(request.user))
    form = OrganizationForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                org = services.organization_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Organisation %(name)s is created.") % {"name": org.name})
                return redirect("accounts:organizations")
        messages.error(request, _("Please correct the errors below."))
    query = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.organization_list(query=query),
                     settings.ACCOUNTS_PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "accounts/organization_list.html", {
        "form": form, "page_obj": page, "organizations": page.object_list, "q": query,
        "querystring_base": f"q={query}" if query else "",
    })


@login_required
@require_http_methods(["GET", "POST"])
def organization_edit(request, pk: int):
    _require(permissions.can_manage_organizations(request.user))
    org = get_object_or_404(Organization, pk=pk)
    form = OrganizationForm(request.POST or None, initial={"name": org.name,
                                                          "members_see_all_tickets": org.members_see_all_tickets})
    if request.method == "POST":
        if form.is_valid():
            try:
                services.organization_update(actor=request.user, organization=org, **form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Organisation saved."))
                return redirect("accounts:organizations")
        messages.error(request, _("Please correct the errors below."))
    members_url = reverse("accounts:people") + f"?organization={org.pk}"
    return render(request, "accounts/organization_form.html", {"form": form, "organization": org,
                                                                "members_url": members_url})
