"""The rule table applied end to end: signal -> Notification rows and outbox deliveries per person."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts.models import Role
from notifications import rules, services
from notifications.models import Channel, Delivery, Event, Notification, Preference
from notifications.tests import helpers
from tickets.models import Status

WEB, EMAIL, SMS = "web", "email", "sms"


@pytest.fixture
def cast(db, user_factory):
    """Requester (customer), assignee (technician), an admin with a phone, an uninvolved engineer."""
    return {
        "customer": user_factory(Role.CUSTOMER),
        "technician": user_factory(Role.TECHNICIAN),
        "admin": user_factory(Role.ADMIN, phone="+447911123456"),
        "engineer": user_factory(Role.ENGINEER),
    }


def heard(cast) -> dict:
    """{role: set of channels} each person of the cast received."""
    out = {}
    for role, user in cast.items():
        channels = set()
        for n in Notification.objects.filter(recipient=user):
            if n.visible:
                channels.add(WEB)
            channels.update(n.deliveries.values_list("channel", flat=True))
        if channels:
            out[role] = channels
    return out


def _assigned(cast, **kw):
    return helpers.make_ticket(cast["customer"], assignee=cast["technician"], status=Status.IN_PROGRESS, **kw)


SCENARIOS = {
    "created": (
        lambda c: helpers.create(c["customer"]),
        {"admin": {WEB, EMAIL}},
    ),
    "approved": (
        lambda c: helpers.transition(helpers.make_ticket(c["customer"]), "approve", actor=c["admin"],
                                     to_status=Status.APPROVED, comment="OK"),
        {"customer": {WEB, EMAIL}},
    ),
    "rejected": (
        lambda c: helpers.transition(helpers.make_ticket(c["customer"]), "reject", actor=c["admin"],
                                     to_status=Status.REJECTED, comment="Duplicate"),
        {"customer": {WEB, EMAIL}},
    ),
    "assigned": (
        lambda c: helpers.transition(helpers.make_ticket(c["customer"], status=Status.APPROVED), "assign",
                                     actor=c["admin"], assignee=c["technician"], to_status=Status.ASSIGNED),
        {"technician": {SMS, WEB, EMAIL}, "customer": {WEB}},
    ),
    "taken by an engineer (actor hears nothing)": (
        lambda c: helpers.transition(helpers.make_ticket(c["customer"], status=Status.APPROVED), "take",
                                     actor=c["engineer"], assignee=c["engineer"], to_status=Status.ASSIGNED),
        {"customer": {WEB}},
    ),
    "started": (
        lambda c: helpers.transition(_assigned(c, ), "start", actor=c["technician"], to_status=Status.IN_PROGRESS),
        {"customer": {WEB}},
    ),
    "put on hold by an admin": (
        lambda c: helpers.transition(_assigned(c), "hold", actor=c["admin"], to_status=Status.ON_HOLD,
                                     comment="Parts"),
        {"customer": {WEB}, "technician": {WEB}},
    ),
    "priority raised by an admin": (
        lambda c: helpers.update(_assigned(c), actor=c["admin"], changes={"priority": ["normal", "urgent"]}),
        {"customer": {WEB}, "technician": {WEB}},
    ),
    "only the version changed: nobody hears": (
        lambda c: helpers.update(_assigned(c), actor=c["admin"], changes={"version": [1, 2]}),
        {},
    ),
    "report submitted": (
        lambda c: helpers.report(_assigned(c), "report_submitted", actor=c["technician"]),
        {"customer": {WEB, EMAIL}},
    ),
    "report signed": (
        lambda c: helpers.report(_assigned(c), "report_signed", actor=c["customer"]),
        {"technician": {WEB}, "admin": {WEB}},
    ),
    "report refused": (
        lambda c: helpers.report(_assigned(c), "report_refused", actor=c["customer"]),
        {"technician": {WEB}, "admin": {WEB}},
    ),
    "escalated by the sweep": (
        lambda c: helpers.escalate(_assigned(c)),
        {"admin": {WEB, EMAIL, SMS}, "technician": {WEB, EMAIL, SMS}},
    ),
    "escalated again (level 2): the admins only": (
        lambda c: helpers.escalate(_assigned(c), level=2),
        {"admin": {WEB, EMAIL, SMS}},
    ),
    "customer comments on an assigned ticket": (
        lambda c: helpers.comment(_assigned(c), author=c["customer"]),
        {"technician": {WEB, EMAIL}},
    ),
    "customer comments on an unassigned ticket": (
        lambda c: helpers.comment(helpers.make_ticket(c["customer"]), author=c["customer"]),
        {"admin": {WEB}},
    ),
    "staff answers the customer": (
        lambda c: helpers.comment(_assigned(c), author=c["admin"]),
        {"customer": {WEB, EMAIL}, "technician": {WEB, EMAIL}},
    ),
    "internal note never reaches the customer": (
        lambda c: helpers.comment(_assigned(c), author=c["admin"], internal=True),
        {"technician": {WEB, EMAIL}},
    ),
}


@pytest.mark.django_db(transaction=False)
@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_who_hears_what(cast, scenario, django_capture_on_commit_callbacks):
    act, expected = SCENARIOS[scenario]
    with django_capture_on_commit_callbacks(execute=False):
        act(cast)
    assert heard(cast) == expected


def test_every_event_kind_has_a_rule_and_templates():
    from django.template.loader import get_template

    for event in Event:
        assert rules.rules_for(event), event
        get_template(f"notifications/email/{event}.txt")
        get_template(f"notifications/email/{event}.html")


def test_rollback_leaves_no_notification_and_queues_nothing(cast, django_capture_on_commit_callbacks):
    ticket = helpers.make_ticket(cast["customer"], status=Status.APPROVED)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                helpers.transition(ticket, "assign", actor=cast["admin"], assignee=cast["technician"],
                                   to_status=Status.ASSIGNED)
                raise RuntimeError("the service failed after the signal")
    assert Notification.objects.count() == 0
    assert Delivery.objects.count() == 0
    assert callbacks == []


def test_deliveries_are_queued_only_on_commit(cast, django_capture_on_commit_callbacks):
    from facilities.models import Site

    site = Site.objects.create(name="Harbour House")
    ticket = helpers.make_ticket(cast["customer"], status=Status.APPROVED, site=site, priority="urgent")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        helpers.transition(ticket, "assign", actor=cast["admin"], assignee=cast["technician"],
                           to_status=Status.ASSIGNED)
    assert len(callbacks) == 1
    sms = Delivery.objects.get(channel=Channel.SMS)
    assert sms.to == str(cast["technician"].phone.as_e164)
    assert sms.payload["text"].startswith(f"Fixdesk: New job for you: {ticket.reference}")
    assert "Urgent priority, Harbour House" in sms.payload["text"] and len(sms.payload["text"]) <= 160
    assert sms.payload["text"].endswith(f"/tickets/{ticket.pk}/")
    customer_note = Notification.objects.get(recipient=cast["customer"])
    assert customer_note.title.endswith(f"assigned to {cast['technician'].get_full_name()}")
    mail = Delivery.objects.get(channel=Channel.EMAIL)
    assert mail.to == cast["technician"].email
    assert ticket.reference in mail.payload["subject"]
    assert f"/tickets/{ticket.pk}/" in mail.payload["text"] and f"/tickets/{ticket.pk}/" in mail.payload["html"]
    assert "Site: Harbour House" in mail.payload["text"] and "Harbour House" in mail.payload["html"]


# --- preferences ------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("role", "event", "channel", "default"),
    [
        (Role.TECHNICIAN, Event.ASSIGNED, Channel.SMS, True),
        (Role.ENGINEER, Event.ASSIGNED, Channel.SMS, True),
        (Role.ADMIN, Event.ESCALATED, Channel.SMS, True),
        (Role.TECHNICIAN, Event.ASSIGNED, Channel.EMAIL, True),
        (Role.CUSTOMER, Event.APPROVED, Channel.EMAIL, True),
        (Role.CUSTOMER, Event.APPROVED, Channel.WEB, True),
    ],
)
def test_defaults(role, event, channel, default):
    assert rules.default_enabled(role, event, channel) is default


def test_customers_are_never_offered_sms_and_field_staff_are():
    assert all(Channel.SMS not in chans for chans in rules.channels_for_role(Role.CUSTOMER).values())
    assert Channel.SMS in rules.channels_for_role(Role.TECHNICIAN)[Event.ASSIGNED]
    assert Event.CREATED not in rules.channels_for_role(Role.CUSTOMER)


def test_switching_sms_off_stops_the_sms_only(cast, django_capture_on_commit_callbacks):
    tech = cast["technician"]
    services.preferences_set(actor=tech, user=tech, choices={("assigned", "sms"): False})
    with django_capture_on_commit_callbacks(execute=False):
        helpers.transition(helpers.make_ticket(cast["customer"], status=Status.APPROVED), "assign",
                           actor=cast["admin"], assignee=tech, to_status=Status.ASSIGNED)
    assert heard(cast)["technician"] == {WEB, EMAIL}


def test_switching_web_off_hides_the_notification_but_still_emails(cast, django_capture_on_commit_callbacks):
    customer = cast["customer"]
    services.preferences_set(actor=customer, user=customer, choices={("approved", "web"): False})
    with django_capture_on_commit_callbacks(execute=False):
        helpers.transition(helpers.make_ticket(customer), "approve", actor=cast["admin"], to_status=Status.APPROVED)
    assert heard(cast)["customer"] == {EMAIL}


def test_everything_off_writes_nothing(cast, django_capture_on_commit_callbacks):
    customer = cast["customer"]
    services.preferences_set(actor=customer, user=customer,
                             choices={("approved", "web"): False, ("approved", "email"): False})
    with django_capture_on_commit_callbacks(execute=False):
        helpers.transition(helpers.make_ticket(customer), "approve", actor=cast["admin"], to_status=Status.APPROVED)
    assert not Notification.objects.filter(recipient=customer).exists()


def test_default_choices_store_no_rows_and_reset_removes_them(cast):
    tech = cast["technician"]
    services.preferences_set(actor=tech, user=tech, choices={("assigned", "sms"): False})
    assert Preference.objects.filter(user=tech).count() == 1
    services.preferences_set(actor=tech, user=tech, choices={("assigned", "sms"): True})
    assert Preference.objects.filter(user=tech).count() == 0


def test_admin_may_set_anyones_preferences_others_may_not(cast):
    tech = cast["technician"]
    services.preferences_set(actor=cast["admin"], user=tech, choices={("assigned", "email"): False})
    assert Preference.objects.get(user=tech).enabled is False
    for role in ("customer", "engineer"):
        with pytest.raises(PermissionDenied):
            services.preferences_set(actor=cast[role], user=tech, choices={("assigned", "email"): True})


def test_a_setting_the_role_is_not_offered_is_refused(cast):
    from django.core.exceptions import ValidationError

    customer = cast["customer"]
    with pytest.raises(ValidationError):
        services.preferences_set(actor=customer, user=customer, choices={("assigned", "sms"): True})


def test_inactive_people_hear_nothing(cast, django_capture_on_commit_callbacks):
    cast["admin"].is_active = False
    cast["admin"].save()
    with django_capture_on_commit_callbacks(execute=False):
        helpers.create(cast["customer"])
    assert heard(cast) == {}


def test_resolve_and_report_submitted_are_announced_once(cast, django_capture_on_commit_callbacks):
    ticket = _assigned(cast)
    with django_capture_on_commit_callbacks(execute=False):
        helpers.transition(ticket, "resolve", actor=cast["technician"], to_status=Status.RESOLVED)
        helpers.report(ticket, "report_submitted", actor=cast["technician"])
    assert Notification.objects.filter(recipient=cast["customer"]).count() == 1


def test_docs_show_the_rule_table():
    from pathlib import Path

    from django.conf import settings

    docs = (Path(settings.BASE_DIR) / "docs" / "notifications.md").read_text()
    assert rules.rule_table_markdown() in docs


def test_user_text_is_escaped_in_html_email_and_plain_in_text(cast, django_capture_on_commit_callbacks):
    ticket = _assigned(cast)
    with django_capture_on_commit_callbacks(execute=False):
        helpers.comment(ticket, author=cast["customer"], body='<script>alert("x")</script> & more')
    payload = Delivery.objects.get(channel=Channel.EMAIL).payload
    assert "<script>" not in payload["html"] and "&lt;script&gt;" in payload["html"]
    assert '<script>alert("x")</script> & more' in payload["text"]
