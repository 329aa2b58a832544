"""The tickets API, role by role and endpoint by endpoint: the same answers as the pages."""

import pytest

from tickets import permissions, workflow
from tickets.models import Category, Comment, Photo, Status, Ticket
from tickets.services import comment_add, photo_add
from tickets.tests.conftest import image_bytes, make_ticket, upload

pytestmark = pytest.mark.django_db

ROLES = ["admin", "engineer", "technician", "customer"]


@pytest.fixture
def tickets(users, other_customer):
    """The customer's new ticket, another customer's, and a job assigned to the technician."""
    return {
        "own": make_ticket(requester=users["customer"], title="Own"),
        "foreign": make_ticket(requester=other_customer, title="Foreign"),
        "job": make_ticket(requester=other_customer, status=Status.ASSIGNED, assignee=users["technician"],
                           title="Job"),
    }


VISIBLE = {
    "admin": {"own", "foreign", "job"},
    "engineer": {"own", "foreign", "job"},
    "technician": {"job"},
    "customer": {"own"},
}


@pytest.mark.parametrize("role", ROLES)
def test_list_shows_exactly_the_visible_tickets(api, users, tickets, role):
    data = api(users[role]).get("/api/v1/tickets/").json()
    assert {t["title"] for t in data["results"]} == {tickets[k].title for k in VISIBLE[role]}
    assert data["count"] == len(VISIBLE[role])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", ["own", "foreign", "job"])
def test_detail_is_404_where_existence_must_not_leak(api, users, tickets, role, which):
    response = api(users[role]).get(f"/api/v1/tickets/{tickets[which].pk}/")
    if which in VISIBLE[role]:
        assert response.status_code == 200
        assert response.json()["reference"] == tickets[which].reference
    else:
        assert response.status_code == 404
        assert response.json() == {"status": 404, "code": "not_found", "detail": response.json()["detail"]}


@pytest.mark.parametrize("path", ["/api/v1/tickets/", "/api/v1/tickets/{pk}/", "/api/v1/tickets/{pk}/comments/",
                                  "/api/v1/tickets/{pk}/events/", "/api/v1/tickets/{pk}/photos/",
                                  "/api/v1/tickets/queue/", "/api/v1/tickets/jobs/", "/api/v1/categories/"])
def test_anonymous_callers_get_401_and_no_data(api, tickets, path):
    response = api().get(path.format(pk=tickets["own"].pk))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")
    assert set(response.json()) == {"status", "code", "detail"}


@pytest.mark.parametrize(("role", "code"), [("admin", 200), ("engineer", 200), ("technician", 403),
                                            ("customer", 403)])
def test_queue_is_for_triage_roles(api, users, tickets, role, code):
    response = api(users[role]).get("/api/v1/tickets/queue/")
    assert response.status_code == code
    if code == 200:
        assert {t["title"] for t in response.json()["results"]} == {"Own", "Foreign", "Job"}


@pytest.mark.parametrize(("role", "titles"), [("admin", set()), ("engineer", set()), ("technician", {"Job"}),
                                              ("customer", None)])
def test_jobs_are_the_callers_open_assignments(api, users, tickets, role, titles):
    response = api(users[role]).get("/api/v1/tickets/jobs/")
    if titles is None:
        assert response.status_code == 403
    else:
        assert {t["title"] for t in response.json()["results"]} == titles


def test_list_filters_search_and_sort(api, users, tickets):
    admin = api(users["admin"])
    assert [t["title"] for t in admin.get("/api/v1/tickets/?status=assigned").json()["results"]] == ["Job"]
    assert [t["title"] for t in admin.get(f"/api/v1/tickets/?q={tickets['own'].reference}").json()["results"]] \
        == ["Own"]
    titles = [t["title"] for t in admin.get("/api/v1/tickets/?sort=title").json()["results"]]
    assert titles == sorted(titles)
    bad = admin.get("/api/v1/tickets/?status=bogus&sort=password")
    assert bad.status_code == 400 and {"status", "sort"} <= set(bad.json()["errors"])
    assert admin.get("/api/v1/tickets/?page=99").status_code == 404


def test_list_costs_a_fixed_number_of_queries(api, users, place, django_assert_max_num_queries):
    for i in range(30):
        make_ticket(requester=users["customer"], site=place["site"], location=place["room"],
                    equipment=place["equipment"], category=place["category"], assignee=users["technician"],
                    vehicle=place["vehicle"], status=Status.ASSIGNED, title=f"T{i}")
    client = api(users["admin"])
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/tickets/")
    assert len(response.json()["results"]) == 25


# --- create ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("role", "code"), [("admin", 201), ("engineer", 201), ("technician", 403),
                                            ("customer", 201)])
def test_create_per_role(api, users, role, code):
    response = api(users[role]).post("/api/v1/tickets/", {"title": "Door jammed", "description": "Fire door"})
    assert response.status_code == code
    assert Ticket.objects.filter(title="Door jammed").count() == (1 if code == 201 else 0)


def test_create_ignores_fields_the_caller_may_not_set(api, users):
    response = api(users["customer"]).post("/api/v1/tickets/", {
        "title": "Lift", "description": "Stuck", "status": "closed", "assignee": users["technician"].pk,
        "escalation_level": 3, "version": 9,
    })
    assert response.status_code == 201
    ticket = Ticket.objects.get(pk=response.json()["id"])
    assert (ticket.status, ticket.assignee, ticket.escalation_level, ticket.version) == (Status.NEW, None, 0, 1)
    assert ticket.requester == users["customer"]


def test_only_admins_report_for_someone_else(api, users, other_customer):
    body = {"title": "Lift", "description": "Stuck", "requester": other_customer.pk}
    assert api(users["customer"]).post("/api/v1/tickets/", body).status_code == 403
    assert api(users["engineer"]).post("/api/v1/tickets/", body).status_code == 403
    response = api(users["admin"]).post("/api/v1/tickets/", body)
    assert response.status_code == 201 and response.json()["requester"]["id"] == other_customer.pk


def test_create_checks_the_place_like_the_web_form(api, users, place):
    client = api(users["customer"])
    bad = client.post("/api/v1/tickets/", {"title": "AC", "description": "Noisy", "site": place["other_site"].pk,
                                           "equipment": place["equipment"].pk})
    assert bad.status_code == 400 and "equipment" in bad.json()["errors"]
    good = client.post("/api/v1/tickets/", {"title": "AC", "description": "Noisy", "equipment": place["equipment"].pk,
                                            "contact_phone": "+447911123456"})
    assert good.status_code == 201
    assert good.json()["site"]["id"] == place["site"].pk and good.json()["location"]["id"] == place["room"].pk
    assert good.json()["contact_phone"].replace(" ", "") == "+447911123456"


def test_create_with_photos_in_multipart(api, users):
    response = api(users["customer"]).post("/api/v1/tickets/", {
        "title": "Broken window", "description": "Glass on the floor",
        "photos": [upload("a.jpg"), upload("b.png", image_bytes("PNG"), "image/png")],
    }, format="multipart")
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get(pk=response.json()["id"])
    assert sorted(p.content_type for p in ticket.photos.all()) == ["image/jpeg", "image/png"]


def test_a_bad_photo_creates_nothing(api, users):
    response = api(users["customer"]).post("/api/v1/tickets/", {
        "title": "Broken window", "description": "Glass", "photos": [upload("x.jpg", b"not an image")],
    }, format="multipart")
    assert response.status_code == 400 and "photos" in response.json()["errors"]
    assert not Ticket.objects.exists() and not Photo.objects.exists()


# --- update and delete ---------------------------------------------------------------------------

@pytest.mark.parametrize(("role", "status", "code"), [
    ("customer", Status.NEW, 200), ("customer", Status.APPROVED, 409), ("technician", Status.NEW, 403),
    ("engineer", Status.IN_PROGRESS, 200), ("admin", Status.CLOSED, 409), ("admin", Status.NEW, 200),
])
def test_patch_while_allowed(api, users, role, status, code):
    ticket = make_ticket(requester=users["customer"], status=status, assignee=users["technician"])
    response = api(users[role]).patch(f"/api/v1/tickets/{ticket.pk}/", {"title": "Changed", "version": 1,
                                                                        "status": "closed"})
    assert response.status_code == code
    ticket.refresh_from_db()
    assert (ticket.title == "Changed") == (code == 200)
    assert ticket.status == status  # never through PATCH


def test_patch_needs_the_current_version(api, users):
    ticket = make_ticket(requester=users["customer"])
    client = api(users["customer"])
    assert client.patch(f"/api/v1/tickets/{ticket.pk}/", {"title": "x"}).status_code == 400
    assert client.patch(f"/api/v1/tickets/{ticket.pk}/", {"title": "First", "version": 1}).json()["version"] == 2
    stale = client.patch(f"/api/v1/tickets/{ticket.pk}/", {"title": "Second", "version": 1})
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    assert "title" in stale.json()["detail"].lower()
    ticket.refresh_from_db()
    assert ticket.title == "First"


@pytest.mark.parametrize(("role", "code"), [("admin", 204), ("engineer", 403), ("technician", 404),
                                            ("customer", 403)])
def test_delete_is_for_admins(api, users, tickets, role, code):
    ticket = tickets["own"]
    assert api(users[role]).delete(f"/api/v1/tickets/{ticket.pk}/").status_code == code
    ticket.refresh_from_db()
    assert (ticket.deleted_at is not None) == (code == 204)
    if code == 204:
        assert api(users["admin"]).get(f"/api/v1/tickets/{ticket.pk}/").status_code == 404


# --- workflow: derived from the transition table -------------------------------------------------

def _ticket_in(users, status):
    assignee = users["technician"] if status not in (Status.NEW, Status.APPROVED) else None
    return make_ticket(requester=users["customer"], status=status, assignee=assignee)


def _body(transition, users, place):
    body = {"comment": "Because."}
    if transition.needs_assignee:
        body["assignee"] = users["technician"].pk
    return body


@pytest.mark.parametrize("action", workflow.ACTIONS)
def test_every_action_is_allowed_exactly_as_the_table_says(api, users, place, action):
    """From each source state, each role: 200 when the table allows it, 409 when not, 404 when not visible."""
    transition = workflow.TRANSITIONS[action]
    for status in transition.sources:
        for role in ROLES:
            ticket = _ticket_in(users, status)
            user = users[role]
            allowed, expected = workflow.is_allowed(ticket, user, action), workflow.target_for(ticket, action)
            response = api(user).post(f"/api/v1/tickets/{ticket.pk}/actions/{action}/",
                                      _body(transition, users, place))
            ticket.refresh_from_db()
            if not permissions.can_view(user, ticket):
                assert response.status_code == 404
            elif allowed:
                assert response.status_code == 200, (action, status, role, response.content)
                assert response.json()["status"] == ticket.status == expected
                assert ticket.events.filter(action=action, actor=user).exists()
            else:
                assert response.status_code == 409, (action, status, role, response.content)
                assert ticket.status == status and ticket.version == 1


def test_assign_with_a_vehicle(api, users, place):
    ticket = make_ticket(requester=users["customer"], status=Status.APPROVED)
    response = api(users["admin"]).post(f"/api/v1/tickets/{ticket.pk}/actions/assign/", {
        "assignee": users["technician"].pk, "vehicle": place["vehicle"].pk})
    assert response.status_code == 200
    assert response.json()["assignee"]["id"] == users["technician"].pk
    assert response.json()["vehicle"]["id"] == place["vehicle"].pk
    other = make_ticket(requester=users["customer"], status=Status.APPROVED)
    busy = api(users["admin"]).post(f"/api/v1/tickets/{other.pk}/actions/assign/", {
        "assignee": users["engineer"].pk, "vehicle": place["vehicle"].pk})
    assert busy.status_code == 400 and "vehicle" in busy.json()["errors"]


@pytest.mark.parametrize("action", workflow.ACTIONS)
def test_an_action_from_a_wrong_state_is_a_409(api, users, place, action):
    transition = workflow.TRANSITIONS[action]
    wrong = next(s for s in Status.values if s not in transition.sources)
    ticket = _ticket_in(users, wrong)
    response = api(users["admin"]).post(f"/api/v1/tickets/{ticket.pk}/actions/{action}/",
                                        _body(transition, users, place))
    assert response.status_code == 409 and response.json()["code"] == "conflict"
    ticket.refresh_from_db()
    assert ticket.status == wrong and ticket.version == 1


def test_required_comment_and_assignee_are_400(api, users):
    ticket = make_ticket(requester=users["customer"])
    admin = api(users["admin"])
    reject = admin.post(f"/api/v1/tickets/{ticket.pk}/actions/reject/", {})
    assert reject.status_code == 400 and "comment" in reject.json()["errors"]
    assign = admin.post(f"/api/v1/tickets/{ticket.pk}/actions/assign/", {"assignee": users["customer"].pk})
    assert assign.status_code == 400 and "assignee" in assign.json()["errors"]
    assert admin.post(f"/api/v1/tickets/{ticket.pk}/actions/fly/", {}).status_code == 404
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW


def test_stale_version_on_an_action_is_a_409(api, users):
    ticket = make_ticket(requester=users["customer"])
    admin = api(users["admin"])
    assert admin.post(f"/api/v1/tickets/{ticket.pk}/actions/approve/", {"version": 1}).status_code == 200
    assert admin.post(f"/api/v1/tickets/{ticket.pk}/actions/reject/", {"version": 1, "comment": "no"}
                      ).status_code == 409


@pytest.mark.parametrize("role", ROLES)
def test_available_actions_come_from_the_workflow(api, users, role):
    ticket = make_ticket(requester=users["customer"], status=Status.IN_PROGRESS, assignee=users["technician"])
    response = api(users[role]).get(f"/api/v1/tickets/{ticket.pk}/actions/")
    expected = [t.action for t in workflow.available_actions(ticket, users[role])]
    assert [a["action"] for a in response.json()] == expected
    assert api(users[role]).get(f"/api/v1/tickets/{ticket.pk}/").json()["available_actions"] == expected
    assert expected == {"admin": ["hold"], "engineer": [], "technician": ["hold", "resolve"],
                        "customer": ["close_solved"]}[role]


# --- comments, photos, events --------------------------------------------------------------------

def test_comments_hide_internal_notes_from_customers(api, users):
    ticket = make_ticket(requester=users["customer"], status=Status.ASSIGNED, assignee=users["technician"])
    comment_add(actor=users["customer"], ticket=ticket, body="public")
    comment_add(actor=users["technician"], ticket=ticket, body="secret", is_internal=True)
    for role in ROLES:
        bodies = [c["body"] for c in api(users[role]).get(f"/api/v1/tickets/{ticket.pk}/comments/").json()["results"]]
        assert bodies == (["public"] if role == "customer" else ["public", "secret"])
        events = api(users[role]).get(f"/api/v1/tickets/{ticket.pk}/events/").json()["results"]
        comment_events = [e for e in events if e["action"] == "comment"]
        assert len(comment_events) == (1 if role == "customer" else 2)
        assert all("internal" not in e["changes"] for e in events) == (role == "customer")


@pytest.mark.parametrize(("role", "internal", "code"), [
    ("customer", False, 201), ("customer", True, 403), ("technician", True, 201), ("engineer", True, 201),
])
def test_comment_and_internal_note_per_role(api, users, role, internal, code):
    ticket = make_ticket(requester=users["customer"], status=Status.ASSIGNED, assignee=users["technician"])
    response = api(users[role]).post(f"/api/v1/tickets/{ticket.pk}/comments/", {"body": "hi",
                                                                                "is_internal": internal})
    assert response.status_code == code
    assert Comment.objects.filter(ticket=ticket, is_internal=internal).count() == (1 if code == 201 else 0)


def test_empty_comment_is_a_400(api, users):
    ticket = make_ticket(requester=users["customer"])
    response = api(users["customer"]).post(f"/api/v1/tickets/{ticket.pk}/comments/", {"body": "   "})
    assert response.status_code == 400 and "body" in response.json()["errors"]


def test_photos_upload_list_and_serve_through_the_permission_check(api, users, other_customer):
    ticket = make_ticket(requester=users["customer"])
    owner = api(users["customer"])
    added = owner.post(f"/api/v1/tickets/{ticket.pk}/photos/", {"photos": [upload()]}, format="multipart")
    assert added.status_code == 201, added.content
    photo = added.json()[0]
    assert owner.get(f"/api/v1/tickets/{ticket.pk}/photos/").json()[0]["id"] == photo["id"]
    for role in ("customer", "admin", "engineer"):
        image = api(users[role]).get(photo["file_url"])
        assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
        assert b"".join(image.streaming_content)[:2] == b"\xff\xd8"
    assert api(users[role]).get(photo["thumbnail_url"])["Content-Type"] == "image/jpeg"
    for outsider in (users["technician"], other_customer):
        assert api(outsider).get(photo["file_url"]).status_code == 404
        assert api(outsider).get(f"/api/v1/tickets/{ticket.pk}/photos/").status_code == 404


def test_photos_cannot_be_added_to_a_closed_ticket(api, users):
    ticket = make_ticket(requester=users["customer"], status=Status.CLOSED)
    response = api(users["customer"]).post(f"/api/v1/tickets/{ticket.pk}/photos/", {"photos": [upload()]},
                                           format="multipart")
    assert response.status_code == 409
    assert not ticket.photos.exists()


def test_photo_upload_is_all_or_nothing(api, users):
    ticket = make_ticket(requester=users["customer"])
    response = api(users["customer"]).post(
        f"/api/v1/tickets/{ticket.pk}/photos/", {"photos": [upload(), upload("bad.jpg", b"GIF89a")]},
        format="multipart")
    assert response.status_code == 400
    assert not ticket.photos.exists()


def test_a_photo_of_another_ticket_is_404(api, users):
    mine = make_ticket(requester=users["customer"])
    other = make_ticket(requester=users["customer"])
    photo = photo_add(actor=users["customer"], ticket=other, upload=upload())
    client = api(users["customer"])
    assert client.get(f"/api/v1/tickets/{mine.pk}/photos/{photo.pk}/file/").status_code == 404
    assert client.get(f"/api/v1/tickets/{other.pk}/photos/{photo.pk}/file/").status_code == 200


def test_categories_are_the_active_ones(api, users):
    Category.objects.create(name="Repair")
    Category.objects.create(name="Old", active=False)
    assert [c["name"] for c in api(users["customer"]).get("/api/v1/categories/").json()] == ["Repair"]


# --- macros ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("role", "code"), [("admin", 200), ("engineer", 200), ("technician", 403),
                                            ("customer", 403)])
def test_macros_are_for_admins_and_engineers(api, users, role, code):
    assert api(users[role]).get("/api/v1/macros/").status_code == code


def test_macro_crud_through_the_services(api, users):
    engineer, admin = api(users["engineer"]), api(users["admin"])
    shared = admin.post("/api/v1/macros/", {"name": "Parts", "body": "Waiting for parts, {requester_first_name}.",
                                            "shared": True})
    assert shared.status_code == 201 and shared.json()["shared"] is True
    refused = engineer.post("/api/v1/macros/", {"name": "Mine", "body": "x", "shared": True})
    assert refused.status_code == 403
    mine = engineer.post("/api/v1/macros/", {"name": "Mine", "body": "On my way"})
    assert mine.status_code == 201 and mine.json()["shared"] is False
    assert {m["name"] for m in engineer.get("/api/v1/macros/").json()["results"]} == {"Parts", "Mine"}
    assert engineer.patch(f"/api/v1/macros/{shared.json()['id']}/", {"name": "Hijack"}).status_code == 403
    renamed = engineer.patch(f"/api/v1/macros/{mine.json()['id']}/", {"name": "Coming"})
    assert renamed.status_code == 200 and renamed.json()["body"] == "On my way"
    bad = engineer.post("/api/v1/macros/", {"name": "A", "body": "b", "action": "assign"})
    assert bad.status_code == 400 and "assign_to" in bad.json()["errors"]
    assert engineer.delete(f"/api/v1/macros/{mine.json()['id']}/").status_code == 204
    assert admin.get(f"/api/v1/macros/{mine.json()['id']}/").status_code == 404


def test_apply_macro_posts_its_text_and_performs_its_action(api, users):
    ticket = make_ticket(requester=users["customer"])
    admin = api(users["admin"])
    macro = admin.post("/api/v1/macros/", {"name": "OK", "body": "Approved, {requester_first_name}.",
                                           "action": "approve", "set_priority": "high", "shared": True}).json()
    response = admin.post(f"/api/v1/tickets/{ticket.pk}/apply-macro/", {"macro": macro["id"], "version": 1})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "approved" and response.json()["priority"] == "high"
    assert ticket.comments.get().body == f"Approved, {users['customer'].first_name}."
    again = admin.post(f"/api/v1/tickets/{ticket.pk}/apply-macro/", {"macro": macro["id"]})
    assert again.status_code == 409  # approve is not possible twice: nothing is posted
    assert ticket.comments.count() == 1
    assert api(users["customer"]).post(f"/api/v1/tickets/{ticket.pk}/apply-macro/",
                                       {"macro": macro["id"]}).status_code == 403


def test_bulk_actions_report_every_refusal(api, users, other_customer):
    new = make_ticket(requester=users["customer"])
    closed = make_ticket(requester=users["customer"], status=Status.CLOSED)
    response = api(users["admin"]).post("/api/v1/tickets/bulk/", {
        "action": "approve", "tickets": [new.pk, closed.pk, 999999]}, format="json")
    assert response.status_code == 200
    assert response.json()["done"] == [new.pk]
    assert {r["id"] for r in response.json()["refused"]} == {closed.pk, 999999}
    new.refresh_from_db()
    assert new.status == Status.APPROVED
    for role in ("engineer", "technician", "customer"):
        assert api(users[role]).post("/api/v1/tickets/bulk/", {"action": "close", "tickets": [new.pk]},
                                     format="json").status_code == 403
    bad = api(users["admin"]).post("/api/v1/tickets/bulk/", {"action": "start", "tickets": [new.pk]}, format="json")
    assert bad.status_code == 400 and "action" in bad.json()["errors"]
