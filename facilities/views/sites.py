"""Sites and the location tree."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from facilities import permissions, selectors, services
from facilities.forms import LocationForm, SiteForm
from facilities.models import Location, Site
from facilities.views._common import errors_onto, managers, paginate, readers


@require_safe
@readers
def site_list(request):
    search = request.GET.get("q", "").strip()
    context = paginate(request, selectors.site_list(search=search))
    context.update(search=search, can_manage=permissions.can_manage_registry(request.user))
    return render(request, "facilities/site_list.html", context)


@require_safe
@readers
def site_detail(request, pk):
    site = get_object_or_404(Site, pk=pk)
    return render(request, "facilities/site_detail.html", {
        "site": site,
        "tree": selectors.location_tree(site),
        "equipment_count": site.equipment.count(),
        "staff": site.staff.select_related("user").order_by("user__last_name"),
        "vehicles": site.vehicles.all(),
        "can_manage": permissions.can_manage_registry(request.user),
        "can_print": permissions.can_print_labels(request.user),
    })


@require_http_methods(["GET", "POST"])
@managers
def site_create(request):
    return _site_form(request, None)


@require_http_methods(["GET", "POST"])
@managers
def site_edit(request, pk):
    return _site_form(request, get_object_or_404(Site, pk=pk))


def _site_form(request, site):
    form = SiteForm(request.POST or None, instance=site)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if site is None:
                site = services.site_create(actor=request.user, **data)
                messages.success(request, _("Site %(name)s added.") % {"name": site.name})
            else:
                services.site_update(actor=request.user, site=site, **data)
                messages.success(request, _("Site %(name)s saved.") % {"name": site.name})
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            return redirect(site.get_absolute_url())
    return render(request, "facilities/site_form.html", {"form": form, "site": site})


@require_safe
@readers
def location_detail(request, pk):
    location = get_object_or_404(Location.objects.select_related("site", "parent"), pk=pk)
    equipment = selectors.equipment_list(location=location)
    context = paginate(request, equipment)
    context.update(
        location=location,
        children=location.children.order_by("name"),
        can_manage=permissions.can_manage_registry(request.user),
        can_print=permissions.can_print_labels(request.user),
    )
    return render(request, "facilities/location_detail.html", context)


@require_http_methods(["GET", "POST"])
@managers
def location_create(request, site_pk):
    site = get_object_or_404(Site, pk=site_pk)
    initial = {}
    parent_id = selectors.parse_id(request.GET.get("parent"))
    if parent_id:
        initial["parent"] = Location.objects.filter(site=site, pk=parent_id).first()
    form = LocationForm(request.POST or None, site=site, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            location = services.location_create(actor=request.user, site=site, name=form.cleaned_data["name"],
                                                parent=form.cleaned_data["parent"])
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("Location %(path)s added.") % {"path": location.path})
            return redirect(site.get_absolute_url())
    return render(request, "facilities/location_form.html", {"form": form, "site": site, "location": None})


@require_http_methods(["GET", "POST"])
@managers
def location_edit(request, pk):
    location = get_object_or_404(Location.objects.select_related("site"), pk=pk)
    form = LocationForm(request.POST or None, site=location.site, exclude=location,
                        initial={"name": location.name, "parent": location.parent})
    if request.method == "POST" and form.is_valid():
        try:
            services.location_update(actor=request.user, location=location, name=form.cleaned_data["name"],
                                     parent=form.cleaned_data["parent"])
        except ValidationError as exc:
            location.refresh_from_db()
            errors_onto(form, exc)
        else:
            messages.success(request, _("Location %(path)s saved.") % {"path": location.path})
            return redirect("facilities:location_detail", pk=location.pk)
    return render(request, "facilities/location_form.html",
                  {"form": form, "site": location.site, "location": location})


@require_POST
@managers
def location_delete(request, pk):
    location = get_object_or_404(Location.objects.select_related("site"), pk=pk)
    site = location.site
    try:
        services.location_delete(actor=request.user, location=location)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("facilities:location_detail", pk=pk)
    messages.success(request, _("Location %(path)s deleted.") % {"path": location.path})
    return redirect(site.get_absolute_url())
