"""Service report pages x roles, the whole path through the pages, the printable page and the PDF."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import Role
from accounts.tests.factories import make_user
from tickets import services
from tickets.models import ReportSignOff, ReportStatus, ServiceReport, Status
from tickets.tests.conftest import image_bytes
from tickets.tests.report_helpers import make_job, post_data, report_fields

pytestmark = pytest.mark.django_db
ROLES = ["admin", "engineer", "technician", "customer", "other_customer", "other_technician", "anonymous"]


@pytest.fixture
def people(users):
    return {**users, "other_customer": make_user(Role.CUSTOMER), "other_technician": make_user(Role.TECHNICIAN),
            "anonymous": None}


@pytest.fixture
def job(users):
    return make_job(requester=users["customer"], assignee=users["technician"])


@pytest.fixture
def submitted_report(job, users):
    report = services.report_create(
        actor=users["technician"], ticket=job, **report_fields(action_text="Replaced the <b>bearing</b> & seal"),
        parts=[{"part_number": "BRG-6204", "description": "Ball bearing", "quantity": 2}])
    return services.report_submit(actor=users["technician"], report=report)


def url(name, report, **kw):
    return reverse(f"tickets:{name}", args=[report.ticket_id, report.pk], **kw)


# Pages x roles ---------------------------------------------------------------------------

CREATE_EXPECTED = {"technician": 200, "admin": 403, "engineer": 403, "customer": 403, "other_customer": 404,
                   "other_technician": 404, "anonymous": 302}


@pytest.mark.parametrize("role", ROLES)
def test_create_page_by_role(client_for, people, job, role):
    response = client_for(people[role]).get(reverse("tickets:report_create", args=[job.pk]))
    assert response.status_code == CREATE_EXPECTED[role]
    if role == "technician":
        content = response.content.decode()
        assert "Route estimate from your home site" in content
        assert 'name="travel_distance_km"' in content


DETAIL_EXPECTED = {"technician": 200, "admin": 200, "engineer": 200, "customer": 200, "other_customer": 404,
                   "other_technician": 404, "anonymous": 302}
DOWNLOAD_EXPECTED = {"technician": 200, "admin": 200, "engineer": 403, "customer": 200, "other_customer": 404,
                     "other_technician": 404, "anonymous": 302}


@pytest.mark.parametrize("role", ROLES)
def test_detail_print_and_pdf_by_role(client_for, people, submitted_report, role):
    client = client_for(people[role])
    assert client.get(url("report_detail", submitted_report)).status_code == DETAIL_EXPECTED[role]
    assert client.get(url("report_print", submitted_report)).status_code == DOWNLOAD_EXPECTED[role]
    pdf = client.get(url("report_pdf", submitted_report))
    assert pdf.status_code == DOWNLOAD_EXPECTED[role]
    if DOWNLOAD_EXPECTED[role] == 200:
        assert pdf["Content-Type"] == "application/pdf"


def test_organisation_colleague_sees_the_ticket_but_not_the_report(users, submitted_report):
    from accounts.models import Organization

    org = Organization.objects.create(name="Clinic Ltd", members_see_all_tickets=True)
    users["customer"].organization = org
    users["customer"].save()
    colleague = make_user(Role.CUSTOMER, organization=org)
    client = Client()
    client.force_login(colleague, backend="accounts.backends.EmailBackend")
    assert client.get(submitted_report.ticket.get_absolute_url()).status_code == 200
    assert client.get(url("report_detail", submitted_report)).status_code == 403
    assert client.get(url("report_pdf", submitted_report)).status_code == 403


def test_customer_does_not_see_drafts(client_for, users, job):
    draft = services.report_create(actor=users["technician"], ticket=job, **report_fields())
    assert client_for(users["customer"]).get(url("report_detail", draft)).status_code == 403
    page = client_for(users["customer"]).get(job.get_absolute_url()).content.decode()
    assert "Visit 1" not in page
    assert "Visit 1" in client_for(users["technician"]).get(job.get_absolute_url()).content.decode()


@pytest.mark.parametrize("role", ["admin", "engineer", "customer", "other_technician"])
def test_only_the_author_edits(client_for, people, users, job, role):
    draft = services.report_create(actor=users["technician"], ticket=job, **report_fields())
    response = client_for(people[role]).post(url("report_edit", draft), post_data(labour_minutes="1"))
    assert response.status_code in (403, 404)
    draft.refresh_from_db()
    assert draft.labour_minutes == 75


# The whole path through the pages ----------------------------------------------------------

def test_assignment_to_signed_report_to_closed_ticket(client_for, users, password, job, tmp_path):
    from tickets.models import Ticket
    from tickets.tests.conftest import make_ticket

    ticket = make_ticket(requester=users["customer"], status=Status.APPROVED, site=job.site, equipment=job.equipment)
    admin, tech, customer = (client_for(users[r]) for r in ("admin", "technician", "customer"))
    assert admin.post(reverse("tickets:action", args=[ticket.pk, "assign"]),
                      {"assignee": users["technician"].pk, "version": 1}).status_code == 302
    assert tech.post(reverse("tickets:action", args=[ticket.pk, "start"])).status_code == 302
    page = tech.get(ticket.get_absolute_url()).content.decode()
    assert reverse("tickets:report_create", args=[ticket.pk]) in page

    photo = io.BytesIO(image_bytes("JPEG", size=(320, 240)))
    photo.name = "pump.jpg"
    data = post_data(**{"parts-0-part_number": "BRG-6204", "parts-0-description": "Ball bearing",
                        "parts-0-quantity": "2", "submit": "1"})
    data["photos"] = photo
    response = tech.post(reverse("tickets:report_create", args=[ticket.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    report = ServiceReport.objects.get(ticket=ticket)
    assert report.status == ReportStatus.SUBMITTED and report.photos.count() == 1
    assert Ticket.objects.get(pk=ticket.pk).status == Status.RESOLVED

    # Logged in is not enough: no password, no signature.
    response = customer.post(url("report_sign", report), {"signer_name": "Cara Customer", "agree": "on"})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    response = customer.post(url("report_sign", report), {"signer_name": "Cara Customer", "agree": "on",
                                                            "password": "not-my-password"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "That password is not right" in body and 'value="Cara Customer"' in body
    assert "not-my-password" not in body  # never echoed back
    assert not ReportSignOff.objects.exists()

    page = customer.get(ticket.get_absolute_url()).content.decode()
    assert "Review and sign" in page
    response = customer.post(url("report_sign", report), {"signer_name": "Cara Customer", "agree": "on",
                                                            "password": password},
                             HTTP_USER_AGENT="PhoneBrowser/1.0", REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 302
    signoff = ReportSignOff.objects.get()
    assert (signoff.ip_address, signoff.user_agent) == ("198.51.100.7", "PhoneBrowser/1.0")
    detail = customer.get(url("report_detail", report)).content.decode()
    assert signoff.content_digest in detail and "still matches what was signed" in detail

    # The signed report cannot be edited, even by its author.
    response = tech.post(url("report_edit", report), post_data(labour_minutes="5"))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.labour_minutes == 75

    assert admin.post(reverse("tickets:action", args=[ticket.pk, "close"]), {"version": ""}).status_code == 302
    assert Ticket.objects.get(pk=ticket.pk).status == Status.CLOSED

    pdf = customer.get(url("report_pdf", report))
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    for expected in (ticket.reference, "Riverside Clinic", "PUMP-7", "BRG-6204", "Ball bearing", "Cara Customer",
                     signoff.content_digest, "Replaced the bearing"):
        assert expected in text.replace("\n", " ") or expected in text.replace("\n", ""), expected


def test_refusal_through_the_page(client_for, users, submitted_report):
    customer = client_for(users["customer"])
    response = customer.post(url("report_refuse", submitted_report), {"reason": ""})
    assert response.status_code == 400
    response = customer.post(url("report_refuse", submitted_report), {"reason": "The noise is back"})
    assert response.status_code == 302
    submitted_report.refresh_from_db()
    assert submitted_report.status == ReportStatus.REFUSED
    assert submitted_report.ticket.__class__.objects.get(pk=submitted_report.ticket_id).status == Status.IN_PROGRESS
    # The technician sees it, edits it and submits again.
    tech = client_for(users["technician"])
    assert "The noise is back" in tech.get(url("report_detail", submitted_report)).content.decode()
    assert tech.get(url("report_edit", submitted_report)).status_code == 200


def test_void_through_the_page(client_for, users, password, submitted_report):
    customer = client_for(users["customer"])
    customer.post(url("report_sign", submitted_report), {"signer_name": "Cara", "agree": "on",
                                                          "password": password})
    assert client_for(users["engineer"]).post(url("report_void", submitted_report),
                                              {"reason": "x"}).status_code == 403
    admin = client_for(users["admin"])
    assert admin.post(url("report_void", submitted_report), {"reason": ""}).status_code == 400
    assert admin.post(url("report_void", submitted_report), {"reason": "Wrong signer"}).status_code == 302
    submitted_report.refresh_from_db()
    assert submitted_report.status == ReportStatus.SUBMITTED
    assert "Wrong signer" in admin.get(url("report_detail", submitted_report)).content.decode()


def test_bad_input_keeps_what_was_typed(client_for, users, job):
    tech = client_for(users["technician"])
    response = tech.post(reverse("tickets:report_create", args=[job.pk]),
                         post_data(action_text="Tightened the coupling", labour_minutes="-3",
                                   **{"parts-0-description": "Coupling", "parts-0-quantity": ""}))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Tightened the coupling" in body and 'value="Coupling"' in body and "How many?" in body
    assert not job.reports.exists()
    bad = io.BytesIO(b"GIF89a not really")
    bad.name = "x.jpg"
    response = tech.post(reverse("tickets:report_create", args=[job.pk]), {**post_data(), "photos": bad})
    assert response.status_code == 400 and "is not a JPEG, PNG or WebP image" in response.content.decode()


def test_pdf_fetches_nothing_and_escapes_markup(client_for, users, job, monkeypatch):
    """User text holding ReportLab markup (an <img> tag naming a URL) is printed as text, never followed."""
    import socket

    def no_network(*args, **kwargs):
        raise AssertionError("the PDF renderer tried to open a network connection")

    report = services.report_create(actor=users["technician"], ticket=job, **report_fields(
        action_text='<img src="http://203.0.113.1/x.png" width="10" height="10"/> done'))
    services.report_submit(actor=users["technician"], report=report)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    pdf = client_for(users["customer"]).get(url("report_pdf", report))
    assert pdf.status_code == 200
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert '<img src="http://203.0.113.1/x.png"' in text.replace("\n", "")


def test_print_page_has_print_stylesheet_and_digest(client_for, users, submitted_report):
    body = client_for(users["customer"]).get(url("report_print", submitted_report)).content.decode()
    assert "report_print.css" in body and "SHA-256" in body and "BRG-6204" in body
    assert "&lt;b&gt;bearing&lt;/b&gt;" in body  # escaped


def test_photo_served_only_to_readers(client_for, people, users, job, jpeg_upload):
    report = services.report_create(actor=users["technician"], ticket=job, photos=[jpeg_upload], **report_fields())
    services.report_submit(actor=users["technician"], report=report)
    photo = report.photos.get()
    for role, expected in (("customer", 200), ("admin", 200), ("other_customer", 404)):
        response = client_for(people[role]).get(
            reverse("tickets:report_photo_thumb", args=[job.pk, report.pk, photo.pk]))
        assert response.status_code == expected


def test_query_budget(client_for, users, submitted_report, django_assert_max_num_queries):
    client = client_for(users["customer"])
    with django_assert_max_num_queries(25):
        assert client.get(url("report_detail", submitted_report)).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(url("report_print", submitted_report)).status_code == 200
    with django_assert_max_num_queries(40):
        assert client.get(submitted_report.ticket.get_absolute_url()).status_code == 200


def test_equipment_history_shows_the_reports(client_for, users, submitted_report, django_assert_max_num_queries):
    equipment = submitted_report.ticket.equipment
    client = client_for(users["engineer"])
    with django_assert_max_num_queries(20):
        body = client.get(reverse("facilities:equipment_detail", args=[equipment.pk])).content.decode()
    line = body.split('class="d-block small text-body-secondary report-line">', 1)[1].split("</span>")[0]
    assert "Visit 1" in line and submitted_report.symptom.label in line and submitted_report.action.label in line
    assert "75 min" in line


def test_dashboard_asks_the_customer_to_sign(client_for, users, password, submitted_report):
    title = submitted_report.ticket.title
    customer_home = client_for(users["customer"]).get(reverse("dashboard")).content.decode()
    assert "Service reports to sign" in customer_home and title in customer_home
    client_for(users["customer"]).post(url("report_sign", submitted_report), {
        "signer_name": "Cara", "agree": "on", "password": password})
    assert "Service reports to sign" not in client_for(users["customer"]).get(reverse("dashboard")).content.decode()


def test_lockout_after_too_many_wrong_signing_passwords(client_for, users, password, settings, submitted_report):
    customer = client_for(users["customer"])
    data = {"signer_name": "Cara", "agree": "on", "password": "wrong-wrong"}
    statuses = [customer.post(url("report_sign", submitted_report), data).status_code
                for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert statuses[0] == 403 and statuses[-1] == 429  # the login throttle's lock-out page
    # Even the right password is refused now; nothing signed.
    response = customer.post(url("report_sign", submitted_report), {**data, "password": password})
    assert response.status_code == 429
    assert not ReportSignOff.objects.exists()


def test_edit_a_draft_through_the_page(client_for, users, job, jpeg_upload):
    draft = services.report_create(
        actor=users["technician"], ticket=job, photos=[jpeg_upload], **report_fields(),
        parts=[{"part_number": "OLD-1", "description": "Old part", "quantity": 1}])
    tech = client_for(users["technician"])
    page = tech.get(url("report_edit", draft)).content.decode()
    assert 'value="OLD-1"' in page and "Replaced the bearing" in page
    photo = draft.photos.get()
    response = tech.post(url("report_edit", draft), post_data(**{
        "labour_minutes": "95", "parts-0-part_number": "NEW-2", "parts-0-description": "New part",
        "parts-0-quantity": "1.5", "remove_photos": [str(photo.pk)], "save": "1"}))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT and draft.labour_minutes == 95
    assert [(p.part_number, str(p.quantity)) for p in draft.parts.all()] == [("NEW-2", "1.50")]
    assert not draft.photos.exists()
    # Submitting from the report page resolves the job.
    assert tech.post(url("report_submit", draft)).status_code == 302
    job.refresh_from_db()
    assert job.status == Status.RESOLVED


def test_new_report_form_starts_at_the_start_of_work(client_for, users, job):
    from django.utils import timezone

    from tickets.models import TicketEvent

    started = timezone.now().replace(second=0, microsecond=0) - timezone.timedelta(hours=2)
    event = TicketEvent.objects.create(ticket=job, actor=users["technician"], action="start")
    TicketEvent.objects.filter(pk=event.pk).update(created_at=started)
    page = client_for(users["technician"]).get(reverse("tickets:report_create", args=[job.pk])).content.decode()
    assert timezone.localtime(started).strftime("%Y-%m-%dT%H:%M") in page


@pytest.mark.parametrize("role,expected", [("customer", 200), ("admin", 200), ("technician", 200),
                                           ("engineer", 200), ("other_customer", 404)])
def test_api_lists_reports_by_role(client_for, people, users, password, submitted_report, role, expected):
    services.report_sign_off(actor=users["customer"], report=submitted_report, password=password,
                             signer_name="Cara", request=_request(users["customer"]))
    client = client_for(people[role])
    response = client.get(f"/api/v1/tickets/{submitted_report.ticket_id}/reports/")
    assert response.status_code == expected
    if expected == 200:
        [row] = response.json()
        assert row["symptom"]["code"] == submitted_report.symptom.code and row["labour_minutes"] == 75
        assert row["signature"]["signer_name"] == "Cara" and len(row["signature"]["content_digest"]) == 64
        assert row["parts"][0]["part_number"] == "BRG-6204"
        one = client.get(f"/api/v1/tickets/{submitted_report.ticket_id}/reports/{submitted_report.pk}/")
        assert one.status_code == 200 and one.json()["id"] == submitted_report.pk


def test_api_hides_drafts_from_customers(client_for, users, job):
    draft = services.report_create(actor=users["technician"], ticket=job, **report_fields())
    assert client_for(users["customer"]).get(f"/api/v1/tickets/{job.pk}/reports/").json() == []
    assert client_for(users["customer"]).get(f"/api/v1/tickets/{job.pk}/reports/{draft.pk}/").status_code == 403
    assert len(client_for(users["technician"]).get(f"/api/v1/tickets/{job.pk}/reports/").json()) == 1


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().post("/")
    request.user = user
    return request


def test_submit_while_on_hold_keeps_the_draft_and_says_why(client_for, users):
    job = make_job(requester=users["customer"], assignee=users["technician"], status=Status.ON_HOLD)
    tech = client_for(users["technician"])
    response = tech.post(reverse("tickets:report_create", args=[job.pk]), post_data(submit="1"), follow=True)
    report = ServiceReport.objects.get(ticket=job)
    assert report.status == ReportStatus.DRAFT and report.action_text.startswith("Replaced")
    assert response.redirect_chain[-1][0] == url("report_edit", report)
    assert "not possible while the ticket is on hold" in response.content.decode()
