"""Reads of the facilities registry."""

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet

from accounts.models import FIELD_ROLES
from facilities.models import Vehicle

# Statuses (tickets.models.Status values) during which a person or vehicle is busy on a job.
# facilities may not import tickets, so the values are named here and checked by a test.
BUSY_STATUSES = ("assigned", "in_progress", "on_hold")
OPEN_JOB_STATUSES = ("assigned", "in_progress", "on_hold")


def staff_for_assignment() -> QuerySet:
    """Active engineers and technicians with ``open_jobs`` counted, home site and trades loaded."""
    User = get_user_model()
    return (
        User.objects.filter(role__in=FIELD_ROLES, is_active=True)
        .select_related("staff_profile__home_site")
        .prefetch_related("staff_profile__trades")
        .annotate(open_jobs=Count("assigned_tickets", filter=Q(assigned_tickets__status__in=OPEN_JOB_STATUSES)))
        .order_by("open_jobs", "last_name", "first_name")
    )


def vehicles_free(*, for_ticket=None) -> QuerySet:
    """Active vehicles not on an assigned or in-progress job (other than ``for_ticket``)."""
    busy = Q(tickets__status__in=BUSY_STATUSES, tickets__deleted_at__isnull=True)
    if for_ticket is not None and for_ticket.pk:
        busy &= ~Q(tickets__pk=for_ticket.pk)
    busy_ids = Vehicle.objects.filter(busy).values("pk")
    return Vehicle.objects.filter(active=True).exclude(pk__in=busy_ids).select_related("home_site")
