"""The benchmark data set is consistent: what the services would have written, in every status and role."""

import io
from collections import defaultdict
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import Count, F

from accounts.models import Role, User
from bench.seed import BENCH_DOMAIN, LOGIN_EMAILS, LONG_HISTORY_TITLE, NEEDS_ASSIGNEE, PATHS, seed
from facilities.models import Equipment, Location, Site, StaffProfile
from tickets.models import Comment, Photo, Status, Ticket, TicketEvent

N = 400


@pytest.fixture
def seeded(db):
    out = io.StringIO()
    summary = seed(tickets=N, stdout=out, chunk=150)
    return summary, out.getvalue()


def test_counts_and_progress(seeded):
    summary, output = seeded
    assert Ticket.objects.count() == summary.tickets == N + 3  # plus the long-history tickets
    assert TicketEvent.objects.count() == summary.events
    assert Comment.objects.count() == summary.comments > 0
    assert Photo.objects.count() == summary.photos > 0
    # One progress line per chunk of 150: 150, 300, 400.
    assert [line.split()[1] for line in output.splitlines() if line.strip().startswith("tickets")] == [
        "150/400", "300/400", "400/400"
    ]


def test_the_ticket_search_index_is_kept_current_while_seeding(seeded):
    from tickets.search import text_match

    leak = Ticket.objects.filter(title__icontains="leak") | Ticket.objects.filter(description__icontains="leak")
    assert set(Ticket.objects.filter(text_match("leak"))) == set(leak) != set()


def test_every_role_and_every_status(seeded):
    roles = set(User.objects.filter(email__endswith=BENCH_DOMAIN).values_list("role", flat=True))
    assert roles == {r.value for r in Role}
    statuses = set(Ticket.objects.values_list("status", flat=True))
    assert statuses == {s.value for s in Status}
    for role, email in LOGIN_EMAILS.items():
        user = User.objects.get(email=email)
        assert user.role == role and user.check_password("fixdesk-bench") and user.email_confirmed
    # The login customer has many tickets ("My tickets" is long), staff have profiles.
    heavy = User.objects.get(email=LOGIN_EMAILS["customer"])
    assert heavy.tickets.count() >= N // 50
    assert heavy.organization.members_see_all_tickets  # and sees the organisation's tickets too
    field_staff = User.objects.filter(role__in=[Role.ENGINEER, Role.TECHNICIAN], email__endswith=BENCH_DOMAIN)
    assert StaffProfile.objects.filter(user__in=field_staff).count() == field_staff.count()


def test_events_follow_the_workflow_to_the_ticket_status(seeded):
    events = defaultdict(list)
    for e in TicketEvent.objects.order_by("created_at", "id"):
        events[e.ticket_id].append(e)
    for t in Ticket.objects.all():
        chain = events[t.pk]
        assert chain[0].action == "create" and chain[0].to_status == Status.NEW
        assert chain[0].created_at == t.created_at
        assert chain[-1].to_status == t.status
        for before, after in zip(chain, chain[1:], strict=False):
            assert after.from_status == before.to_status
            assert after.created_at >= before.created_at
        assert t.version == len(chain)
        if t.title != LONG_HISTORY_TITLE:
            assert [e.action for e in chain[1:]] == [a for a, _ in PATHS[t.status]]


def test_ticket_fields_match_their_status(seeded):
    for t in Ticket.objects.select_related("location", "equipment"):
        assert (t.assignee_id is not None) == (t.status in NEEDS_ASSIGNEE)
        assert (t.closed_at is not None) == (t.status == Status.CLOSED)
        assert (t.resolved_at is not None) == (t.status in (Status.RESOLVED, Status.CLOSED))
        assert t.updated_at >= t.created_at
        if t.assigned_at:
            assert t.assigned_at > t.created_at
        assert t.location.site_id == t.site_id
        if t.equipment_id:
            assert t.equipment.site_id == t.site_id
    # Tickets are spread over years, in creation order, not all stamped "now".
    first, last = Ticket.objects.order_by("pk").values_list("created_at", flat=True)[N // 2:N // 2 + 2]
    spread = Ticket.objects.order_by("created_at").values_list("created_at", flat=True)
    assert (spread.last() - spread.first()).days > 365
    assert first <= last


def test_comments_are_in_the_ticket_lifetime_and_internal_only_from_staff(seeded):
    for c in Comment.objects.select_related("ticket", "author"):
        assert c.ticket.created_at <= c.created_at
        if c.is_internal:
            assert c.author.role != Role.CUSTOMER


def test_long_history_tickets(seeded):
    counts = (Ticket.objects.filter(title=LONG_HISTORY_TITLE).annotate(n=Count("events", distinct=True),
                                                                        c=Count("comments", distinct=True)))
    assert len(counts) == 3
    assert all(t.n > 300 and t.c >= 150 for t in counts)


def test_world_hangs_together(seeded):
    assert Site.objects.count() >= 3
    assert Location.objects.filter(parent__isnull=True).count() == 2 * Site.objects.count()
    assert not Location.objects.exclude(parent=None).exclude(site=F("parent__site")).exists()
    assert not Equipment.objects.filter(location__isnull=False).exclude(location__site=F("site")).exists()
    rooms = Location.objects.filter(children__isnull=True)
    assert all(r.path.startswith(r.site.name + " / ") and r.path.count(" / ") == 3 for r in rooms)


def test_second_run_adds_to_the_same_world(seeded):
    users = User.objects.count()
    seed(tickets=50, stdout=io.StringIO(), long_history=False)
    assert User.objects.count() == users
    assert Ticket.objects.count() == N + 3 + 50


def test_command_dry_run_writes_nothing(db):
    out = io.StringIO()
    call_command("bench_seed", "--tickets", "1000", "--dry-run", stdout=out)
    assert "would build the bench world" in out.getvalue()
    assert not User.objects.exists() and not Ticket.objects.exists()


def test_command_seeds(db):
    out = io.StringIO()
    call_command("bench_seed", "--tickets", "60", "--no-long-history", stdout=out)
    assert Ticket.objects.count() == 60
    assert "Added 60 tickets" in out.getvalue()


def test_history_was_swept_as_it_happened(seeded):
    """Long stays were flagged and escalated by the seeded history's sweeps, so the first sweep of a
    bench run escalates what a 5-minute sweep would, not every old stay at once."""
    from django.utils import timezone

    from bench.seed import FLAGGED_AFTER
    from tickets.escalation import DELAY_STATUSES, unusually_delayed
    from tickets.models import Category

    flagged = Ticket.objects.filter(delay_flagged_at__isnull=False)
    assert flagged.exists()
    for t in flagged:
        assert t.status in DELAY_STATUSES and t.escalation_level >= 1 and t.escalated_at == t.delay_flagged_at
        assert (t.delay_flagged_at - t.status_changed_at).total_seconds() == pytest.approx(FLAGGED_AFTER, abs=1)
    # Every old stay is flagged: with the seeded stays' usual length (~1.8 days) as the threshold of
    # every category and status, nothing is left for the next sweep.
    usual = {(c, s): 1.8 * 86400 for c in Category.objects.values_list("pk", flat=True) for s in DELAY_STATUSES}
    assert unusually_delayed(now=timezone.now(), thresholds=usual) == []
    two_days_ago = timezone.now() - timedelta(days=2)
    old_stays = Ticket.objects.filter(status__in=DELAY_STATUSES, status_changed_at__lt=two_days_ago)
    assert old_stays.exists() and not old_stays.filter(delay_flagged_at__isnull=True).exists()
