"""The notifications panel of the dashboard."""

from helpdesk.reverse import pk_url_maker
from notifications.models import Delivery, DeliveryStatus
from notifications.selectors import notifications_for


def panels(request) -> list[dict]:
    user = request.user
    # The panel shows each one's title and age and a form to open it: no actor, no ticket.
    items = list(notifications_for(user, unread_only=True).select_related(None).only("id", "title", "created_at")[:5])
    open_url = pk_url_maker("notifications:open")
    for item in items:
        item.open_url = open_url(item.pk)
    return [{
        "template": "notifications/includes/dashboard_panel.html",
        "items": items,
        "failed_deliveries": Delivery.objects.filter(status=DeliveryStatus.FAILED).count() if user.is_admin else None,
    }]
