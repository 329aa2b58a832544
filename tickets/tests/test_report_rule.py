"""A job whose category needs a service report is resolved only by submitting it: services, page, API, macros."""

import pytest
from django.urls import reverse

from tickets import services, workflow
from tickets.errors import ActionNotAllowed, ReportRequired
from tickets.models import Category, Macro, ReportStatus, Status, TicketEvent
from tickets.services import ticket_transition
from tickets.tests.report_helpers import make_job, report_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def field_work(db):
    return Category.objects.create(name="Repair")  # the default: resolving needs a service report


@pytest.fixture
def phone_fix(db):
    return Category.objects.create(name="IT incident", needs_service_report=False)


def job_in(category, users):
    job = make_job(requester=users["customer"], assignee=users["technician"])
    job.category = category
    job.save(update_fields=["category"])
    return job


def snapshot(ticket):
    ticket.refresh_from_db()
    return ticket.status, ticket.version, ticket.resolved_at, TicketEvent.objects.filter(ticket=ticket).count()


def submit(job, users, **extra):
    report = services.report_create(actor=users["technician"], ticket=job, **report_fields(**extra))
    return services.report_submit(actor=users["technician"], report=report)


# --- services -------------------------------------------------------------------------------

def test_new_categories_need_a_report():
    assert Category(name="Anything").needs_service_report is True


def test_plain_resolve_is_refused_and_changes_nothing(field_work, users):
    job = job_in(field_work, users)
    before = snapshot(job)
    with pytest.raises(ReportRequired) as refused:
        ticket_transition(actor=users["technician"], ticket=job, action="resolve", comment="Fixed it.")
    assert isinstance(refused.value, ActionNotAllowed)  # the API's and the pages' 409
    assert "service report" in refused.value.message
    assert snapshot(job) == before


def test_submitting_the_report_resolves_the_job(field_work, users):
    job = job_in(field_work, users)
    report = submit(job, users)
    job.refresh_from_db()
    assert job.status == Status.RESOLVED and job.resolved_at is not None
    assert report.status == ReportStatus.SUBMITTED
    assert job.events.get(action="resolve").changes["comment"].startswith("Service report, visit 1.")


def test_a_follow_up_report_does_not_open_the_plain_resolve(field_work, users):
    job = job_in(field_work, users)
    submit(job, users, follow_up_needed=True, follow_up_note="Come back with the spare part.")
    job.refresh_from_db()
    assert job.status == Status.IN_PROGRESS
    with pytest.raises(ReportRequired):
        ticket_transition(actor=users["technician"], ticket=job, action="resolve", comment="Done now.")
    submit(job, users)  # visit 2, no follow-up: resolves
    job.refresh_from_db()
    assert job.status == Status.RESOLVED


def test_a_refused_report_is_fixed_and_resubmitted_not_bypassed(field_work, users, password):
    job = job_in(field_work, users)
    report = submit(job, users)
    services.report_refuse(actor=users["customer"], report=report, reason="The tap still drips.")
    job.refresh_from_db()
    assert job.status == Status.IN_PROGRESS
    with pytest.raises(ReportRequired):
        ticket_transition(actor=users["technician"], ticket=job, action="resolve", comment="Done.")
    services.report_update(actor=users["technician"], report=report, action_text="Replaced the cartridge too.")
    services.report_submit(actor=users["technician"], report=report)
    job.refresh_from_db()
    assert job.status == Status.RESOLVED


def test_a_category_without_report_resolves_the_plain_way(phone_fix, users):
    job = job_in(phone_fix, users)
    ticket_transition(actor=users["technician"], ticket=job, action="resolve", comment="Reset over the phone.")
    job.refresh_from_db()
    assert job.status == Status.RESOLVED


def test_the_category_box_is_read_when_acting_not_when_reported(field_work, users):
    job = job_in(field_work, users)
    Category.objects.filter(pk=field_work.pk).update(needs_service_report=False)
    ticket_transition(actor=users["technician"], ticket=job, action="resolve", comment="Done.")
    job.refresh_from_db()
    assert job.status == Status.RESOLVED


@pytest.mark.parametrize("setting", [False, True])
def test_uncategorised_tickets_follow_the_setting(users, settings, setting):
    settings.FIXDESK_UNCATEGORISED_NEEDS_REPORT = setting
    job = make_job(requester=users["customer"], assignee=users["technician"])
    assert job.category_id is None
    if setting:
        with pytest.raises(ReportRequired):
            ticket_transition(actor=users["technician"], ticket=job, action="resolve", comment="Done.")
        submit(job, users)
    else:
        ticket_transition(actor=users["technician"], ticket=job, action="resolve", comment="Done.")
    job.refresh_from_db()
    assert job.status == Status.RESOLVED


def test_others_still_get_the_usual_refusal(field_work, users):
    """The report hint is for the assignee; anyone else is refused for who they are, not for the report."""
    job = job_in(field_work, users)
    with pytest.raises(ActionNotAllowed) as refused:
        ticket_transition(actor=users["admin"], ticket=job, action="resolve", comment="Done.")
    assert not isinstance(refused.value, ReportRequired)
    assert not workflow.waits_for_report(job, users["admin"])
    assert workflow.waits_for_report(job, users["technician"])


def test_a_macro_cannot_resolve_past_the_rule(field_work, users):
    job = make_job(requester=users["customer"], assignee=users["engineer"])  # engineers use macros
    job.category = field_work
    job.save(update_fields=["category"])
    macro = Macro.objects.create(name="Done", body="All fixed, {requester_first_name}.", action="resolve")
    before = snapshot(job)
    with pytest.raises(ReportRequired):
        services.macro_apply(actor=users["engineer"], ticket=job, macro=macro, body="All fixed.")
    assert snapshot(job) == before
    assert not job.comments.exists()


# --- the ticket page --------------------------------------------------------------------------

def test_page_says_why_there_is_no_resolve_button_and_links_to_the_report(field_work, users, client_for):
    job = job_in(field_work, users)
    html = client_for(users["technician"]).get(job.get_absolute_url()).content.decode()
    assert 'id="report-needed"' in html and "this job needs a service report" in html
    assert reverse("tickets:report_create", args=[job.pk]) in html
    assert reverse("tickets:action", args=[job.pk, "resolve"]) not in html
    assert reverse("tickets:action", args=[job.pk, "hold"]) in html
    # Nobody else is told to write a report.
    for role in ("admin", "engineer", "customer"):
        assert 'id="report-needed"' not in client_for(users[role]).get(job.get_absolute_url()).content.decode()


def test_page_offers_resolve_when_the_category_needs_no_report(phone_fix, users, client_for):
    job = job_in(phone_fix, users)
    html = client_for(users["technician"]).get(job.get_absolute_url()).content.decode()
    assert 'id="report-needed"' not in html
    assert reverse("tickets:action", args=[job.pk, "resolve"]) in html


def test_the_hint_costs_no_query(field_work, phone_fix, users, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = client_for(users["technician"])
    job = job_in(field_work, users)
    c.get(job.get_absolute_url())  # warm the session and caches
    counts = []
    for category in (field_work, phone_fix):
        job.category = category
        job.save(update_fields=["category"])
        with CaptureQueriesContext(connection) as queries:
            html = c.get(job.get_absolute_url()).content.decode()
        counts.append(len(queries))
        assert ('id="report-needed"' in html) is category.needs_service_report
    assert counts[0] == counts[1]


def test_posting_resolve_answers_409_with_the_reason(field_work, users, client_for):
    job = job_in(field_work, users)
    before = snapshot(job)
    response = client_for(users["technician"]).post(
        reverse("tickets:action", args=[job.pk, "resolve"]), {"comment": "Fixed.", "version": job.version})
    assert response.status_code == 409
    html = response.content.decode()
    assert "This job needs a service report" in html and 'id="report-needed"' in html
    assert snapshot(job) == before


# --- the API ----------------------------------------------------------------------------------

def test_api_resolve_answers_409_and_lists_no_resolve(field_work, users, client_for):
    job = job_in(field_work, users)
    api = client_for(users["technician"])
    data = api.get(f"/api/v1/tickets/{job.pk}/").json()
    assert "resolve" not in data["available_actions"] and "hold" in data["available_actions"]
    before = snapshot(job)
    response = api.post(f"/api/v1/tickets/{job.pk}/actions/resolve/", {"comment": "Fixed.", "version": job.version},
                        content_type="application/json")
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert "service report" in str(response.json())
    assert snapshot(job) == before


def test_api_resolves_a_job_whose_category_needs_no_report(phone_fix, users, client_for):
    job = job_in(phone_fix, users)
    api = client_for(users["technician"])
    assert "resolve" in api.get(f"/api/v1/tickets/{job.pk}/").json()["available_actions"]
    response = api.post(f"/api/v1/tickets/{job.pk}/actions/resolve/", {"comment": "Reset it.", "version": job.version},
                        content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == Status.RESOLVED
