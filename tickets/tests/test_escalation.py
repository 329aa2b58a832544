"""The escalation sweep: once per level, priority up at level 2, unusual delays, dry run, command."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django_q.models import Schedule

from notifications.models import Notification
from tickets.escalation import delay_thresholds, escalation_sweep, percentile
from tickets.models import Category, Status, Ticket, TicketEvent
from tickets.tests.sla_helpers import T0, H, make_policy, move, sla_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def late(customer, technician):
    """Assigned at T0, resolution due at T0 + 8h; second escalation 4h after the first."""
    make_policy(response=60, resolution=8 * 60, level2_after_minutes=240)
    return sla_ticket(requester=customer, status=Status.IN_PROGRESS, assignee=technician, priority="normal")


def escalations(ticket):
    return list(ticket.events.filter(action="escalate").order_by("id"))


def test_nothing_before_the_deadline(late):
    assert escalation_sweep(now=T0 + 8 * H - timedelta(seconds=1)).count == 0


def test_level_one_then_level_two_each_once(late, admin, technician):
    first = escalation_sweep(now=T0 + 8 * H)
    late.refresh_from_db()
    assert first.count == 1 and late.escalation_level == 1 and late.priority == "normal"
    assert late.escalate_at == T0 + 12 * H
    # notified through the rules: the assignee and the admins
    assert set(Notification.objects.filter(ticket=late, event="escalated").values_list("recipient", flat=True)) == {
        admin.pk, technician.pk}
    # the same moment again, and again a bit later: nothing more
    assert escalation_sweep(now=T0 + 8 * H).count == 0
    assert escalation_sweep(now=T0 + 11 * H).count == 0
    second = escalation_sweep(now=T0 + 12 * H)
    late.refresh_from_db()
    assert second.count == 1 and late.escalation_level == 2 and late.priority == "high"
    assert late.escalate_at is None
    assert escalation_sweep(now=T0 + 100 * H).count == 0
    events = escalations(late)
    assert [e.changes["level"] for e in events] == [1, 2]
    assert events[1].changes["priority"] == ["normal", "high"] and events[0].actor is None
    assert "resolution overdue" in events[0].changes["reason"]
    assert Notification.objects.filter(ticket=late, event="escalated", recipient=admin).count() == 2


def test_after_a_long_pause_each_level_still_comes_once(late):
    far = T0 + 30 * 24 * H
    counts = [escalation_sweep(now=far + n * timedelta(minutes=5)).count for n in range(4)]
    late.refresh_from_db()
    assert late.escalation_level == 1 and counts == [1, 0, 0, 0]  # level 2 waits its 4 hours
    assert escalation_sweep(now=far + 4 * H).count == 1
    assert [e.changes["level"] for e in escalations(late)] == [1, 2]


def test_level_two_only_while_still_late(customer):
    """Escalated for a late response; assigned meanwhile, resolution not due yet: no level 2 yet."""
    make_policy(response=60, resolution=24 * 60, level2_after_minutes=60)
    ticket = sla_ticket(requester=customer)
    assert escalation_sweep(now=T0 + H).count == 1
    ticket.refresh_from_db()
    move(ticket, Status.ASSIGNED, T0 + 1.5 * H, action="assign")
    assert ticket.escalate_at == T0 + 24 * H
    assert escalation_sweep(now=T0 + 3 * H).count == 0
    assert escalation_sweep(now=T0 + 24 * H).count == 1


def test_urgent_stays_urgent(customer, technician):
    make_policy(priority="urgent", response=10, resolution=60, level2_after_minutes=10)
    ticket = sla_ticket(requester=customer, status=Status.IN_PROGRESS, assignee=technician, priority="urgent")
    escalation_sweep(now=T0 + H)
    escalation_sweep(now=T0 + 2 * H)
    ticket.refresh_from_db()
    assert ticket.escalation_level == 2 and ticket.priority == "urgent"
    assert "priority" not in escalations(ticket)[1].changes


@pytest.mark.parametrize("status", [Status.ON_HOLD, Status.RESOLVED, Status.CLOSED])
def test_paused_or_finished_tickets_are_not_escalated(late, status):
    move(late, status, T0 + 2 * H)
    assert escalation_sweep(now=T0 + 50 * H).count == 0


def test_deleted_tickets_are_not_escalated(late):
    Ticket.objects.filter(pk=late.pk).update(deleted_at=T0)
    assert escalation_sweep(now=T0 + 50 * H).count == 0


def test_dry_run_changes_nothing(late):
    result = escalation_sweep(now=T0 + 9 * H, dry_run=True)
    late.refresh_from_db()
    assert result.count == 1 and result.escalated[0][1] == 1
    assert late.escalation_level == 0 and late.version == 1
    assert not escalations(late) and not Notification.objects.filter(event="escalated").exists()


def test_command_dry_run_then_real(late):
    out, err = io.StringIO(), io.StringIO()
    call_command("escalate_tickets", "--dry-run", stdout=out, stderr=err)
    assert f"{late.reference}: would escalate to level 1" in out.getvalue() and "1/1" in err.getvalue()
    late.refresh_from_db()
    assert late.escalation_level == 0
    call_command("escalate_tickets", stdout=out, stderr=err)
    late.refresh_from_db()
    assert late.escalation_level == 1 and "escalated 1 ticket(s)" in out.getvalue()


def test_schedule_exists_after_migrate_and_setup_is_idempotent():
    Schedule.objects.filter(name="tickets: escalation sweep").delete()
    out = io.StringIO()
    call_command("setup_schedules", stdout=out)
    call_command("setup_schedules", stdout=out)
    schedule = Schedule.objects.get(name="tickets: escalation sweep")
    assert schedule.func == "tickets.tasks.escalate_tickets" and schedule.minutes == 5 and schedule.repeats == -1
    assert "tickets: escalation sweep: unchanged" in out.getvalue()


def test_the_task_runs_the_sweep(late):
    from tickets.tasks import escalate_tickets

    assert escalate_tickets().startswith("escalated 1")  # real time is long after T0


# Unusual delays ---------------------------------------------------------------------------

def _history(requester, category, hours: list[float], start, status=Status.NEW, then=Status.APPROVED):
    """Finished stays: tickets that spent ``hours`` in ``status`` before moving on to ``then``."""
    for n, spent in enumerate(hours):
        entered = start + n * H
        ticket = sla_ticket(requester=requester, created=entered, category=category, status=Status.CLOSED)
        TicketEvent.objects.filter(ticket=ticket).update(created_at=entered, to_status=status)
        event = TicketEvent.objects.create(ticket=ticket, action="approve", from_status=status, to_status=then,
                                           ticket_version=2)
        TicketEvent.objects.filter(pk=event.pk).update(created_at=entered + timedelta(hours=spent))


@pytest.fixture
def history(customer):
    repair = Category.objects.create(name="Repair")
    _history(customer, repair, [float(h) for h in range(1, 21)], T0 - 40 * 24 * H)  # 1h .. 20h
    return repair


def test_percentile_nearest_rank():
    assert percentile(list(range(1, 21)), 90) == 18
    assert percentile([5.0], 90) == 5.0


def test_thresholds_need_enough_history(customer, history, settings):
    assert delay_thresholds(now=T0) == {(history.pk, Status.NEW): 18 * 3600}
    settings.FIXDESK_DELAY_MIN_SAMPLES = 21
    assert delay_thresholds(now=T0) == {}


def test_history_outside_the_window_is_ignored(customer, history, settings):
    settings.FIXDESK_DELAY_HISTORY_DAYS = 30
    assert delay_thresholds(now=T0) == {}


def test_unusual_delay_is_flagged_and_escalated_once_per_stay(customer, history):
    other = Category.objects.create(name="IT")
    slow = sla_ticket(requester=customer, created=T0, category=history, title="Slow")
    normal = sla_ticket(requester=customer, created=T0 + 10 * H, category=history, title="Normal")
    no_history = sla_ticket(requester=customer, created=T0 - 100 * H, category=other, title="No history")
    result = escalation_sweep(now=T0 + 19 * H)  # slow: 19h in "new" > 18h; normal: 9h
    assert [t.pk for t, _level, _reason in result.escalated] == [slow.pk]
    slow.refresh_from_db()
    assert slow.escalation_level == 1 and slow.delay_flagged_at == T0 + 19 * H
    assert "unusual delay" in result.escalated[0][2] and "Repair" in result.escalated[0][2]
    later = escalation_sweep(now=T0 + 40 * H)  # normal: 30h now; slow: same stay, already flagged
    assert [t.pk for t, _level, _reason in later.escalated] == [normal.pk]
    slow.refresh_from_db()
    no_history.refresh_from_db()
    assert slow.escalation_level == 1 and no_history.escalation_level == 0
    assert escalation_sweep(now=T0 + 80 * H).count == 0


def test_a_new_stay_can_be_flagged_again_up_to_level_two(customer, history):
    _history(customer, history, [float(h) for h in range(1, 21)], T0 - 20 * 24 * H, status=Status.APPROVED,
             then=Status.ASSIGNED)  # 90th percentile of "approved": 18h too
    slow = sla_ticket(requester=customer, created=T0, category=history)
    assert escalation_sweep(now=T0 + 20 * H).count == 1
    slow.refresh_from_db()
    move(slow, Status.APPROVED, T0 + 21 * H, action="approve")
    assert escalation_sweep(now=T0 + 30 * H).count == 0
    assert escalation_sweep(now=T0 + 40 * H).count == 1
    slow.refresh_from_db()
    assert slow.escalation_level == 2 and slow.priority == "high"
    move(slow, Status.NEW, T0 + 41 * H, action="reopen")
    assert escalation_sweep(now=T0 + 400 * H).count == 0  # level 2 is the top


def test_recompute_deadlines_command(customer):
    ticket = sla_ticket(requester=customer, created=T0)
    assert ticket.resolution_due_at is None
    make_policy(response=60, resolution=8 * 60)
    out, err = io.StringIO(), io.StringIO()
    call_command("recompute_deadlines", "--dry-run", stdout=out, stderr=err)
    ticket.refresh_from_db()
    assert "would change the deadlines of 1" in out.getvalue() and ticket.resolution_due_at is None
    call_command("recompute_deadlines", "--priority", "normal", stdout=out, stderr=err)
    ticket.refresh_from_db()
    assert ticket.resolution_due_at == T0 + 8 * H and ticket.escalate_at == T0 + H
    call_command("recompute_deadlines", stdout=out, stderr=err)
    assert "changed the deadlines of 0" in out.getvalue()


def test_ticket_page_shows_the_escalation_and_its_reason(client_for, users, late):
    escalation_sweep(now=T0 + 8 * H)
    page = client_for(users["admin"]).get(late.get_absolute_url()).content.decode()
    box = page.split('id="ticket-sla"')[1].split("</section>")[0]
    assert "level 1" in box and "resolution overdue since" in box


def test_a_time_budget_leaves_the_rest_for_the_next_run(late):
    result = escalation_sweep(now=T0 + 9 * H, max_seconds=0)
    late.refresh_from_db()
    assert result.count == 0 and result.remaining == 1 and late.escalation_level == 0
    assert escalation_sweep(now=T0 + 9 * H, max_seconds=60).count == 1
