"""The accounts panel of the dashboard: admins see who is waiting to confirm and the head count."""

from accounts import permissions, selectors


def panels(request) -> list[dict]:
    if not permissions.is_admin(request.user):
        return []
    counts, waiting = selectors.people_counts()
    return [{"template": "accounts/includes/dashboard_panel.html", "counts": counts, "waiting": waiting}]
