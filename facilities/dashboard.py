"""The facilities panel of the dashboard: a registry summary for admins and field staff."""

from django.db.models import Count, F, Value

from facilities import permissions
from facilities.models import Equipment, Site, Vehicle

OUT_OF_SERVICE = Equipment.Status.OUT_OF_SERVICE


def registry_counts() -> dict[str, int]:
    """``site`` and ``vehicle``: the active ones; every other key an equipment status (absent: 0). One query."""
    def tally(qs, key):
        return qs.order_by().values(key=key).annotate(n=Count("pk")).values_list("key", "n")

    # A constant key has no GROUP BY: always one row, holding 0 on an empty table.
    counts = tally(Site.objects.filter(active=True), Value("site")).union(
        tally(Vehicle.objects.filter(active=True), Value("vehicle")),
        tally(Equipment.objects.all(), F("status")), all=True)
    return dict(counts)


def panels(request) -> list[dict]:
    if not permissions.can_view_registry(request.user):
        return []
    counts = registry_counts()
    return [{
        "template": "facilities/includes/dashboard_panel.html",
        "sites": counts.get("site", 0),
        "equipment": sum(n for key, n in counts.items() if key not in ("site", "vehicle")),
        "out_of_service": counts.get(OUT_OF_SERVICE, 0),
        "vehicles": counts.get("vehicle", 0),
    }]
