"""The seed story across the apps, through the real pages: a customer scans a QR label and
reports a case, the admin approves and assigns it, the technician hears by SMS and works it.

Each app tests itself; this file checks that the apps fit together (URL contracts, signals,
workflow action names, the outbox) as merged.
"""

from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse

from facilities import labels
from facilities.models import Equipment, EquipmentModel, Location, Manufacturer, Site
from notifications import sms
from notifications.models import Delivery, DeliveryStatus, Notification
from notifications.tasks import send_delivery
from tickets.models import Category, Status, Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    site = Site.objects.create(name="Head Office")
    room = Location.objects.create(site=site, name="Room 204", path="Head Office / Room 204")
    model = EquipmentModel.objects.create(manufacturer=Manufacturer.objects.create(name="Daikin"), name="FTXM35")
    return Equipment.objects.create(asset_tag="AC-0204", model=model, site=site, location=room)


def _send_outbox():
    """What the django-q2 workers do: send every pending delivery once."""
    pending = Delivery.objects.filter(status=DeliveryStatus.PENDING).values_list("pk", flat=True)
    return [send_delivery(pk) for pk in pending]


def test_qr_label_path_is_the_ticket_form():
    assert labels.REPORT_PATH == reverse("tickets:create")


def test_report_approve_assign_start(client_for, admin, technician, customer, unit,
                                     django_capture_on_commit_callbacks):
    sms.outbox.clear()
    category = Category.objects.create(name="Repair")

    # The customer scans the label: the form opens prefilled with the place and the equipment.
    url = urlsplit(labels.report_url(unit))
    web = client_for(customer)
    form_page = web.get(f"{url.path}?{url.query}")
    assert form_page.status_code == 200
    form = form_page.context["form"]
    assert form["equipment"].value() in (unit.pk, str(unit.pk))
    assert form["site"].value() in (unit.site_id, str(unit.site_id))

    with django_capture_on_commit_callbacks(execute=True):
        created = web.post(reverse("tickets:create"), {
            "title": "Air conditioning drips", "description": "Water on the desk under the unit.",
            "category": category.pk, "priority": "normal", "site": unit.site_id, "location": unit.location_id,
            "equipment": unit.pk,
        })
    assert created.status_code == 302, created.context["form"].errors if created.context else created
    ticket = Ticket.objects.get(title="Air conditioning drips")
    assert (ticket.requester, ticket.status, ticket.equipment) == (customer, Status.NEW, unit)
    assert created["Location"] == ticket.get_absolute_url()

    # The admin approves with a comment, then assigns the technician.
    boss = client_for(admin)
    with django_capture_on_commit_callbacks(execute=True):
        assert boss.post(reverse("tickets:action", args=[ticket.pk, "approve"]),
                         {"comment": "Approved, we send someone.", "version": ticket.version}).status_code == 302
    ticket.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        assert boss.post(reverse("tickets:action", args=[ticket.pk, "assign"]),
                         {"assignee": technician.pk, "version": ticket.version}).status_code == 302
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assignee) == (Status.ASSIGNED, technician)

    # The requester hears of the approval in the app; the technician gets an SMS and a web notification.
    assert Notification.objects.filter(recipient=customer, ticket=ticket).exists()
    assert Notification.objects.filter(recipient=technician, ticket=ticket).exists()
    assert "sent" in _send_outbox()
    assert any(m.to == technician.phone.as_e164 and ticket.reference in m.body for m in sms.outbox), sms.outbox
    assert any(customer.email in m.to for m in mail.outbox)
    assert not Delivery.objects.filter(status=DeliveryStatus.PENDING).exists()

    # The technician finds the job on the jobs page and starts it.
    field = client_for(technician)
    assert ticket.reference in field.get(reverse("tickets:jobs")).content.decode()
    assert field.post(reverse("tickets:action", args=[ticket.pk, "start"]),
                      {"version": ticket.version}).status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS

    # The customer sees the progress on their list and the ticket page, but no one else's tickets.
    page = web.get(ticket.get_absolute_url()).content.decode()
    assert "Approved, we send someone." in page
    assert ticket.reference in web.get(reverse("tickets:list")).content.decode()
