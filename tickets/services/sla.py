"""Writes of SLA policies and working calendars (admins). The rules live on the models (``clean`` and
the constraints, which the Django admin's forms check too); these services check the actor, validate
fully and save. Open tickets keep their deadlines until ``sla_recompute_open`` is run, as in the admin.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from tickets import permissions
from tickets.errors import ActionNotAllowed
from tickets.sla_models import Holiday, SLAPolicy, WorkingCalendar

POLICY_FIELDS = ("name", "priority", "category", "site", "response_minutes", "resolution_minutes", "calendar",
                 "level2_after_minutes", "active")
CALENDAR_FIELDS = ("name", "time_zone", "weekdays", "day_start", "day_end")


def _require_admin(actor) -> None:
    if not permissions.can_manage_sla(actor):
        raise PermissionDenied(_("Only admins manage SLA policies."))


def _save(obj) -> None:
    obj.full_clean()
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:  # a concurrent save won the unique constraint
        raise ValidationError(_("An active policy for this priority, category and site already exists.")) from None


@transaction.atomic
def sla_policy_save(*, actor, policy: SLAPolicy | None = None, **fields) -> SLAPolicy:
    """Create (``policy`` None) or change an SLA policy; the model's rules are checked in full."""
    _require_admin(actor)
    unknown = set(fields) - set(POLICY_FIELDS)
    if unknown:
        raise ValueError(f"unknown SLA policy fields: {sorted(unknown)}")
    policy = SLAPolicy() if policy is None else SLAPolicy.objects.select_for_update().get(pk=policy.pk)
    for key, value in fields.items():
        setattr(policy, key, value)
    _save(policy)
    return policy


@transaction.atomic
def sla_policy_delete(*, actor, policy: SLAPolicy) -> None:
    """Delete a policy; tickets that used it keep their deadlines (their policy link is cleared)."""
    _require_admin(actor)
    policy.delete()


def _clean_holidays(holidays) -> list[dict]:
    rows, seen, errors = [], set(), []
    for row in holidays:
        day = row["date"]
        if day in seen:
            errors.append(_("%(day)s is listed twice.") % {"day": day.isoformat()})
        seen.add(day)
        rows.append({"date": day, "name": (row.get("name") or "").strip()[:100]})
    if errors:
        raise ValidationError({"holidays": errors})
    return rows


@transaction.atomic
def calendar_save(*, actor, calendar: WorkingCalendar | None = None, holidays=None, **fields) -> WorkingCalendar:
    """Create or change a working calendar; ``holidays`` (a list of ``{date, name}``) replaces its holidays."""
    _require_admin(actor)
    unknown = set(fields) - set(CALENDAR_FIELDS)
    if unknown:
        raise ValueError(f"unknown calendar fields: {sorted(unknown)}")
    calendar = (WorkingCalendar() if calendar is None
                else WorkingCalendar.objects.select_for_update().get(pk=calendar.pk))
    for key, value in fields.items():
        setattr(calendar, key, value)
    rows = _clean_holidays(holidays) if holidays is not None else None
    calendar.full_clean()
    calendar.save()
    if rows is not None:
        calendar.holidays.all().delete()
        Holiday.objects.bulk_create([Holiday(calendar=calendar, **row) for row in rows])
    return calendar


@transaction.atomic
def calendar_delete(*, actor, calendar: WorkingCalendar) -> None:
    """Delete a calendar no policy counts on (else ActionNotAllowed: nothing is deleted)."""
    _require_admin(actor)
    try:
        with transaction.atomic():
            calendar.delete()
    except ProtectedError:
        raise ActionNotAllowed(_("Policies count on this calendar: move them to another one first.")) from None
