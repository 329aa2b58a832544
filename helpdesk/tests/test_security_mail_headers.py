"""E-mail header injection: text users control (ticket titles, names) never adds a header line;
every line break, Unicode ones included, is stripped before it reaches a subject."""

import email

import pytest
from django.core import mail

from notifications import tasks
from notifications.models import Delivery
from tickets import services as ticket_services

HOSTILE_TITLES = [
    "Broken lock\r\nBcc: victim@evil.example",
    "Broken lock\nX-Injected: yes",
    "Broken lock\rCc: victim@evil.example",
    "Broken lock\u2028Bcc: victim@evil.example",
    "Broken lock\x85Bcc: victim@evil.example",
    "Broken lock\u2029\r\n\r\n<html>fake body</html>",
]


@pytest.mark.django_db
@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_ticket_title_cannot_inject_mail_headers(users, title, django_capture_on_commit_callbacks):
    from notifications.models import Preference

    with django_capture_on_commit_callbacks(execute=True):
        ticket = ticket_services.ticket_create(actor=users["customer"], title=title,
                                               description="The door does not lock.")
    deliveries = Delivery.objects.filter(notification__ticket=ticket, channel="email")
    assert deliveries.exists(), "a new ticket e-mails the triage staff"
    mail.outbox.clear()
    for delivery in deliveries:
        assert tasks.send_delivery(delivery.pk) == "sent"
    assert mail.outbox
    for message in mail.outbox:
        assert "\n" not in message.subject and "\r" not in message.subject
        assert "\u2028" not in message.subject and "\x85" not in message.subject
        parsed = email.message_from_bytes(message.message().as_bytes())
        assert {k.lower() for k in parsed.keys()} <= {"content-type", "mime-version", "subject", "from", "to",
                                                       "date", "message-id", "auto-submitted", "list-unsubscribe",
                                                       "content-transfer-encoding", "reply-to",
                                                       "x-auto-response-suppress", "precedence",
                                                       "list-unsubscribe-post", "x-fixdesk-delivery"}, parsed.keys()
        assert message.bcc == [] and message.cc == []
        assert "victim@evil.example" not in message.recipients()
    assert Preference  # rules decide who is mailed; the test only needs one delivery


@pytest.mark.django_db
def test_account_mail_subject_has_no_line_breaks(client, django_capture_on_commit_callbacks):
    from django.urls import reverse

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:signup"), {"email": "new.person@example.test", "first_name": "Eve",
                                                 "last_name": "Probe", "password": "a-Long-unusual-passphrase-42"})
    assert mail.outbox
    for message in mail.outbox:
        assert "\n" not in message.subject and "\r" not in message.subject
        assert message.recipients() == ["new.person@example.test"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["Eve\r\nBcc: victim@evil.example", "Eve\nX-Injected: yes"])
def test_names_with_line_breaks_are_refused_at_signup(client, name):
    from django.urls import reverse

    response = client.post(reverse("accounts:signup"), {"email": "eve@example.test", "first_name": name,
                                                        "last_name": "Probe",
                                                        "password": "a-Long-unusual-passphrase-42"})
    assert response.status_code == 200, "the form is shown again with an error"
    assert all("victim@evil.example" not in m.recipients() for m in mail.outbox)
