"""Equipment, its page (open tickets and intervention history) and equipment models."""

import mimetypes

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from facilities import labels, permissions, selectors, services
from facilities.forms import EquipmentForm, EquipmentModelForm
from facilities.models import Equipment, EquipmentModel, Location, Site
from facilities.views._common import errors_onto, managers, paginate, readers


def _int_or_none(value):
    return selectors.parse_id(value)


@require_safe
@readers
def equipment_list(request):
    search = request.GET.get("q", "").strip()
    site = Site.objects.filter(pk=_int_or_none(request.GET.get("site"))).first()
    location = Location.objects.filter(pk=_int_or_none(request.GET.get("location"))).first()
    status = request.GET.get("status", "")
    if status not in Equipment.Status.values:
        status = ""
    category = request.GET.get("category", "").strip()
    qs = selectors.equipment_list(search=search, site=site, location=location, status=status, category=category)
    context = paginate(request, qs)
    context.update(
        search=search, site=site, location=location, status=status, category=category,
        sites=Site.objects.all(), statuses=Equipment.Status.choices,
        categories=EquipmentModel.objects.exclude(category="").order_by("category")
        .values_list("category", flat=True).distinct(),
        can_manage=permissions.can_manage_registry(request.user),
    )
    return render(request, "facilities/equipment_list.html", context)


@require_safe
@readers
def equipment_detail(request, pk):
    equipment = get_object_or_404(Equipment.objects.select_related("model__manufacturer", "site", "location"), pk=pk)
    open_tickets, history = selectors.equipment_tickets(equipment)
    context = paginate(request, history, per_page=20)
    context.update(
        equipment=equipment,
        open_tickets=open_tickets,
        report_url=labels.report_path(equipment),
        can_manage=permissions.can_manage_registry(request.user),
        can_print=permissions.can_print_labels(request.user),
    )
    return render(request, "facilities/equipment_detail.html", context)


@require_safe
@readers
def equipment_photo(request, pk):
    """The photo goes through this permission-checking view: media files are never served publicly."""
    equipment = get_object_or_404(Equipment, pk=pk)
    if not equipment.photo:
        raise Http404
    try:
        handle = equipment.photo.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    content_type = mimetypes.guess_type(equipment.photo.name)[0] or "application/octet-stream"
    if content_type not in ("image/jpeg", "image/png", "image/webp", "image/gif"):
        content_type = "application/octet-stream"  # never let a stored file render as a page
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{equipment.photo.name.rsplit("/", 1)[-1]}"'
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "POST"])
@managers
def equipment_create(request):
    initial = {}
    for name in ("site", "location", "model"):
        if _int_or_none(request.GET.get(name)):
            initial[name] = request.GET[name]
    return _equipment_form(request, None, initial)


@require_http_methods(["GET", "POST"])
@managers
def equipment_edit(request, pk):
    return _equipment_form(request, get_object_or_404(Equipment, pk=pk), {})


def _equipment_form(request, equipment, initial):
    form = EquipmentForm(request.POST or None, request.FILES or None, instance=equipment, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if data.get("photo") is None:
            data.pop("photo")  # untouched file input: keep the current photo
        elif data.get("photo") is False:
            data["photo"] = ""  # "clear" ticked
        try:
            if equipment is None:
                equipment = services.equipment_create(actor=request.user, **data)
                messages.success(request, _("Equipment %(tag)s added.") % {"tag": equipment.asset_tag})
            else:
                services.equipment_update(actor=request.user, equipment=equipment, **data)
                messages.success(request, _("Equipment %(tag)s saved.") % {"tag": equipment.asset_tag})
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            return redirect(equipment.get_absolute_url())
    return render(request, "facilities/equipment_form.html", {"form": form, "equipment": equipment})


@require_safe
@readers
def model_list(request):
    search = request.GET.get("q", "").strip()
    qs = EquipmentModel.objects.select_related("manufacturer").annotate(equipment_count=Count("equipment")).order_by(
        "manufacturer__name", "name")
    if search:
        from django.db.models import Q

        qs = qs.filter(Q(name__icontains=search) | Q(manufacturer__name__icontains=search)
                       | Q(category__icontains=search))
    context = paginate(request, qs)
    context.update(search=search, can_manage=permissions.can_manage_registry(request.user))
    return render(request, "facilities/model_list.html", context)


@require_http_methods(["GET", "POST"])
@managers
def model_create(request):
    return _model_form(request, None)


@require_http_methods(["GET", "POST"])
@managers
def model_edit(request, pk):
    return _model_form(request, get_object_or_404(EquipmentModel.objects.select_related("manufacturer"), pk=pk))


def _model_form(request, equipment_model):
    initial = {}
    if equipment_model is not None:
        initial = {"manufacturer": equipment_model.manufacturer.name, "name": equipment_model.name,
                   "category": equipment_model.category}
    form = EquipmentModelForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if equipment_model is None:
                services.equipment_model_create(actor=request.user, **form.cleaned_data)
            else:
                services.equipment_model_update(actor=request.user, equipment_model=equipment_model,
                                                **form.cleaned_data)
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("Model saved."))
            return redirect("facilities:model_list")
    return render(request, "facilities/model_form.html", {"form": form, "equipment_model": equipment_model})
