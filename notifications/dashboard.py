"""The notifications panel of the dashboard."""

from notifications.models import Delivery, DeliveryStatus
from notifications.selectors import notifications_for


def panels(request) -> list[dict]:
    user = request.user
    return [{
        "template": "notifications/includes/dashboard_panel.html",
        "items": list(notifications_for(user, unread_only=True)[:5]),
        "failed_deliveries": Delivery.objects.filter(status=DeliveryStatus.FAILED).count() if user.is_admin else None,
    }]
