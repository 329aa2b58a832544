"""The facilities panel of the dashboard: a registry summary for admins and field staff."""

from django.db.models import Count, Value

from facilities import permissions
from facilities.models import Equipment, Site, Vehicle


def registry_counts() -> dict[str, int]:
    """Active ``sites``, active ``vehicles``, all ``equipment`` and the equipment ``out_of_service``, in one
    query (four index or table counts joined by ``UNION ALL``; grouping equipment by status cost more)."""
    def tally(qs, key):  # a constant key has no GROUP BY: always one row, 0 on an empty table
        return qs.order_by().values(key=Value(key)).annotate(n=Count("*")).values_list("key", "n")

    return dict(tally(Site.objects.filter(active=True), "sites").union(
        tally(Vehicle.objects.filter(active=True), "vehicles"),
        tally(Equipment.objects.all(), "equipment"),
        tally(Equipment.objects.filter(status=Equipment.Status.OUT_OF_SERVICE), "out_of_service"), all=True))


def panels(request) -> list[dict]:
    if not permissions.can_view_registry(request.user):
        return []
    return [{"template": "facilities/includes/dashboard_panel.html", **registry_counts()}]
