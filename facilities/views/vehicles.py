"""Vehicles, and CSV export of the registry for admins."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from facilities import csvio, permissions, selectors, services
from facilities.forms import VehicleForm
from facilities.models import Vehicle
from facilities.views._common import errors_onto, managers, paginate, readers


@require_safe
@readers
def vehicle_list(request):
    context = paginate(request, selectors.vehicle_list())
    context["can_manage"] = permissions.can_manage_registry(request.user)
    return render(request, "facilities/vehicle_list.html", context)


@require_http_methods(["GET", "POST"])
@managers
def vehicle_create(request):
    return _vehicle_form(request, None)


@require_http_methods(["GET", "POST"])
@managers
def vehicle_edit(request, pk):
    return _vehicle_form(request, get_object_or_404(Vehicle, pk=pk))


def _vehicle_form(request, vehicle):
    form = VehicleForm(request.POST or None, instance=vehicle)
    if request.method == "POST" and form.is_valid():
        try:
            if vehicle is None:
                vehicle = services.vehicle_create(actor=request.user, **form.cleaned_data)
            else:
                services.vehicle_update(actor=request.user, vehicle=vehicle, **form.cleaned_data)
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("Vehicle %(name)s saved.") % {"name": vehicle})
            return redirect("facilities:vehicle_list")
    return render(request, "facilities/vehicle_form.html", {"form": form, "vehicle": vehicle})


@require_safe
@managers
def export_csv(request, kind):
    if kind not in csvio.KINDS:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="fixdesk-{kind}-{stamp}.csv"'
    csvio.export_rows(kind, response)
    return response
