"""An exception after a ticket change rolls back the change, its events, its notifications, its
outbox rows and its uploaded files (real transactions, committed test database)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction

from helpdesk.backup import media_files
from notifications.models import Delivery, Notification
from tickets import services as ticket_services
from tickets import signals as ticket_signals
from tickets.models import Comment, Photo, Status, Ticket, TicketEvent
from tickets.tests.conftest import image_bytes, make_ticket

pytestmark = pytest.mark.django_db(transaction=True)


class Boom(Exception):
    pass


def _purge():
    """Storage is not transactional: the orphan sweep removes what a rolled-back upload wrote."""
    call_command("purge_orphan_files", "--min-age-minutes", "0", stdout=io.StringIO())


def _state():
    return (Ticket.objects.count(), TicketEvent.objects.count(), Comment.objects.count(), Photo.objects.count(),
            Notification.objects.count(), Delivery.objects.count(), sorted(media_files()))


def _jpeg():
    return SimpleUploadedFile("leak.jpg", image_bytes(), content_type="image/jpeg")


def test_exception_after_create_rolls_back_ticket_events_notifications_and_files(users):
    before = _state()
    with pytest.raises(Boom), transaction.atomic():
        ticket = ticket_services.ticket_create(actor=users["customer"], title="Leak", description="Water",
                                               photos=[_jpeg()])
        ticket_services.comment_add(actor=users["customer"], ticket=ticket, body="More water now")
        assert Notification.objects.count() > before[4], "the change did notify, inside the transaction"
        raise Boom
    _purge()
    assert _state() == before


def test_failing_listener_rolls_back_the_transition(users):
    ticket = make_ticket(requester=users["customer"])
    before = _state()

    def explode(sender, **kwargs):
        raise Boom

    ticket_signals.ticket_transitioned.connect(explode, dispatch_uid="rollback-test")
    try:
        with pytest.raises(Boom):
            ticket_services.ticket_transition(actor=users["admin"], ticket=ticket, action="approve", version=1)
    finally:
        ticket_signals.ticket_transitioned.disconnect(dispatch_uid="rollback-test")
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW and ticket.version == 1
    assert _state() == before
    # And the same transition then works normally.
    ticket_services.ticket_transition(actor=users["admin"], ticket=ticket, action="approve", version=1)
    ticket.refresh_from_db()
    assert ticket.status == Status.APPROVED


def test_failing_photo_upload_leaves_no_file_behind(users):
    ticket = make_ticket(requester=users["customer"])
    before = _state()
    with pytest.raises(Boom), transaction.atomic():
        ticket_services.photo_add(actor=users["customer"], ticket=ticket, upload=_jpeg())
        raise Boom
    _purge()
    assert _state() == before


def test_orphan_sweep_keeps_referenced_and_recent_files(users):
    ticket = make_ticket(requester=users["customer"])
    photo = ticket_services.photo_add(actor=users["customer"], ticket=ticket, upload=_jpeg())
    with pytest.raises(Boom), transaction.atomic():
        ticket_services.photo_add(actor=users["customer"], ticket=ticket, upload=_jpeg())
        raise Boom
    assert len(media_files()) == 4
    call_command("purge_orphan_files", stdout=io.StringIO())  # default: only files older than an hour
    assert len(media_files()) == 4
    out = io.StringIO()
    call_command("purge_orphan_files", "--min-age-minutes", "0", "--dry-run", stdout=out)
    assert "2 orphan file(s) found (dry run)" in out.getvalue() and len(media_files()) == 4
    _purge()
    assert sorted(media_files()) == sorted([photo.image.name, photo.thumbnail.name])
