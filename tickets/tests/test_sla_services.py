"""The SLA write services: admins only, the models' rules checked in full, calendars in use kept."""

from datetime import date, time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tickets import services
from tickets.errors import ActionNotAllowed
from tickets.models import Holiday, SLAPolicy, WorkingCalendar
from tickets.tests.sla_helpers import make_calendar, make_policy

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["engineer", "technician", "customer"])
def test_only_admins_write(users, role):
    with pytest.raises(PermissionDenied):
        services.sla_policy_save(actor=users[role], name="x", priority="low", response_minutes=5,
                                 resolution_minutes=10)
    with pytest.raises(PermissionDenied):
        services.calendar_save(actor=users[role], name="x")
    calendar = make_calendar()
    with pytest.raises(PermissionDenied):
        services.calendar_delete(actor=users[role], calendar=calendar)
    assert not SLAPolicy.objects.exists() and WorkingCalendar.objects.count() == 1


def test_policy_rules_and_unknown_fields(users):
    admin = users["admin"]
    make_policy("high", 30, 240)
    with pytest.raises(ValidationError):  # a second active policy for "high"
        services.sla_policy_save(actor=admin, name="Twin", priority="high", response_minutes=5, resolution_minutes=9)
    with pytest.raises(ValidationError) as exc:
        services.sla_policy_save(actor=admin, name="Bad", priority="low", response_minutes=50, resolution_minutes=9)
    assert "resolution_minutes" in exc.value.message_dict
    with pytest.raises(ValueError):
        services.sla_policy_save(actor=admin, name="x", priority="low", response_minutes=5, resolution_minutes=9,
                                 escalation_level=3)
    assert SLAPolicy.objects.count() == 1


def test_calendar_holidays_are_replaced_and_a_calendar_in_use_is_kept(users):
    admin = users["admin"]
    calendar = services.calendar_save(actor=admin, name="Office", time_zone="Europe/London", weekdays="12345",
                                      day_start=time(8), day_end=time(17),
                                      holidays=[{"date": date(2026, 12, 25), "name": " Christmas "}])
    assert [(h.date, h.name) for h in calendar.holidays.all()] == [(date(2026, 12, 25), "Christmas")]
    services.calendar_save(actor=admin, calendar=calendar, holidays=[{"date": date(2027, 1, 1)}])
    assert list(Holiday.objects.values_list("date", flat=True)) == [date(2027, 1, 1)]
    with pytest.raises(ValidationError):
        services.calendar_save(actor=admin, calendar=calendar, day_start=time(18))
    make_policy("normal", calendar=calendar)
    with pytest.raises(ActionNotAllowed):
        services.calendar_delete(actor=admin, calendar=calendar)
    assert WorkingCalendar.objects.filter(pk=calendar.pk).exists() and Holiday.objects.count() == 1
