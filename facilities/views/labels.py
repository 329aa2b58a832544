"""Printable sheets of QR labels: one asset, or every asset in a location (and below it)."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from facilities import labels, selectors
from facilities.models import Equipment, Location
from facilities.views._common import label_printers

MAX_LABELS = 500  # one sheet; larger locations print per sub-location


@require_safe
@label_printers
def equipment_label(request, pk):
    equipment = get_object_or_404(Equipment.objects.select_related("model__manufacturer", "site", "location"), pk=pk)
    return render(request, "facilities/label_sheet.html", {
        "title": equipment.asset_tag, "labels": labels.labels_for([equipment]), "back": equipment.get_absolute_url(),
    })


@require_safe
@label_printers
def location_labels(request, pk):
    location = get_object_or_404(Location.objects.select_related("site"), pk=pk)
    equipment = selectors.equipment_list(location=location).exclude(status=Equipment.Status.RETIRED)
    total = equipment.count()
    return render(request, "facilities/label_sheet.html", {
        "title": location.path, "labels": labels.labels_for(equipment[:MAX_LABELS]),
        "truncated": total > MAX_LABELS, "total": total, "max_labels": MAX_LABELS,
        "back": location.get_absolute_url(),
    })
