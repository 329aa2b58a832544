"""Service reports through the services: write, submit (resolves), sign with the password, refuse, void."""

import hashlib
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import RequestFactory

from accounts.models import Role
from accounts.tests.factories import make_user
from tickets import services, signals
from tickets.errors import ActionNotAllowed
from tickets.models import ReportSignOff, ReportStatus, Status, TicketEvent
from tickets.report_content import report_digest
from tickets.services import ticket_transition
from tickets.tests.conftest import upload
from tickets.tests.report_helpers import codes, make_job, report_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(users):
    return make_job(requester=users["customer"], assignee=users["technician"])


def sign_request(user, ip="203.0.113.9", ua="Mozilla/5.0 (Phone) TestBrowser"):
    request = RequestFactory().post("/sign/", REMOTE_ADDR=ip, HTTP_USER_AGENT=ua)
    request.user = user
    return request


@pytest.fixture
def collected():
    seen = []

    def receiver(sender, signal=None, **kwargs):
        seen.append((signal, kwargs))

    for s in (signals.report_submitted, signals.report_signed, signals.report_refused):
        s.connect(receiver)
    yield seen
    for s in (signals.report_submitted, signals.report_signed, signals.report_refused):
        s.disconnect(receiver)


def submitted(job, users, **extra):
    report = services.report_create(actor=users["technician"], ticket=job, **report_fields(**extra))
    return services.report_submit(actor=users["technician"], report=report)


def test_create_keeps_the_route_estimate_and_parts(job, users, jpeg_upload):
    report = services.report_create(
        actor=users["technician"], ticket=job, photos=[jpeg_upload],
        parts=[{"part_number": "BRG-6204", "description": "Ball bearing", "quantity": Decimal("2")},
               {"part_number": "", "description": "", "quantity": None}],
        **report_fields(),
    )
    assert report.visit == 1 and report.status == ReportStatus.DRAFT
    assert report.travel_estimate_km is not None and report.travel_estimate_km > 0
    assert report.travel_estimate_minutes > 0
    assert [(p.part_number, p.quantity) for p in report.parts.all()] == [("BRG-6204", Decimal("2"))]
    photo = report.photos.get()
    assert photo.sha256 == hashlib.sha256(photo.image.read()).hexdigest()
    assert TicketEvent.objects.filter(ticket=job, action="report_draft").exists()


def test_travel_prefill_comes_from_the_routing_estimate(job, users):
    from facilities.selectors import travel_estimate_for

    estimate = travel_estimate_for(users["technician"], job.site)
    prefill = services.travel_prefill(user=users["technician"], ticket=job)
    assert prefill == {"travel_distance_km": Decimal(str(round(estimate.distance_km, 1))),
                       "travel_minutes": estimate.duration_min}
    assert services.travel_prefill(user=users["engineer"], ticket=job) == {}  # no home site: no guess


@pytest.mark.parametrize("role", ["admin", "engineer", "customer"])
def test_only_the_assignee_writes(job, users, role):
    with pytest.raises(PermissionDenied):
        services.report_create(actor=users[role], ticket=job, **report_fields())
    assert not job.reports.exists()


@pytest.mark.parametrize("status", [Status.NEW, Status.ASSIGNED, Status.RESOLVED, Status.CLOSED])
def test_no_report_outside_the_work(users, status):
    ticket = make_job(requester=users["customer"], assignee=users["technician"], status=status)
    with pytest.raises(PermissionDenied):
        services.report_create(actor=users["technician"], ticket=ticket, **report_fields())


@pytest.mark.parametrize("field,value,error_field", [
    ("symptom", None, "symptom"),
    ("departed_at", "before", "departed_at"),
    ("labour_minutes", -5, "labour_minutes"),
    ("follow_up_needed", True, "follow_up_note"),
    ("cause", "symptom_code", "cause"),
])
def test_invalid_fields_write_nothing(job, users, field, value, error_field):
    fields = report_fields()
    if value == "before":
        value = fields["arrived_at"].replace(year=fields["arrived_at"].year - 1)
    if value == "symptom_code":
        value = codes()["symptom"]
    fields[field] = value
    with pytest.raises(ValidationError) as exc:
        services.report_create(actor=users["technician"], ticket=job, **fields)
    assert error_field in exc.value.error_dict
    assert not job.reports.exists()


def test_bad_photo_or_part_writes_nothing(job, users):
    with pytest.raises(ValidationError):
        services.report_create(actor=users["technician"], ticket=job,
                               photos=[upload("x.jpg", b"not an image")], **report_fields())
    with pytest.raises(ValidationError):
        services.report_create(actor=users["technician"], ticket=job,
                               parts=[{"description": "Seal", "part_number": "", "quantity": Decimal("0")}],
                               **report_fields())
    assert not job.reports.exists()


def test_submit_resolves_through_the_workflow_and_announces(job, users, collected):
    report = submitted(job, users)
    job.refresh_from_db()
    assert job.status == Status.RESOLVED and job.resolved_at is not None
    event = TicketEvent.objects.filter(ticket=job).latest("id")
    assert (event.action, event.from_status, event.to_status) == ("resolve", Status.IN_PROGRESS, Status.RESOLVED)
    assert "Replaced the bearing" in event.changes["comment"]
    assert report.status == ReportStatus.SUBMITTED and report.submitted_at
    assert [(s, kw["report"].pk) for s, kw in collected] == [(signals.report_submitted, report.pk)]


def test_follow_up_visit_keeps_the_job_open_and_the_next_visit_resolves(job, users):
    first = submitted(job, users, follow_up_needed=True, follow_up_note="Order a new impeller")
    job.refresh_from_db()
    assert job.status == Status.IN_PROGRESS and first.status == ReportStatus.SUBMITTED
    second = submitted(job, users)
    job.refresh_from_db()
    assert second.visit == 2 and job.status == Status.RESOLVED


def test_one_draft_at_a_time(job, users):
    services.report_create(actor=users["technician"], ticket=job, **report_fields())
    with pytest.raises(ActionNotAllowed):
        services.report_create(actor=users["technician"], ticket=job, **report_fields())


def test_sign_off_requires_the_password_and_stores_the_evidence(job, users, password, collected):
    report = submitted(job, users)
    customer = users["customer"]
    with pytest.raises(services.WrongPassword):
        services.report_sign_off(actor=customer, report=report, password="wrong-password", signer_name="Cara Customer",
                                 request=sign_request(customer))
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and not ReportSignOff.objects.exists()
    digest = report_digest(report)
    signoff = services.report_sign_off(actor=customer, report=report, password=password,
                                       signer_name="  Cara   Customer ", request=sign_request(customer))
    report.refresh_from_db()
    assert report.status == ReportStatus.SIGNED
    assert (signoff.signer, signoff.signer_name, signoff.ip_address) == (customer, "Cara Customer", "203.0.113.9")
    assert signoff.user_agent == "Mozilla/5.0 (Phone) TestBrowser"
    assert signoff.content_digest == digest and len(digest) == 64
    job.refresh_from_db()
    assert job.status == Status.RESOLVED  # the admin closes ("processes") it
    assert [s for s, _ in collected][-1] is signals.report_signed


def test_wrong_passwords_count_toward_the_login_lockout(job, users, client, settings):
    from axes.models import AccessAttempt

    report = submitted(job, users)
    customer = users["customer"]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        with pytest.raises(services.WrongPassword):
            services.report_sign_off(actor=customer, report=report, password="nope-nope", signer_name="Cara",
                                     request=sign_request(customer))
    attempt = AccessAttempt.objects.get(username=customer.email.lower())
    assert attempt.failures_since_start >= settings.AXES_FAILURE_LIMIT


def test_only_the_requester_signs(job, users, password):
    report = submitted(job, users)
    for role in ("admin", "engineer", "technician"):
        with pytest.raises(ActionNotAllowed):
            services.report_sign_off(actor=users[role], report=report, password=password, signer_name="Someone",
                                     request=sign_request(users[role]))
    with pytest.raises(ValidationError):
        services.report_sign_off(actor=users["customer"], report=report, password=password, signer_name="",
                                 request=sign_request(users["customer"]))


def test_signed_reports_are_immutable(job, users, password):
    report = submitted(job, users)
    services.report_sign_off(actor=users["customer"], report=report, password=password, signer_name="Cara",
                             request=sign_request(users["customer"]))
    with pytest.raises(ActionNotAllowed):
        services.report_update(actor=users["technician"], report=report, action_text="changed")
    with pytest.raises(ActionNotAllowed):
        services.report_submit(actor=users["technician"], report=report)
    report.refresh_from_db()
    assert report.action_text.startswith("Replaced")
    # The database holds one valid signature per report at most.
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportSignOff.objects.create(report=report, outcome="signed", signer=users["customer"], signer_name="X",
                                     content_digest="0" * 64)


def test_refusal_sends_the_job_back_and_the_technician_resubmits(job, users, password, collected):
    report = submitted(job, users)
    with pytest.raises(ValidationError):
        services.report_refuse(actor=users["customer"], report=report, reason="  ")
    services.report_refuse(actor=users["customer"], report=report, reason="Still noisy at night",
                           request=sign_request(users["customer"]))
    job.refresh_from_db()
    report.refresh_from_db()
    assert job.status == Status.IN_PROGRESS and job.resolved_at is None
    assert report.status == ReportStatus.REFUSED
    event = TicketEvent.objects.filter(ticket=job).latest("id")
    assert (event.action, event.to_status, event.changes["comment"]) == (
        "refuse_report", Status.IN_PROGRESS, "Still noisy at night")
    assert collected[-1][0] is signals.report_refused and collected[-1][1]["reason"] == "Still noisy at night"
    services.report_update(actor=users["technician"], report=report, action_text="Also fixed the mounting")
    services.report_submit(actor=users["technician"], report=report)
    job.refresh_from_db()
    assert job.status == Status.RESOLVED


def test_the_refuse_transition_is_not_a_button(job, users):
    from tickets import workflow

    report = submitted(job, users)
    job.refresh_from_db()
    assert "refuse_report" not in [t.action for t in workflow.available_actions(job, users["customer"])]
    with pytest.raises(ActionNotAllowed):
        ticket_transition(actor=users["customer"], ticket=job, action="refuse_report", comment="no")
    assert report.status == ReportStatus.SUBMITTED


def test_admin_voids_and_a_new_signoff_is_asked(job, users, password, settings, collected):
    settings.FIXDESK_CLOSE_ON_SIGNOFF = True
    report = submitted(job, users)
    services.report_sign_off(actor=users["customer"], report=report, password=password, signer_name="Cara",
                             request=sign_request(users["customer"]))
    job.refresh_from_db()
    assert job.status == Status.CLOSED  # closed automatically on sign-off
    for role in ("engineer", "customer", "technician"):
        with pytest.raises(ActionNotAllowed):
            services.report_void(actor=users[role], report=report, reason="x")
    with pytest.raises(ValidationError):
        services.report_void(actor=users["admin"], report=report, reason="")
    services.report_void(actor=users["admin"], report=report, reason="Signed by the wrong person")
    report.refresh_from_db()
    job.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and job.status == Status.RESOLVED
    old = ReportSignOff.objects.get()
    assert old.voided_by == users["admin"] and old.void_reason == "Signed by the wrong person"
    assert collected[-1][0] is signals.report_submitted
    services.report_sign_off(actor=users["customer"], report=report, password=password, signer_name="Cara C",
                             request=sign_request(users["customer"]))
    assert ReportSignOff.objects.filter(outcome="signed", voided_at__isnull=True).count() == 1


def test_digest_changes_with_the_content(job, users):
    report = services.report_create(actor=users["technician"], ticket=job, **report_fields())
    before = report_digest(report)
    assert before == report_digest(report)
    services.report_update(actor=users["technician"], report=report, labour_minutes=80)
    report.refresh_from_db()
    assert report_digest(report) != before


def test_engineer_who_is_not_assigned_cannot_edit(job, users):
    report = services.report_create(actor=users["technician"], ticket=job, **report_fields())
    other = make_user(Role.TECHNICIAN)
    for actor in (users["engineer"], users["admin"], other):
        with pytest.raises(PermissionDenied):
            services.report_update(actor=actor, report=report, action_text="x")


def test_a_new_assignee_is_not_blocked_by_the_previous_ones_draft(job, users):
    services.report_create(actor=users["technician"], ticket=job, **report_fields())
    newcomer = make_user(Role.TECHNICIAN)
    job.assignee = newcomer
    job.save()
    report = services.report_create(actor=newcomer, ticket=job, **report_fields())
    assert report.visit == 2
    services.report_submit(actor=newcomer, report=report)
    job.refresh_from_db()
    assert job.status == Status.RESOLVED


def test_reports_submitted_leaves_out_drafts_and_refused(job, users, password):
    from tickets.report_selectors import reports_submitted

    first = submitted(job, users, follow_up_needed=True, follow_up_note="Come back with a seal")
    draft = services.report_create(actor=users["technician"], ticket=job, **report_fields())
    assert list(reports_submitted(equipment=job.equipment)) == [first]
    final = services.report_submit(actor=users["technician"], report=draft)
    services.report_refuse(actor=users["customer"], report=final, reason="Still leaking")
    assert list(reports_submitted()) == [first]
