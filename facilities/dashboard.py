"""The facilities panel of the dashboard: a registry summary for admins and field staff."""

from django.db.models import Count, Q

from facilities import permissions
from facilities.models import Equipment, Site, Vehicle


def panels(request) -> list[dict]:
    if not permissions.can_view_registry(request.user):
        return []
    counts = Equipment.objects.aggregate(
        total=Count("pk"), out_of_service=Count("pk", filter=Q(status=Equipment.Status.OUT_OF_SERVICE))
    )
    return [{
        "template": "facilities/includes/dashboard_panel.html",
        "sites": Site.objects.filter(active=True).count(),
        "equipment": counts["total"],
        "out_of_service": counts["out_of_service"],
        "vehicles": Vehicle.objects.filter(active=True).count(),
    }]
