"""The transition table x the roles: every allowed action works, every other is refused and changes nothing."""

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Role
from accounts.tests.factories import make_user
from tickets import signals, workflow
from tickets.errors import ActionNotAllowed, ReportRequired
from tickets.models import Category, Status, Ticket, TicketEvent
from tickets.services import ticket_transition
from tickets.tests.conftest import WORKED_STATUSES, make_ticket

# Written out by hand from DESIGN.md's lifecycle table (not derived from workflow.py).
# "technician" is the ticket's assignee whenever the ticket has one; "customer" is the requester.
EXPECTED = {
    ("approve", Status.NEW): {"admin"},
    ("reject", Status.NEW): {"admin"},
    ("cancel", Status.NEW): {"admin", "customer"},
    ("assign", Status.NEW): {"admin"},
    ("assign", Status.APPROVED): {"admin"},
    ("assign", Status.ASSIGNED): {"admin"},
    ("take", Status.NEW): {"engineer"},
    ("take", Status.APPROVED): {"engineer"},
    ("start", Status.ASSIGNED): {"technician"},
    ("hold", Status.IN_PROGRESS): {"technician", "admin"},
    ("resume", Status.ON_HOLD): {"technician", "admin"},
    ("resolve", Status.IN_PROGRESS): {"technician"},
    ("close", Status.RESOLVED): {"admin", "customer"},
    ("reopen", Status.CLOSED): {"admin", "customer"},
    ("reopen", Status.REJECTED): {"admin", "customer"},
    **{("close_solved", s): {"customer"} for s in
       (Status.NEW, Status.APPROVED, Status.ASSIGNED, Status.IN_PROGRESS, Status.ON_HOLD)},
}
TARGET = {
    "approve": Status.APPROVED, "reject": Status.REJECTED, "cancel": Status.CANCELLED, "assign": Status.ASSIGNED,
    "take": Status.ASSIGNED, "start": Status.IN_PROGRESS, "hold": Status.ON_HOLD, "resume": Status.IN_PROGRESS,
    "resolve": Status.RESOLVED, "close": Status.CLOSED, "close_solved": Status.CLOSED,
}
ACTORS = ["admin", "engineer", "technician", "customer", "other_customer"]
# A job whose category needs a service report (docs/reports.md): ``resolve`` only by submitting the report.
BY_REPORT = {("resolve", Status.IN_PROGRESS)}


def test_table_names_the_contract_actions():
    assert list(workflow.ACTIONS) == [
        "approve", "reject", "cancel", "assign", "take", "start", "hold", "resume", "resolve", "close",
        "close_solved", "reopen",
    ]


@pytest.mark.parametrize("actor_name", ACTORS)
@pytest.mark.parametrize("status", [s.value for s in Status])
@pytest.mark.parametrize("action", workflow.ACTIONS)
def test_transition_matrix(db, action, status, actor_name):
    """Uncategorised tickets: with the default setting no service report is needed."""
    run_matrix_case(action, status, actor_name, category=None)


@pytest.mark.parametrize("actor_name", ACTORS)
@pytest.mark.parametrize("status", [Status.ASSIGNED, Status.IN_PROGRESS, Status.ON_HOLD, Status.RESOLVED])
@pytest.mark.parametrize("action", workflow.ACTIONS)
def test_transition_matrix_for_a_category_needing_a_report(db, action, status, actor_name):
    """The same table, minus the plain ``resolve`` (refused with ReportRequired, to the assignee only)."""
    run_matrix_case(action, status, actor_name, category=Category.objects.create(name="Repair"))


def run_matrix_case(action, status, actor_name, *, category):
    people = {name: make_user(Role.CUSTOMER if "customer" in name else name) for name in ACTORS}
    spare_technician = make_user(Role.TECHNICIAN)
    assignee = people["technician"] if status in WORKED_STATUSES else None
    ticket = make_ticket(requester=people["customer"], status=status, assignee=assignee, category=category)
    actor = people[actor_name]
    allowed = actor_name in EXPECTED.get((action, status), set())
    waits_for_report = allowed and category is not None and (action, status) in BY_REPORT
    allowed = allowed and not waits_for_report
    sent = []

    def receiver(sender, **kwargs):
        sent.append(kwargs)

    signals.ticket_transitioned.connect(receiver)
    try:
        kwargs = {"comment": "Checked on site.", "version": ticket.version}
        if action == "assign":
            kwargs["assignee"] = spare_technician
        if allowed:
            done = ticket_transition(actor=actor, ticket=ticket, action=action, **kwargs)
            done.refresh_from_db()
            if action == "reopen":
                expected = Status.IN_PROGRESS if status == Status.CLOSED else Status.NEW
            else:
                expected = TARGET[action]
            assert done.status == expected
            assert done.version == 2
            event = TicketEvent.objects.filter(ticket=ticket).latest("id")
            assert (event.action, event.from_status, event.to_status, event.actor) == (action, status, expected, actor)
            assert [s["action"] for s in sent] == [action]
            assert sent[0]["event"] == event and sent[0]["comment"] == "Checked on site."
            if action == "take":
                assert done.assignee == actor
            if action == "assign":
                assert done.assignee == spare_technician
        else:
            with pytest.raises(ActionNotAllowed) as refused:
                ticket_transition(actor=actor, ticket=ticket, action=action, **kwargs)
            assert isinstance(refused.value, ReportRequired) is waits_for_report
            fresh = Ticket.objects.get(pk=ticket.pk)
            assert (fresh.status, fresh.version, fresh.assignee_id) == (status, 1, getattr(assignee, "pk", None))
            assert TicketEvent.objects.filter(ticket=ticket).count() == 1
            assert sent == []
        assert workflow.is_allowed(ticket, actor, action) is allowed
        assert workflow.waits_for_report(ticket, actor, action) is waits_for_report
    finally:
        signals.ticket_transitioned.disconnect(receiver)


@pytest.mark.parametrize("action", ["reject", "hold", "resolve", "reopen"])
def test_actions_needing_a_comment_refuse_without_one(db, action, users):
    status = {"reject": Status.NEW, "hold": Status.IN_PROGRESS, "resolve": Status.IN_PROGRESS,
              "reopen": Status.CLOSED}[action]
    ticket = make_ticket(requester=users["customer"], status=status, assignee=users["technician"])
    actor = users["admin"] if action in ("reject", "reopen") else users["technician"]
    with pytest.raises(ValidationError):
        ticket_transition(actor=actor, ticket=ticket, action=action, comment="   ")
    ticket.refresh_from_db()
    assert ticket.status == status and ticket.version == 1


def test_requester_reopens_only_within_the_window(db, users, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.FIXDESK_REOPEN_WINDOW_DAYS = 7
    ticket = make_ticket(requester=users["customer"], status=Status.CLOSED, assignee=users["technician"])
    Ticket.objects.filter(pk=ticket.pk).update(closed_at=timezone.now() - timedelta(days=8))
    ticket.refresh_from_db()
    assert not workflow.is_allowed(ticket, users["customer"], "reopen")
    assert workflow.is_allowed(ticket, users["admin"], "reopen")
    Ticket.objects.filter(pk=ticket.pk).update(closed_at=timezone.now() - timedelta(days=6))
    ticket.refresh_from_db()
    assert workflow.is_allowed(ticket, users["customer"], "reopen")


def test_available_actions_for_each_role_on_a_new_ticket(db, users):
    ticket = make_ticket(requester=users["customer"])
    names = {role: [t.action for t in workflow.available_actions(ticket, u)] for role, u in users.items()}
    assert names == {
        "admin": ["approve", "reject", "cancel", "assign"],
        "engineer": ["take"],
        "technician": [],
        "customer": ["cancel", "close_solved"],
    }


def test_stale_version_is_refused_with_what_changed(db, users):
    from tickets.errors import StaleTicket

    ticket = make_ticket(requester=users["customer"])
    ticket_transition(actor=users["admin"], ticket=ticket, action="approve", version=1)
    with pytest.raises(StaleTicket) as exc:
        ticket_transition(actor=users["admin"], ticket=ticket, action="reject", comment="dup", version=1)
    assert "approve" in exc.value.message.lower()
    ticket.refresh_from_db()
    assert ticket.status == Status.APPROVED and ticket.version == 2


def test_signal_is_sent_inside_the_transaction(db, users):
    from django.db import transaction

    seen = []

    def receiver(sender, **kwargs):
        seen.append(transaction.get_connection().in_atomic_block)

    signals.ticket_transitioned.connect(receiver)
    try:
        ticket = make_ticket(requester=users["customer"])
        ticket_transition(actor=users["admin"], ticket=ticket, action="approve")
    finally:
        signals.ticket_transitioned.disconnect(receiver)
    assert seen == [True]


def test_a_failing_receiver_rolls_the_transition_back(db, users):
    ticket = make_ticket(requester=users["customer"])

    def boom(sender, **kwargs):
        raise RuntimeError("receiver failed")

    signals.ticket_transitioned.connect(boom)
    try:
        with pytest.raises(RuntimeError):
            ticket_transition(actor=users["admin"], ticket=ticket, action="approve")
    finally:
        signals.ticket_transitioned.disconnect(boom)
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW
    assert not TicketEvent.objects.filter(ticket=ticket, action="approve").exists()
