"""The accounts panel of the dashboard: admins see who is waiting to confirm and the head count."""

from accounts import permissions, selectors
from accounts.models import User


def panels(request) -> list[dict]:
    if not permissions.is_admin(request.user):
        return []
    waiting = User.objects.filter(is_active=True, email_confirmed_at__isnull=True).count()
    return [{"template": "accounts/includes/dashboard_panel.html", "counts": selectors.role_counts(),
             "waiting": waiting}]
