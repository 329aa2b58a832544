"""A small world for the security tests: two customers, each with a worked ticket, a photo and a
submitted service report, plus one row of every other kind a URL can point at."""

from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Organization, Role
from accounts.tests.factories import make_user
from facilities.models import StaffProfile
from knowledge.tests.conftest import make_article
from tickets import services as ticket_services
from tickets.models import Macro, Status
from tickets.tests.conftest import image_bytes, make_ticket
from tickets.tests.report_helpers import ensure_codes, make_job, report_fields


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttles and axes counters live in the cache: every test starts clean."""
    cache.clear()
    yield
    cache.clear()


def _jpeg(name="p.jpg"):
    return SimpleUploadedFile(name, image_bytes(), content_type="image/jpeg")


def build_world(users):
    admin, engineer, technician, customer = (users[r] for r in ("admin", "engineer", "technician", "customer"))
    other = make_user(Role.CUSTOMER, email="other.customer@example.test")
    other_tech = make_user(Role.TECHNICIAN, email="other.tech@example.test")
    ensure_codes()
    mine = make_job(requester=customer, assignee=technician)
    theirs = make_ticket(requester=other, assignee=other_tech, status=Status.IN_PROGRESS, site=mine.site,
                         location=mine.location, equipment=mine.equipment, title="Door lock broken")
    photos, reports, report_photos = {}, {}, {}
    for key, ticket, worker in (("mine", mine, technician), ("theirs", theirs, other_tech)):
        photos[key] = ticket_services.photo_add(actor=ticket.requester, ticket=ticket, upload=_jpeg())
        report = ticket_services.report_create(actor=worker, ticket=ticket, photos=[_jpeg("r.jpg")], **report_fields())
        reports[key] = ticket_services.report_submit(actor=worker, report=report)
        report_photos[key] = reports[key].photos.first()
    from facilities.models import Vehicle

    site, equipment = mine.site, mine.equipment
    equipment.photo.save("unit.jpg", _jpeg(), save=True)
    vehicle = Vehicle.objects.create(name="Van 9", plate="FX99 SEC")
    StaffProfile.objects.get_or_create(user=technician)
    org = Organization.objects.create(name="Acme Ltd")
    article = make_article(author=engineer)
    macro = Macro.objects.create(name="Thanks", body="Thanks for your report.", owner=None)
    from tickets.models import SLAPolicy, WorkingCalendar

    calendar = WorkingCalendar.objects.create(name="Office hours")
    sla_policy = SLAPolicy.objects.create(name="Urgent", priority="urgent", response_minutes=15,
                                          resolution_minutes=120, calendar=calendar)
    from notifications.models import Message, Notification

    note_mine = Notification.objects.create(recipient=customer, ticket=mine, event="created",
                                            title="Ticket created", body="")
    note_theirs = Notification.objects.create(recipient=other, ticket=theirs, event="created",
                                              title="Ticket created", body="")
    msg_mine = Message.objects.create(sender=customer, recipient=engineer, body="Hello")
    msg_theirs = Message.objects.create(sender=other, recipient=engineer, body="Hi there")
    return SimpleNamespace(
        users=users, admin=admin, engineer=engineer, technician=technician, customer=customer, other=other,
        other_tech=other_tech, mine=mine, theirs=theirs, photos=photos, reports=reports,
        report_photos=report_photos, site=site, location=mine.location, equipment=equipment,
        model=equipment.model, vehicle=vehicle, org=org, article=article, macro=macro, calendar=calendar,
        sla_policy=sla_policy,
        notes={"mine": note_mine, "theirs": note_theirs}, messages={"mine": msg_mine, "theirs": msg_theirs},
    )


@pytest.fixture
def world(users):
    return build_world(users)


@pytest.fixture
def wsgi_keeps_connection():
    """Called straight through WSGI (not Django's test client), Django closes the database connection
    after each request; on PostgreSQL that would end the test's transaction. Django's test client
    disconnects the same receivers."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
