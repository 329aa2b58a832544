"""One event told to many people costs the same queries whatever their number, and every e-mail is
exactly what rendering the templates for that person gives (the templates render once per event)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from accounts.tests.factories import make_user
from notifications import content
from notifications.models import Channel, Delivery, Event, Notification
from notifications.services import _settings_link, notify
from notifications.tests.helpers import make_ticket


@pytest.mark.parametrize("event", [Event.ESCALATED, Event.ASSIGNED, Event.COMMENT, Event.CREATED])
def test_batched_emails_equal_rendering_each(db, event):
    requester = make_user(Role.CUSTOMER)
    assignee = make_user(Role.TECHNICIAN, first_name="Zoë")
    ticket = make_ticket(requester, assignee=assignee, title="Tap <leaking> & dripping")
    people = [assignee, make_user(Role.ADMIN, first_name="O'Brien & <Co>"), make_user(Role.ADMIN, first_name=""),
              requester]
    extra = {"text": "Any news? <b>now</b>", "level": 2, "reason": "late"}
    context = {"ticket": ticket, "event": event, "link": "https://fixdesk.example/tickets/1/",
               "settings_link": _settings_link()}
    batch = content.EmailBatch(event, context)
    described = content.describe_many(event, people, ticket=ticket, actor=requester, extra=extra)
    for person, (title, text) in zip(people, described, strict=True):
        assert (title, text) == content.describe(event, ticket=ticket, actor=requester, extra=extra, recipient=person)
        expected = content.render_email(event, {**context, "recipient": person, "title": title, "text": text})
        assert batch.render(person, title, text) == expected
    assert "Hello O&#x27;Brien &amp; &lt;Co&gt;," in batch.render(people[1], *described[1])["html"]
    assert "Hello O'Brien & <Co>," in batch.render(people[1], *described[1])["text"]


def _admins(n):
    for _ in range(n):
        make_user(Role.ADMIN, phone="+447911123456")


def test_notify_queries_do_not_grow_with_the_recipients(db, django_capture_on_commit_callbacks):
    requester = make_user(Role.CUSTOMER)
    technician = make_user(Role.TECHNICIAN, phone="+447911123457")
    ticket = make_ticket(requester, assignee=technician)
    counts = []
    for admins in (1, 5):
        _admins(admins - (1 if counts else 0))
        with CaptureQueriesContext(connection) as queries:
            made = notify(event=Event.ESCALATED, ticket=ticket, extra={"level": 1, "reason": "late"})
        counts.append(len(queries))
        assert sorted(n.recipient.role for n in made) == [Role.ADMIN] * admins + [Role.TECHNICIAN]
    assert counts[0] == counts[1]
    # Every notification has its e-mail (and SMS where the rules send one), pointing at it.
    for notification in Notification.objects.all():
        assert Delivery.objects.filter(notification=notification, channel=Channel.EMAIL,
                                       to=notification.recipient.email).count() == 1
    assert Delivery.objects.filter(channel=Channel.SMS).count() >= 1
