"""Printable sheets of QR labels: one asset, or every asset in a location (and below it)."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from facilities import labels, selectors
from facilities.models import Equipment, Location, Site
from facilities.views._common import label_printers

MAX_LABELS = 500  # one sheet; larger locations print per sub-location


@require_safe
@label_printers
def equipment_label(request, pk):
    equipment = get_object_or_404(Equipment.objects.select_related("model__manufacturer", "site", "location"), pk=pk)
    return render(request, "facilities/label_sheet.html", {
        "title": equipment.asset_tag, "labels": labels.labels_for([equipment]), "back": equipment.get_absolute_url(),
    })


def _sheet(request, *, title, equipment, back):
    equipment = equipment.exclude(status=Equipment.Status.RETIRED)
    total = equipment.count()
    return render(request, "facilities/label_sheet.html", {
        "title": title, "labels": labels.labels_for(equipment[:MAX_LABELS]),
        "truncated": total > MAX_LABELS, "total": total, "max_labels": MAX_LABELS, "back": back,
    })


@require_safe
@label_printers
def location_labels(request, pk):
    location = get_object_or_404(Location.objects.select_related("site"), pk=pk)
    return _sheet(request, title=location.path, equipment=selectors.equipment_list(location=location),
                  back=location.get_absolute_url())


@require_safe
@label_printers
def site_labels(request, pk):
    site = get_object_or_404(Site, pk=pk)
    return _sheet(request, title=site.name, equipment=selectors.equipment_list(site=site),
                  back=site.get_absolute_url())
