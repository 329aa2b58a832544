"""Builders for tickets tests: tickets in any status, real images and facilities rows."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.models import Role
from accounts.tests.factories import make_user
from facilities.models import Equipment, EquipmentModel, Location, Manufacturer, Site, Vehicle
from tickets.models import Category, Status, Ticket, TicketEvent

WORKED_STATUSES = (Status.ASSIGNED, Status.IN_PROGRESS, Status.ON_HOLD, Status.RESOLVED, Status.CLOSED)


def make_ticket(*, requester, status=Status.NEW, assignee=None, **extra) -> Ticket:
    """A ticket put straight into ``status`` (test set-up only; the services are what is tested)."""
    now = timezone.now()
    extra.setdefault("title", "Leaking radiator in room 204")
    extra.setdefault("description", "Water is dripping onto the floor under the window.")
    ticket = Ticket.objects.create(
        requester=requester, status=status, assignee=assignee, status_changed_at=now,
        assigned_at=now if assignee else None,
        closed_at=now if status in (Status.CLOSED, Status.REJECTED, Status.CANCELLED) else None, **extra,
    )
    TicketEvent.objects.create(ticket=ticket, actor=requester, action="create", to_status=Status.NEW,
                               ticket_version=1)
    return ticket


@pytest.fixture
def ticket_factory(db):
    return make_ticket


@pytest.fixture
def other_customer(db):
    return make_user(Role.CUSTOMER)


@pytest.fixture
def place(db):
    site = Site.objects.create(name="Head Office")
    building = Location.objects.create(site=site, name="Block B", path="Head Office / Block B")
    room = Location.objects.create(site=site, parent=building, name="Room 204", path="Head Office / Block B / Room 204")
    maker = Manufacturer.objects.create(name="Daikin")
    model = EquipmentModel.objects.create(manufacturer=maker, name="FTXM35")
    unit = Equipment.objects.create(asset_tag="AC-0204", model=model, site=site, location=room)
    other_site = Site.objects.create(name="Warehouse")
    other_room = Location.objects.create(site=other_site, name="Dock", path="Warehouse / Dock")
    van = Vehicle.objects.create(name="Van 1", plate="FX21 ABC")
    category = Category.objects.create(name="Repair")
    return {"site": site, "building": building, "room": room, "equipment": unit, "other_site": other_site,
            "other_room": other_room, "vehicle": van, "category": category}


def image_bytes(fmt="JPEG", size=(64, 48), color=(200, 30, 30), exif=None, mode="RGB") -> bytes:
    out = io.BytesIO()
    img = Image.new(mode, size, color)
    kwargs = {"exif": exif} if exif is not None else {}
    img.save(out, fmt, **kwargs)
    return out.getvalue()


def upload(name="photo.jpg", data=None, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data if data is not None else image_bytes(), content_type=content_type)


@pytest.fixture
def jpeg_upload():
    return upload()
