"""Service reports through the API, per role: write, submit (resolves), sign with the password
(counted by django-axes together with the pages), refuse, void; 403/404/409 and forbidden fields."""

from decimal import Decimal

import pytest
from axes.models import AccessAttempt
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import make_user
from tickets import services
from tickets.models import ReportSignOff, ReportStatus, ServiceReport, Status
from tickets.tests.conftest import image_bytes
from tickets.tests.report_helpers import codes, make_job, report_fields

pytestmark = pytest.mark.django_db
ROLES = ["admin", "engineer", "technician", "customer"]


@pytest.fixture
def job(users):
    return make_job(requester=users["customer"], assignee=users["technician"])


@pytest.fixture
def draft(job, users):
    return services.report_create(actor=users["technician"], ticket=job, **report_fields(),
                                  parts=[{"part_number": "BRG-6204", "description": "Ball bearing", "quantity": 2}])


@pytest.fixture
def submitted(draft, users):
    return services.report_submit(actor=users["technician"], report=draft)


def body(**extra):
    f = report_fields()
    data = {
        "arrived_at": f["arrived_at"].isoformat(), "departed_at": f["departed_at"].isoformat(),
        "travel_distance_km": "7.5", "travel_minutes": 20, "labour_minutes": 75,
        "symptom": f["symptom"].pk, "symptom_text": "Grinding", "cause": f["cause"].pk, "cause_text": "Worn",
        "action": f["action"].pk, "action_text": "Replaced the bearing",
        "parts": [{"part_number": "BRG-6204", "description": "Ball bearing", "quantity": "2"}],
    }
    data.update(extra)
    return data


def reports_url(ticket):
    return f"/api/v1/tickets/{ticket.pk}/reports/"


def report_url(report, suffix=""):
    return f"/api/v1/tickets/{report.ticket_id}/reports/{report.pk}/{suffix}"


# --- write -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("role", "expected"), [("admin", 403), ("engineer", 403), ("technician", 201),
                                                ("customer", 403)])
def test_only_the_assignee_writes_a_report(api, users, job, role, expected):
    response = api(users[role]).post(reports_url(job), body(), format="json")
    assert response.status_code == expected, response.data
    assert ServiceReport.objects.count() == (1 if expected == 201 else 0)
    if expected == 201:
        report = ServiceReport.objects.get()
        assert response.data["status"] == "draft" and response.data["visit"] == 1
        assert report.author == users["technician"] and report.labour_minutes == 75
        assert [(p.part_number, p.quantity) for p in report.parts.all()] == [("BRG-6204", Decimal("2"))]
        assert report.ticket.events.filter(action="report_draft").exists()  # the service wrote it


def test_anonymous_and_outsiders_cannot_write(api, users, job):
    assert api().post(reports_url(job), body(), format="json").status_code == 401
    stranger = make_user(Role.TECHNICIAN)
    assert api(stranger).post(reports_url(job), body(), format="json").status_code == 404
    assert not ServiceReport.objects.exists()


def test_forbidden_fields_are_ignored(api, users, job):
    response = api(users["technician"]).post(reports_url(job), body(
        status="signed", author=users["admin"].pk, visit=9, submitted_at="2020-01-01T00:00:00Z",
        signature={"signer_name": "Forged"}), format="json")
    assert response.status_code == 201
    report = ServiceReport.objects.get()
    assert (report.status, report.author, report.visit, report.submitted_at) == (
        ReportStatus.DRAFT, users["technician"], 1, None)
    assert not ReportSignOff.objects.exists()


def test_bad_input_is_400_per_field(api, users, job):
    c = codes()
    response = api(users["technician"]).post(reports_url(job), body(
        symptom=c["cause"].pk, labour_minutes=-5, parts=[{"description": "Seal", "quantity": "0"}]), format="json")
    assert response.status_code == 400
    assert {"symptom", "labour_minutes"} <= set(response.data["errors"])
    response = api(users["technician"]).post(reports_url(job), body(
        departed_at=report_fields()["arrived_at"].replace(year=2000).isoformat()), format="json")
    assert response.status_code == 400 and "departed_at" in response.data["errors"]
    assert not ServiceReport.objects.exists()


def test_writing_while_the_job_is_not_worked_is_409(api, users):
    job = make_job(requester=users["customer"], assignee=users["technician"], status=Status.ASSIGNED)
    response = api(users["technician"]).post(reports_url(job), body(), format="json")
    assert response.status_code == 409 and response.data["code"] == "conflict"


def test_second_draft_is_409(api, users, draft):
    response = api(users["technician"]).post(reports_url(draft.ticket), body(), format="json")
    assert response.status_code == 409
    assert ServiceReport.objects.count() == 1


def test_update_a_draft(api, users, draft):
    response = api(users["technician"]).patch(report_url(draft), {"labour_minutes": 95, "status": "signed",
                                                                  "parts": []}, format="json")
    assert response.status_code == 200, response.data
    draft.refresh_from_db()
    assert draft.labour_minutes == 95 and draft.status == ReportStatus.DRAFT and not draft.parts.exists()
    assert draft.action_text == "Replaced the bearing and tested for 30 minutes"  # untouched fields kept


@pytest.mark.parametrize(("role", "expected"), [("admin", 403), ("engineer", 403), ("customer", 403)])
def test_others_cannot_update(api, users, draft, role, expected):
    response = api(users[role]).patch(report_url(draft), {"labour_minutes": 1}, format="json")
    assert response.status_code == expected
    draft.refresh_from_db()
    assert draft.labour_minutes == 75


def test_editing_a_submitted_report_is_409(api, users, submitted):
    response = api(users["technician"]).patch(report_url(submitted), {"labour_minutes": 1}, format="json")
    assert response.status_code == 409
    submitted.refresh_from_db()
    assert submitted.labour_minutes == 75


# --- submit ----------------------------------------------------------------------------------

def test_submit_resolves_the_job_like_the_page(api, users, draft):
    response = api(users["technician"]).post(report_url(draft, "submit/"), format="json")
    assert response.status_code == 200 and response.data["status"] == "submitted"
    draft.ticket.refresh_from_db()
    assert draft.ticket.status == Status.RESOLVED
    assert draft.ticket.events.filter(action="resolve").exists()


@pytest.mark.parametrize("role", ["admin", "engineer"])
def test_only_the_author_submits(api, users, draft, role):
    assert api(users[role]).post(report_url(draft, "submit/"), format="json").status_code == 403
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT


def test_submitting_twice_is_409(api, users, submitted):
    assert api(users["technician"]).post(report_url(submitted, "submit/"), format="json").status_code == 409


# --- sign, refuse, void ----------------------------------------------------------------------

def test_requester_signs_with_the_password(api, users, password, submitted):
    response = api(users["customer"]).post(report_url(submitted, "sign/"),
                                           {"signer_name": "Cara Customer", "password": password}, format="json")
    assert response.status_code == 200, response.data
    assert response.data["status"] == "signed" and response.data["signature"]["signer_name"] == "Cara Customer"
    assert "password" not in response.data
    signoff = ReportSignOff.objects.get()
    assert signoff.signer == users["customer"] and signoff.content_digest


def test_wrong_password_is_a_400_on_password(api, users, submitted):
    response = api(users["customer"]).post(report_url(submitted, "sign/"),
                                           {"signer_name": "Cara Customer", "password": "wrong-wrong"}, format="json")
    assert response.status_code == 400
    assert list(response.data["errors"]) == ["password"]
    assert not ReportSignOff.objects.exists()
    assert AccessAttempt.objects.get().failures_since_start == 1  # counted like a failed log-in


def test_lockout_counts_page_and_api_failures_together(api, client_for, users, password, settings, submitted):
    page = client_for(users["customer"])
    page_url = reverse("tickets:report_sign", args=[submitted.ticket_id, submitted.pk])
    wrong = {"signer_name": "Cara", "agree": "on", "password": "wrong-wrong"}
    assert page.post(page_url, wrong).status_code == 403  # one failure on the page
    client = api(users["customer"])
    statuses = [client.post(report_url(submitted, "sign/"), {"signer_name": "Cara", "password": "wrong"},
                            format="json").status_code for _ in range(settings.AXES_FAILURE_LIMIT - 1)]
    assert statuses[:-1] == [400] * (settings.AXES_FAILURE_LIMIT - 2) and statuses[-1] == 429
    right = client.post(report_url(submitted, "sign/"), {"signer_name": "Cara", "password": password},
                        format="json")
    assert right.status_code == 429 and right.json()["status"] == 429
    assert not ReportSignOff.objects.exists()
    # The page is locked too.
    assert page.post(page_url, {**wrong, "password": password}).status_code == 429


@pytest.mark.parametrize("role", ["admin", "engineer", "technician"])
def test_only_the_requester_signs(api, users, password, submitted, role):
    response = api(users[role]).post(report_url(submitted, "sign/"), {"signer_name": "X Y", "password": password},
                                     format="json")
    assert response.status_code == 403
    assert not ReportSignOff.objects.exists()


def test_other_customers_get_404(api, users, password, submitted):
    other = make_user(Role.CUSTOMER)
    for suffix in ("", "sign/", "refuse/"):
        method = "get" if not suffix else "post"
        response = getattr(api(other), method)(report_url(submitted, suffix), {"reason": "x", "password": password,
                                                                              "signer_name": "X Y"}, format="json")
        assert response.status_code == 404


def test_signing_a_draft_or_a_signed_report_is_409(api, users, password, draft):
    # The requester may not read a draft, but it is their ticket: the state is what refuses.
    sign = {"signer_name": "Cara Customer", "password": password}
    assert api(users["customer"]).post(report_url(draft, "sign/"), sign, format="json").status_code == 409
    services.report_submit(actor=users["technician"], report=draft)
    assert api(users["customer"]).post(report_url(draft, "sign/"), sign, format="json").status_code == 200
    assert api(users["customer"]).post(report_url(draft, "sign/"), sign, format="json").status_code == 409
    assert ReportSignOff.objects.count() == 1


def test_refuse_sends_the_job_back(api, users, submitted):
    client = api(users["customer"])
    assert client.post(report_url(submitted, "refuse/"), {"reason": ""}, format="json").status_code == 400
    response = client.post(report_url(submitted, "refuse/"), {"reason": "Still noisy"}, format="json")
    assert response.status_code == 200 and response.data["status"] == "in_progress"
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.REFUSED
    submitted.ticket.refresh_from_db()
    assert submitted.ticket.status == Status.IN_PROGRESS
    assert client.post(report_url(submitted, "refuse/"), {"reason": "again"}, format="json").status_code == 409
    assert ReportSignOff.objects.count() == 1
    # Refused reports are editable again by their author.
    assert api(users["technician"]).patch(report_url(submitted), {"labour_minutes": 80},
                                          format="json").status_code == 200


@pytest.mark.parametrize(("role", "expected"), [("engineer", 403), ("technician", 403), ("customer", 403)])
def test_only_admins_void(api, users, password, submitted, role, expected):
    services.report_sign_off(actor=users["customer"], report=submitted, password=password, signer_name="Cara C",
                             request=_request(users["customer"]))
    response = api(users[role]).post(report_url(submitted, "void/"), {"reason": "Wrong parts"}, format="json")
    assert response.status_code == expected
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.SIGNED


def test_admin_voids_a_signature_and_not_twice(api, users, password, submitted):
    admin = api(users["admin"])
    assert admin.post(report_url(submitted, "void/"), {"reason": "x"}, format="json").status_code == 409  # unsigned
    services.report_sign_off(actor=users["customer"], report=submitted, password=password, signer_name="Cara C",
                             request=_request(users["customer"]))
    response = admin.post(report_url(submitted, "void/"), {"reason": "Wrong parts listed"}, format="json")
    assert response.status_code == 200 and response.data["status"] == "submitted"
    assert response.data["signature"] is None
    assert ReportSignOff.objects.get().voided_by == users["admin"]


def test_report_codes_list(api, users):
    response = api(users["technician"]).get("/api/v1/report-codes/")
    assert response.status_code == 200
    assert {row["kind"] for row in response.data} == {"symptom", "cause", "action"}
    assert api().get("/api/v1/report-codes/").status_code == 401


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().post("/sign/", REMOTE_ADDR="203.0.113.9")
    request.user = user
    return request


# --- photos ----------------------------------------------------------------------------------

def _jpeg(name="r.jpg"):
    return SimpleUploadedFile(name, image_bytes(), content_type="image/jpeg")


def test_author_adds_and_removes_photos_on_a_draft(api, users, draft):
    tech = api(users["technician"])
    response = tech.post(report_url(draft, "photos/"), {"photos": [_jpeg(), _jpeg("b.jpg")]}, format="multipart")
    assert response.status_code == 201, response.data
    assert len(response.data["photos"]) == 2 and draft.photos.count() == 2
    photo = response.data["photos"][0]
    image = tech.get(photo["file_url"])
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    assert tech.get(photo["thumbnail_url"]).status_code == 200
    response = tech.patch(report_url(draft), {"remove_photos": [photo["id"]]}, format="json")
    assert response.status_code == 200 and photo["id"] not in [p["id"] for p in response.data["photos"]]
    assert draft.photos.count() == 1
    bad = tech.post(report_url(draft, "photos/"), {"photos": [SimpleUploadedFile("x.jpg", b"not an image")]},
                    format="multipart")
    assert bad.status_code == 400 and draft.photos.count() == 1


@pytest.mark.parametrize("role", ["admin", "engineer", "customer"])
def test_others_cannot_add_photos(api, users, draft, role):
    response = api(users[role]).post(report_url(draft, "photos/"), {"photos": [_jpeg()]}, format="multipart")
    assert response.status_code == 403
    assert not draft.photos.exists()


def test_photos_of_a_submitted_report_are_frozen_and_private(api, users, submitted):
    tech = api(users["technician"])
    assert tech.post(report_url(submitted, "photos/"), {"photos": [_jpeg()]}, format="multipart").status_code == 409
    assert not submitted.photos.exists()
    other = make_user(Role.CUSTOMER)
    assert api(other).get(report_url(submitted, "photos/")).status_code == 404


def test_report_photo_files_follow_the_report_rules(api, users, job, password):
    report = services.report_create(actor=users["technician"], ticket=job, photos=[_jpeg()], **report_fields())
    photo = report.photos.get()
    url = report_url(report, f"photos/{photo.pk}/file/")
    assert api(users["technician"]).get(url).status_code == 200
    assert api(users["customer"]).get(url).status_code == 403  # a draft: not for the requester yet
    assert api(make_user(Role.CUSTOMER)).get(url).status_code == 404
    services.report_submit(actor=users["technician"], report=report)
    assert api(users["customer"]).get(url).status_code == 200
    assert api().get(url).status_code == 401
