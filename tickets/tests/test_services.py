import io
import struct
import zlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from PIL import Image

from accounts.models import Role
from accounts.tests.factories import make_user
from tickets import signals
from tickets.errors import StaleTicket
from tickets.models import Comment, Macro, Photo, Priority, Status, Ticket, TicketEvent
from tickets.selectors import ticket_get_for, tickets_visible_to, timeline_for
from tickets.services import (
    comment_add,
    macro_apply,
    macro_render,
    photo_add,
    ticket_create,
    ticket_delete,
    ticket_restore,
    ticket_transition,
    ticket_update,
    tickets_bulk_transition,
)
from tickets.tests.conftest import image_bytes, make_ticket, upload


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def huge_png(width=20000, height=20000) -> bytes:
    """A real 1-bit PNG of width x height (a decompression bomb: tiny file, 400 megapixels)."""
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    raw = zlib.compress(row * height, 9)
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", raw) + _png_chunk(b"IEND", b"")


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}  # GPS IFD
    return image_bytes("JPEG", exif=exif.tobytes())


def test_create_ticket_writes_event_and_signal(users, place):
    created = []
    signals.ticket_created.connect(lambda sender, **kw: created.append(kw), weak=False, dispatch_uid="t1")
    try:
        ticket = ticket_create(actor=users["customer"], title=" Broken AC ", description="Room is hot",
                               equipment=place["equipment"], category=place["category"], photos=[upload()])
    finally:
        signals.ticket_created.disconnect(dispatch_uid="t1")
    assert ticket.title == "Broken AC" and ticket.status == Status.NEW
    assert ticket.site == place["site"] and ticket.location == place["room"]  # filled from the equipment
    assert ticket.requester == users["customer"]
    assert str(ticket.contact_phone) == str(users["customer"].phone or "")
    assert ticket.reference == f"FD-{ticket.pk:06d}"
    assert ticket.photos.count() == 1
    assert created[0]["ticket"] == ticket and created[0]["event"].action == "create"


def test_technician_may_not_create(users):
    with pytest.raises(PermissionDenied):
        ticket_create(actor=users["technician"], title="x", description="y")


def test_create_refuses_mismatched_place(users, place):
    with pytest.raises(ValidationError) as exc:
        ticket_create(actor=users["customer"], title="x", description="y", site=place["site"],
                      location=place["other_room"])
    assert "location" in exc.value.message_dict
    assert not Ticket.objects.exists()


def test_bad_photo_at_creation_creates_nothing(users):
    with pytest.raises(ValidationError):
        ticket_create(actor=users["customer"], title="x", description="y",
                      photos=[upload(), upload("evil.jpg", b"#!/bin/sh\nrm -rf /\n")])
    assert not Ticket.objects.exists() and not Photo.objects.exists()


@pytest.mark.parametrize("name,data", [
    ("script.jpg", b"#!/bin/sh\necho owned\n"),
    ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ("page.png", b"<html><body>hi</body></html>"),
    ("truncated.jpg", image_bytes("JPEG", size=(400, 400))[:300]),
    ("anim.gif", image_bytes("GIF", mode="P", color=1)),
    ("bomb.png", huge_png()),
    ("big.png", None),
])
def test_photo_upload_refuses_bad_files(users, name, data):
    if data is None:  # random noise does not compress: a real PNG over 10 MB
        import os

        data = io.BytesIO()
        Image.frombytes("RGB", (2000, 1800), os.urandom(2000 * 1800 * 3)).save(data, "PNG", compress_level=0)
        data = data.getvalue()
        assert len(data) > 10 * 1024 * 1024
    ticket = make_ticket(requester=users["customer"])
    with pytest.raises(ValidationError):
        photo_add(actor=users["customer"], ticket=ticket, upload=upload(name, data))
    assert not Photo.objects.exists()
    assert not TicketEvent.objects.filter(action="photo").exists()


def test_photo_over_40_megapixels_is_refused(users):
    ticket = make_ticket(requester=users["customer"])
    data = huge_png(8000, 5001)  # 40.008 MP, a few kB
    with pytest.raises(ValidationError) as exc:
        photo_add(actor=users["customer"], ticket=ticket, upload=upload("wide.png", data))
    assert "megapixels" in str(exc.value)


def test_png_with_trailing_html_is_stored_without_it(users):
    ticket = make_ticket(requester=users["customer"])
    data = image_bytes("PNG") + b"<html><script>alert(document.cookie)</script></html>"
    photo = photo_add(actor=users["customer"], ticket=ticket, upload=upload("x.png", data, "image/png"))
    stored = photo.image.read()
    assert b"<script>" not in stored and stored.startswith(b"\x89PNG")
    assert photo.content_type == "image/png"


def test_photo_exif_gps_is_stripped_and_thumbnail_made(users):
    ticket = make_ticket(requester=users["customer"])
    data = jpeg_with_gps()
    assert Image.open(io.BytesIO(data)).getexif()  # the fixture really carries EXIF
    photo = photo_add(actor=users["customer"], ticket=ticket, upload=upload("../../etc/passwd.jpg", data))
    stored = Image.open(photo.image)
    assert not stored.getexif() and b"SpyCam" not in photo.image.read()
    assert "passwd" not in photo.image.name and photo.image.name.startswith(f"tickets/{ticket.pk}/")
    thumb = Image.open(photo.thumbnail)
    assert thumb.format == "JPEG" and max(thumb.size) <= 480
    assert (photo.width, photo.height) == (64, 48)


def test_webp_and_rgba_png_are_accepted(users):
    ticket = make_ticket(requester=users["customer"])
    photo_add(actor=users["customer"], ticket=ticket, upload=upload("a.webp", image_bytes("WEBP")))
    photo_add(actor=users["customer"], ticket=ticket,
              upload=upload("b.png", image_bytes("PNG", mode="RGBA", color=(1, 2, 3, 100))))
    assert sorted(ticket.photos.values_list("content_type", flat=True)) == ["image/png", "image/webp"]


def test_at_most_ten_photos(users):
    ticket = make_ticket(requester=users["customer"])
    for _ in range(10):
        photo_add(actor=users["customer"], ticket=ticket, upload=upload())
    with pytest.raises(ValidationError):
        photo_add(actor=users["customer"], ticket=ticket, upload=upload())
    assert ticket.photos.count() == 10


def test_photo_refused_to_someone_who_cannot_see_the_ticket(users, other_customer):
    ticket = make_ticket(requester=users["customer"])
    with pytest.raises(PermissionDenied):
        photo_add(actor=other_customer, ticket=ticket, upload=upload())


def test_update_records_changes_and_refuses_stale_version(users, place):
    ticket = make_ticket(requester=users["customer"])
    updated = ticket_update(actor=users["customer"], ticket=ticket, version=1, title="Radiator leaking badly",
                            priority=Priority.HIGH)
    assert updated.version == 2
    event = TicketEvent.objects.get(ticket=ticket, action="update")
    assert event.changes["title"] == ["Leaking radiator in room 204", "Radiator leaking badly"]
    assert event.changes["priority"] == ["normal", "high"]
    with pytest.raises(StaleTicket) as exc:
        ticket_update(actor=users["admin"], ticket=ticket, version=1, title="Something else")
    assert "title" in exc.value.message
    ticket.refresh_from_db()
    assert ticket.title == "Radiator leaking badly"


def test_customer_edits_only_while_new(users):
    ticket = make_ticket(requester=users["customer"], status=Status.APPROVED)
    with pytest.raises(PermissionDenied):
        ticket_update(actor=users["customer"], ticket=ticket, version=1, title="changed")
    ticket_update(actor=users["engineer"], ticket=ticket, version=1, title="changed")


def test_internal_notes_hidden_from_customers(users):
    ticket = make_ticket(requester=users["customer"], status=Status.ASSIGNED, assignee=users["technician"])
    comment_add(actor=users["customer"], ticket=ticket, body="Any news?")
    comment_add(actor=users["technician"], ticket=ticket, body="Needs a new valve, customer rude", is_internal=True)
    with pytest.raises(PermissionDenied):
        comment_add(actor=users["customer"], ticket=ticket, body="sneaky", is_internal=True)
    seen = lambda u: [i["comment"].body for i in timeline_for(u, ticket) if i["kind"] == "comment"]  # noqa: E731
    assert seen(users["customer"]) == ["Any news?"]
    assert seen(users["engineer"]) == ["Any news?", "Needs a new valve, customer rude"]


def test_empty_comment_refused(users):
    ticket = make_ticket(requester=users["customer"])
    with pytest.raises(ValidationError):
        comment_add(actor=users["customer"], ticket=ticket, body="  \n ")
    assert not Comment.objects.exists()


def test_visibility(users, other_customer):
    from accounts.models import Organization

    mine = make_ticket(requester=users["customer"])
    theirs = make_ticket(requester=other_customer)
    job = make_ticket(requester=other_customer, status=Status.ASSIGNED, assignee=users["technician"])
    gone = make_ticket(requester=users["customer"])
    ticket_delete(actor=users["admin"], ticket=gone)
    visible = lambda u: set(tickets_visible_to(u))  # noqa: E731
    assert visible(users["customer"]) == {mine}
    assert visible(users["technician"]) == {job}
    assert visible(users["engineer"]) == visible(users["admin"]) == {mine, theirs, job}
    org = Organization.objects.create(name="Acme", members_see_all_tickets=True)
    for u in (users["customer"], other_customer):
        u.organization = org
        u.save()
    assert visible(users["customer"]) == {mine, theirs, job}
    from django.http import Http404

    with pytest.raises(Http404):
        ticket_get_for(users["technician"], theirs.pk)
    with pytest.raises(Http404):
        ticket_get_for(users["admin"], gone.pk)
    with pytest.raises(Http404):
        ticket_get_for(users["admin"], "abc")


def test_a_customer_of_a_sharing_organisation_also_sees_the_tickets_assigned_to_them(users, other_customer,
                                                                                    django_assert_num_queries):
    """A former technician made a customer keeps the jobs assigned to them in view, beside the
    organisation's tickets; the sharing flag and that check cost the one query that loads the
    organisation."""
    from accounts.models import Organization, User

    org = Organization.objects.create(name="Acme", members_see_all_tickets=True)
    users["customer"].organization = org
    users["customer"].save()
    colleague = make_user(Role.CUSTOMER, organization=org)
    own, theirs = make_ticket(requester=users["customer"]), make_ticket(requester=colleague)
    job = make_ticket(requester=other_customer, status=Status.ASSIGNED, assignee=users["technician"])
    make_ticket(requester=other_customer)
    customer = User.objects.get(pk=users["customer"].pk)
    with django_assert_num_queries(2):  # the organisation (with the check), then the tickets
        assert set(tickets_visible_to(customer)) == {own, theirs}
    Ticket.objects.filter(pk=job.pk).update(assignee=users["customer"])
    customer = User.objects.get(pk=users["customer"].pk)
    assert set(tickets_visible_to(customer)) == {own, theirs, job}
    assert customer.organization == org  # loaded once, cached for the request
    with django_assert_num_queries(1):  # organisation and check kept for the request: the tickets
        assert set(tickets_visible_to(customer)) == {own, theirs, job}
    customer = User.objects.select_related("organization").get(pk=users["customer"].pk)
    with django_assert_num_queries(2):  # organisation loaded elsewhere: the check, then the tickets
        assert set(tickets_visible_to(customer)) == {own, theirs, job}
    with django_assert_num_queries(1):
        assert set(tickets_visible_to(customer)) == {own, theirs, job}
    org.members_see_all_tickets = False
    org.save()
    customer = User.objects.get(pk=users["customer"].pk)
    assert set(tickets_visible_to(customer)) == {own, job}


def test_delete_and_restore_are_admin_only_and_audited(users):
    ticket = make_ticket(requester=users["customer"])
    with pytest.raises(PermissionDenied):
        ticket_delete(actor=users["engineer"], ticket=ticket)
    ticket_delete(actor=users["admin"], ticket=ticket)
    ticket.refresh_from_db()
    assert ticket.deleted_by == users["admin"] and ticket.deleted_at
    ticket_restore(actor=users["admin"], ticket=ticket)
    ticket.refresh_from_db()
    assert ticket.deleted_at is None
    assert list(ticket.events.values_list("action", flat=True)) == ["create", "delete", "restore"]


def test_assign_with_vehicle_and_busy_vehicle_refused(users, place):
    first = make_ticket(requester=users["customer"])
    second = make_ticket(requester=users["customer"])
    ticket_transition(actor=users["admin"], ticket=first, action="assign", assignee=users["technician"],
                      vehicle=place["vehicle"])
    first.refresh_from_db()
    assert first.vehicle == place["vehicle"] and first.assigned_at
    with pytest.raises(ValidationError):
        ticket_transition(actor=users["admin"], ticket=second, action="assign", assignee=users["engineer"],
                          vehicle=place["vehicle"])
    with pytest.raises(ValidationError):
        ticket_transition(actor=users["admin"], ticket=second, action="assign", assignee=users["customer"])
    second.refresh_from_db()
    assert second.status == Status.NEW and second.assignee is None


def test_macro_render_is_plain_text(users):
    ticket = make_ticket(requester=users["customer"], status=Status.ASSIGNED, assignee=users["technician"])
    macro = Macro.objects.create(
        name="Hello", body="Hi {requester_first_name}, {ticket_reference} is with {assignee_name}. "
                           "{unknown} {ticket.requester.password} {{ secret }}")
    text = macro_render(macro=macro, ticket=ticket, actor=users["admin"])
    assert text.startswith(f"Hi {users['customer'].first_name}, {ticket.reference} is with "
                           f"{users['technician'].get_full_name()}.")
    assert "{unknown} {ticket.requester.password} {{ secret }}" in text


def test_macro_apply_comments_sets_priority_and_acts(users):
    ticket = make_ticket(requester=users["customer"])
    macro = Macro.objects.create(name="Urgent to tech", body="On it", set_priority=Priority.URGENT,
                                 action="assign", assign_to=users["technician"])
    ticket = macro_apply(actor=users["admin"], ticket=ticket, macro=macro, body="On it, {x}", version=1)
    assert (ticket.status, ticket.priority, ticket.assignee) == (Status.ASSIGNED, Priority.URGENT,
                                                                 users["technician"])
    assert ticket.comments.get().body == "On it, {x}"


def test_macro_apply_is_all_or_nothing(users):
    ticket = make_ticket(requester=users["customer"], status=Status.CLOSED)
    macro = Macro.objects.create(name="Approve", body="Approved", set_priority=Priority.HIGH, action="approve")
    from tickets.errors import ActionNotAllowed

    with pytest.raises(ActionNotAllowed):
        macro_apply(actor=users["admin"], ticket=ticket, macro=macro, body="Approved")
    ticket.refresh_from_db()
    assert ticket.priority == Priority.NORMAL and not ticket.comments.exists()


def test_personal_macros_are_private(users):
    other = make_user(Role.ENGINEER)
    ticket = make_ticket(requester=users["customer"])
    macro = Macro.objects.create(name="Mine", body="x", owner=other)
    with pytest.raises(PermissionDenied):
        macro_apply(actor=users["engineer"], ticket=ticket, macro=macro, body="x")
    with pytest.raises(PermissionDenied):
        macro_apply(actor=users["customer"], ticket=ticket, macro=Macro.objects.create(name="S", body="y"), body="y")


def test_bulk_assign_reports_each_refusal(users):
    good = make_ticket(requester=users["customer"])
    closed = make_ticket(requester=users["customer"], status=Status.CLOSED)
    done, failed = tickets_bulk_transition(actor=users["admin"], tickets=[good, closed], action="assign",
                                           assignee=users["technician"])
    assert [t.pk for t in done] == [good.pk]
    assert failed[0][0] == closed and "closed" in failed[0][1]
    with pytest.raises(PermissionDenied):
        tickets_bulk_transition(actor=users["engineer"], tickets=[good], action="close")


def test_services_roll_back_together(users):
    ticket = make_ticket(requester=users["customer"])
    with pytest.raises(RuntimeError), transaction.atomic():
        ticket_transition(actor=users["admin"], ticket=ticket, action="approve")
        raise RuntimeError
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW


def test_can_view_agrees_with_the_visibility_queryset(users, other_customer):
    from accounts.models import Organization
    from tickets.permissions import can_view

    org = Organization.objects.create(name="Shared", members_see_all_tickets=True)
    colleague = make_user(Role.CUSTOMER, organization=org)
    users["customer"].organization = org
    users["customer"].save()
    tickets = [
        make_ticket(requester=users["customer"]),
        make_ticket(requester=colleague),
        make_ticket(requester=other_customer, status=Status.ASSIGNED, assignee=users["technician"]),
        make_ticket(requester=other_customer),
        make_ticket(requester=users["engineer"]),
    ]
    deleted = make_ticket(requester=users["customer"])
    ticket_delete(actor=users["admin"], ticket=deleted)
    deleted.refresh_from_db()
    for user in [*users.values(), other_customer, colleague]:
        visible = set(tickets_visible_to(user))
        for ticket in [*tickets, deleted]:
            assert can_view(user, ticket) is (ticket in visible), (user.role, ticket.title)
