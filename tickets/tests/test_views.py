import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import make_user
from tickets.models import Comment, Macro, Photo, Priority, Status, Ticket
from tickets.services import comment_add, photo_add, ticket_transition
from tickets.tests.conftest import image_bytes, make_ticket, upload

ROLES = ["admin", "engineer", "technician", "customer"]


@pytest.fixture
def world(users, other_customer):
    """A ticket of the customer's being worked by the technician, and one of another customer's."""
    job = make_ticket(requester=users["customer"], status=Status.IN_PROGRESS, assignee=users["technician"],
                      title="Broken window latch")
    comment_add(actor=users["customer"], ticket=job, body="It rattles at night, see https://example.com/x")
    comment_add(actor=users["engineer"], ticket=job, body="SECRET-NOTE customer is difficult", is_internal=True)
    foreign = make_ticket(requester=other_customer, title="Someone else's boiler")
    return {"job": job, "foreign": foreign}


# Who sees which page ----------------------------------------------------------------------

PAGE_STATUS = {
    "tickets:list": {"admin": 200, "engineer": 200, "technician": 200, "customer": 200},
    "tickets:create": {"admin": 200, "engineer": 200, "technician": 403, "customer": 200},
    "tickets:queue": {"admin": 200, "engineer": 200, "technician": 403, "customer": 403},
    "tickets:jobs": {"admin": 200, "engineer": 200, "technician": 200, "customer": 403},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(PAGE_STATUS))
def test_pages_by_role(client_for, users, world, name, role):
    response = client_for(users[role]).get(reverse(name))
    assert response.status_code == PAGE_STATUS[name][role]


@pytest.mark.parametrize("name", [*PAGE_STATUS, "tickets:detail"])
def test_anonymous_is_sent_to_login(client_for, world, name):
    args = [world["job"].pk] if name == "tickets:detail" else []
    response = client_for(None).get(reverse(name, args=args))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_list_shows_only_visible_tickets(client_for, users, world, role):
    html = client_for(users[role]).get(reverse("tickets:list")).content.decode()
    assert ("Broken window latch" in html) is True  # requester, assignee, staff all see the job
    assert ("Someone else&#x27;s boiler" in html) is (role in ("admin", "engineer"))


def test_customer_list_is_my_tickets_with_assignee_name(client_for, users, world):
    html = client_for(users["customer"]).get(reverse("tickets:list")).content.decode()
    assert "My tickets" in html and users["technician"].get_full_name() in html


@pytest.mark.parametrize("role,status", [
    ("admin", 200), ("engineer", 200), ("technician", 200), ("customer", 200), ("other", 404),
])
def test_detail_by_role(client_for, users, world, other_customer, role, status):
    user = other_customer if role == "other" else users[role]
    response = client_for(user).get(reverse("tickets:detail", args=[world["job"].pk]))
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert "It rattles at night" in html
        assert ('href="https://example.com/x"' in html)
        assert ("SECRET-NOTE" in html) is (role != "customer")


def test_technician_does_not_see_unrelated_ticket(client_for, users, world):
    assert client_for(users["technician"]).get(reverse("tickets:detail", args=[world["foreign"].pk])).status_code == 404
    assert client_for(users["admin"]).get(reverse("tickets:detail", args=[999999])).status_code == 404


def test_detail_buttons_follow_the_workflow(client_for, users, world):
    url = reverse("tickets:detail", args=[world["job"].pk])
    tech = client_for(users["technician"]).get(url).content.decode()
    assert "/do/hold/" in tech and "/do/resolve/" in tech and "/do/approve/" not in tech
    cust = client_for(users["customer"]).get(url).content.decode()
    assert "/do/close_solved/" in cust and "/do/hold/" not in cust and "Internal note (staff only)" not in cust


def test_comment_text_is_escaped(client_for, users, world):
    comment_add(actor=users["customer"], ticket=world["job"], body="<script>alert(1)</script>")
    html = client_for(users["admin"]).get(reverse("tickets:detail", args=[world["job"].pk])).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


# Query budgets: the same for 5 or 50 rows ---------------------------------------------------

def _fill(n, users, place):
    for i in range(n):
        t = make_ticket(requester=users["customer"], status=Status.ASSIGNED, assignee=users["technician"],
                        site=place["site"], location=place["room"], category=place["category"], title=f"Job {i}")
        comment_add(actor=users["customer"], ticket=t, body=f"note {i}")


@pytest.mark.parametrize("name,role", [
    ("tickets:list", "customer"), ("tickets:queue", "admin"), ("tickets:jobs", "technician"),
])
@pytest.mark.parametrize("rows", [5, 50])
def test_list_query_budget(client_for, users, place, django_assert_max_num_queries, name, role, rows):
    _fill(rows, users, place)
    client = client_for(users[role])
    with django_assert_max_num_queries(14):
        response = client.get(reverse(name))
    assert response.status_code == 200
    assert response.content.decode().count("Job ") >= min(rows, 25)


@pytest.mark.parametrize("rows", [5, 50])
def test_detail_query_budget(client_for, users, place, django_assert_max_num_queries, rows):
    ticket = make_ticket(requester=users["customer"], site=place["site"])
    for i in range(rows):
        comment_add(actor=users["customer"] if i % 2 else users["engineer"], ticket=ticket, body=f"c{i}",
                    is_internal=bool(i % 3 == 0) and i % 2 == 0)
    for _ in range(min(rows, 10)):
        photo_add(actor=users["customer"], ticket=ticket, upload=upload())
    client = client_for(users["admin"])
    with django_assert_max_num_queries(20):
        response = client.get(reverse("tickets:detail", args=[ticket.pk]))
    assert response.status_code == 200


# Create / edit -------------------------------------------------------------------------------

def test_create_with_photo_and_prefill(client_for, users, place):
    client = client_for(users["customer"])
    page = client.get(reverse("tickets:create") + f"?equipment={place['equipment'].pk}").content.decode()
    assert f'<option value="{place["equipment"].pk}" selected>' in page
    assert f'<option value="{place["room"].pk}" selected>' in page
    response = client.post(reverse("tickets:create"), {
        "title": "AC blowing warm", "description": "Since Monday", "priority": "high",
        "site": place["site"].pk, "location": place["room"].pk, "equipment": place["equipment"].pk,
        "photos": [upload("one.jpg"), upload("two.png", image_bytes("PNG"), "image/png")],
    })
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == ticket.get_absolute_url()
    assert ticket.photos.count() == 2 and ticket.priority == Priority.HIGH and ticket.requester == users["customer"]


def test_create_with_bad_photo_keeps_what_was_typed(client_for, users):
    response = client_for(users["customer"]).post(reverse("tickets:create"), {
        "title": "Door stuck", "description": "Front door will not open", "priority": "normal",
        "photos": [upload("evil.jpg", b"<?php system($_GET['c']); ?>")],
    })
    assert response.status_code == 200
    html = response.content.decode()
    assert "is not a JPEG, PNG or WebP image" in html and 'value="Door stuck"' in html
    assert "Front door will not open" in html
    assert not Ticket.objects.exists()


def test_create_with_mismatched_location_shows_field_error(client_for, users, place):
    response = client_for(users["customer"]).post(reverse("tickets:create"), {
        "title": "x", "description": "y", "priority": "normal", "site": place["site"].pk,
        "location": place["other_room"].pk,
    })
    assert response.status_code == 200 and not Ticket.objects.exists()
    assert "is-invalid" in response.content.decode()


def test_create_ignores_unknown_prefill(client_for, users):
    assert client_for(users["customer"]).get(reverse("tickets:create") + "?site=abc&equipment=999").status_code == 200


def test_edit_while_new_and_stale_edit_shows_changes(client_for, users, world):
    ticket = make_ticket(requester=users["customer"])
    url = reverse("tickets:edit", args=[ticket.pk])
    cust = client_for(users["customer"])
    assert cust.get(url).status_code == 200
    form = {"title": "Lamp flickers", "description": "Desk lamp in 3.12", "priority": "low", "version": 1}
    assert cust.post(url, form).status_code == 302
    stale = {"title": "Lamp broken", "description": "Desk lamp in 3.12", "priority": "low", "version": 1}
    response = client_for(users["admin"]).post(url, stale)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Lamp flickers" in html and 'value="Lamp broken"' in html
    ticket.refresh_from_db()
    assert ticket.title == "Lamp flickers"
    # The customer may not edit once the ticket is approved; others' tickets are 404.
    ticket_transition(actor=users["admin"], ticket=ticket, action="approve")
    assert cust.get(url).status_code == 403
    assert client_for(users["technician"]).get(url).status_code == 404


# Actions ---------------------------------------------------------------------------------------

def test_action_post_changes_status(client_for, users, world):
    job = world["job"]
    response = client_for(users["technician"]).post(reverse("tickets:action", args=[job.pk, "hold"]),
                                                    {"comment": "Waiting for a part", "version": job.version})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == Status.ON_HOLD


def test_action_refused_changes_nothing(client_for, users, world):
    job = world["job"]
    response = client_for(users["customer"]).post(reverse("tickets:action", args=[job.pk, "resolve"]),
                                                  {"comment": "done", "version": job.version})
    assert response.status_code == 409
    job.refresh_from_db()
    assert job.status == Status.IN_PROGRESS


def test_action_missing_comment_is_a_form_error(client_for, users, world):
    job = world["job"]
    response = client_for(users["technician"]).post(reverse("tickets:action", args=[job.pk, "resolve"]),
                                                    {"comment": "", "version": job.version})
    assert response.status_code == 400
    job.refresh_from_db()
    assert job.status == Status.IN_PROGRESS


def test_action_get_not_allowed_and_unknown_action_404(client_for, users, world):
    job = world["job"]
    client = client_for(users["admin"])
    assert client.get(reverse("tickets:action", args=[job.pk, "hold"])).status_code == 405
    assert client.post(reverse("tickets:action", args=[job.pk, "explode"])).status_code == 404
    assert client_for(make_user(Role.CUSTOMER)).post(
        reverse("tickets:action", args=[job.pk, "close_solved"])).status_code == 404


def test_assign_from_the_page(client_for, users, place):
    ticket = make_ticket(requester=users["customer"])
    response = client_for(users["admin"]).post(reverse("tickets:action", args=[ticket.pk, "assign"]), {
        "assignee": users["technician"].pk, "vehicle": place["vehicle"].pk, "version": 1})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assignee, ticket.vehicle) == (Status.ASSIGNED, users["technician"],
                                                                place["vehicle"])


def test_jobs_page_start_button(client_for, users):
    ticket = make_ticket(requester=users["customer"], status=Status.ASSIGNED, assignee=users["technician"])
    client = client_for(users["technician"])
    html = client.get(reverse("tickets:jobs")).content.decode()
    assert reverse("tickets:action", args=[ticket.pk, "start"]) in html
    response = client.post(reverse("tickets:action", args=[ticket.pk, "start"]),
                           {"version": 1, "next": reverse("tickets:jobs")})
    assert response["Location"] == reverse("tickets:jobs")
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS


def test_next_redirect_is_only_local(client_for, users):
    ticket = make_ticket(requester=users["customer"], status=Status.ASSIGNED, assignee=users["technician"])
    response = client_for(users["technician"]).post(reverse("tickets:action", args=[ticket.pk, "start"]),
                                                    {"next": "https://evil.example/"})
    assert response["Location"] == ticket.get_absolute_url()


# Comments, macros, photos ----------------------------------------------------------------------

def test_customer_cannot_post_internal_note(client_for, users, world):
    client_for(users["customer"]).post(reverse("tickets:comment", args=[world["job"].pk]),
                                       {"body": "hello", "is_internal": "on"})
    assert Comment.objects.filter(body="hello", is_internal=False).exists()


def test_staff_internal_note(client_for, users, world):
    client_for(users["technician"]).post(reverse("tickets:comment", args=[world["job"].pk]),
                                         {"body": "valve ordered", "is_internal": "on"})
    assert Comment.objects.get(body="valve ordered").is_internal


def test_empty_comment_shows_error(client_for, users, world):
    response = client_for(users["customer"]).post(reverse("tickets:comment", args=[world["job"].pk]), {"body": ""})
    assert response.status_code == 400


def test_macro_fills_the_comment_box_and_applies(client_for, users):
    ticket = make_ticket(requester=users["customer"])
    macro = Macro.objects.create(name="Ack", body="Hello {requester_first_name}, about {ticket_reference}",
                                 action="approve", set_priority=Priority.HIGH)
    client = client_for(users["admin"])
    html = client.get(reverse("tickets:detail", args=[ticket.pk]) + f"?macro={macro.pk}").content.decode()
    assert f"Hello {users['customer'].first_name}, about {ticket.reference}" in html
    response = client.post(reverse("tickets:comment", args=[ticket.pk]),
                           {"body": "Hello there", "macro": macro.pk, "version": 1})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.APPROVED and ticket.priority == Priority.HIGH
    # Customers never see macros and cannot apply one.
    cust = client_for(users["customer"])
    assert "Canned response" not in cust.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()


@pytest.mark.parametrize("role,status", [
    ("admin", 200), ("engineer", 200), ("technician", 200), ("customer", 200), ("other", 404), (None, 302),
])
def test_photo_served_only_to_viewers(client_for, users, world, other_customer, role, status):
    photo = photo_add(actor=users["customer"], ticket=world["job"], upload=upload())
    user = other_customer if role == "other" else (users[role] if role else None)
    client = client_for(user)
    for name in ("tickets:photo", "tickets:photo_thumb"):
        response = client.get(reverse(name, args=[world["job"].pk, photo.pk]))
        assert response.status_code == status
        if status == 200:
            assert response["Content-Type"] == "image/jpeg"
            assert response["X-Content-Type-Options"] == "nosniff"
            assert b"".join(response.streaming_content).startswith(b"\xff\xd8")
    # A photo of another ticket is not reachable through this ticket's URL.
    assert client_for(users["admin"]).get(reverse("tickets:photo", args=[world["foreign"].pk, photo.pk])
                                          ).status_code == 404


def test_photo_upload_on_detail(client_for, users, world):
    client = client_for(users["technician"])
    response = client.post(reverse("tickets:photo_upload", args=[world["job"].pk]),
                           {"photos": [upload(), upload("bad.jpg", b"nope")]})
    assert response.status_code == 302
    assert Photo.objects.filter(ticket=world["job"]).count() == 0  # the form refuses the whole batch
    client.post(reverse("tickets:photo_upload", args=[world["job"].pk]), {"photos": [upload()]})
    assert Photo.objects.filter(ticket=world["job"]).count() == 1


# Queue, bulk, delete ---------------------------------------------------------------------------

def test_queue_filters_search_and_sort(client_for, users, place):
    a = make_ticket(requester=users["customer"], title="Alpha heater", priority="urgent", site=place["site"])
    make_ticket(requester=users["customer"], title="Beta printer", priority="low")
    make_ticket(requester=users["customer"], title="Gamma closed", status=Status.CLOSED)
    client = client_for(users["engineer"])
    html = client.get(reverse("tickets:queue")).content.decode()
    assert "Alpha heater" in html and "Beta printer" in html and "Gamma closed" not in html
    html = client.get(reverse("tickets:queue"), {"q": a.reference}).content.decode()
    assert "Alpha heater" in html and "Beta printer" not in html
    html = client.get(reverse("tickets:queue"), {"site": place["site"].pk}).content.decode()
    assert "Beta printer" not in html
    html = client.get(reverse("tickets:queue"), {"sort": "-priority"}).content.decode()
    assert html.index("Alpha heater") < html.index("Beta printer")
    html = client.get(reverse("tickets:queue"), {"sort": "priority"}).content.decode()
    assert html.index("Alpha heater") > html.index("Beta printer")
    assert client.get(reverse("tickets:queue"), {"sort": "requester__password", "status": "bogus"}
                      ).status_code == 200
    assert "Gamma closed" in client.get(reverse("tickets:queue"), {"status": ""}).content.decode()


def test_queue_paginates_at_25(client_for, users):
    for i in range(30):
        make_ticket(requester=users["customer"], title=f"Row {i:02d}")
    client = client_for(users["admin"])
    first = client.get(reverse("tickets:queue")).content.decode()
    second = client.get(reverse("tickets:queue"), {"page": 2}).content.decode()
    assert first.count("Row ") == 25 and second.count("Row ") == 5


def test_bulk_assign_by_admin_only(client_for, users):
    t1 = make_ticket(requester=users["customer"])
    t2 = make_ticket(requester=users["customer"], status=Status.CLOSED)
    data = {"action": "assign", "tickets": [t1.pk, t2.pk], "assignee": users["technician"].pk}
    assert client_for(users["engineer"]).post(reverse("tickets:bulk"), data).status_code == 403
    response = client_for(users["admin"]).post(reverse("tickets:bulk"), data, follow=True)
    t1.refresh_from_db()
    t2.refresh_from_db()
    assert t1.status == Status.ASSIGNED and t2.status == Status.CLOSED
    assert t2.reference in response.content.decode()
    assert "bulk-form" not in client_for(users["engineer"]).get(reverse("tickets:queue")).content.decode()


def test_delete_needs_confirmation_and_admin(client_for, users, world):
    url = reverse("tickets:delete", args=[world["foreign"].pk])
    assert client_for(users["engineer"]).post(url).status_code == 403
    admin = client_for(users["admin"])
    assert admin.get(url).status_code == 200
    assert admin.post(url).status_code == 302
    assert admin.get(reverse("tickets:detail", args=[world["foreign"].pk])).status_code == 404
    assert Ticket.objects.filter(pk=world["foreign"].pk, deleted_by=users["admin"]).exists()


@pytest.mark.parametrize("name,role", [
    ("tickets:list", "customer"), ("tickets:queue", "admin"), ("tickets:jobs", "technician"),
])
def test_list_costs_the_same_for_5_and_50(client_for, users, place, name, role):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for rows in (5, 45):
        _fill(rows, users, place)
        client = client_for(users[role])
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(name)).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_detail_costs_the_same_for_few_and_many(client_for, users, place):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for rows in (3, 30):
        ticket = make_ticket(requester=users["customer"], site=place["site"])
        for i in range(rows):
            comment_add(actor=users["engineer"], ticket=ticket, body=f"c{i}", is_internal=bool(i % 2))
        for _ in range(min(rows, 10)):
            photo_add(actor=users["customer"], ticket=ticket, upload=upload())
        client = client_for(users["admin"])
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("tickets:detail", args=[ticket.pk])).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_assign_form_shows_open_jobs_and_travel_time(client_for, users, place):
    from facilities.models import Site, StaffProfile

    place["site"].latitude, place["site"].longitude = 51.5074, -0.1278
    place["site"].save()
    depot = Site.objects.create(name="Depot", latitude=51.4545, longitude=-0.9781)
    StaffProfile.objects.create(user=users["technician"], home_site=depot)
    ticket = make_ticket(requester=users["customer"], site=place["site"])
    make_ticket(requester=users["customer"], status=Status.ASSIGNED, assignee=users["technician"])
    html = client_for(users["admin"]).get(reverse("tickets:detail", args=[ticket.pk])).content.decode()
    label = next(line for line in html.splitlines() if users["technician"].get_full_name() in line and "option" in line)
    assert "1 open" in label and "min away" in label


@pytest.mark.parametrize("name,role", [("tickets:list", "customer"), ("tickets:queue", "admin"),
                                       ("tickets:jobs", "technician")])
def test_garbage_parameters_never_fail(client_for, users, name, role):
    make_ticket(requester=users["customer"], title="Still listed")
    params = {"page": "abc", "category": "abc", "assignee": "x", "site": "999", "priority": "zzz",
              "status": "<script>", "sort": "-requester__password", "q": "%' OR 1=1 --", "unassigned": "maybe"}
    response = client_for(users[role]).get(reverse(name), params)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_photo_upload_without_file_says_so(client_for, users, world):
    response = client_for(users["customer"]).post(reverse("tickets:photo_upload", args=[world["job"].pk]),
                                                  {}, follow=True)
    assert "Choose at least one photo." in response.content.decode()
