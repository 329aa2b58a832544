"""Messages in the API: the same partners, edit window and notifications as the conversation pages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Message, Notification
from tickets.tests.conftest import make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(users):
    return make_ticket(requester=users["customer"], status="assigned", assignee=users["technician"])


def test_requester_and_assignee_write_to_each_other(api, users, job, django_capture_on_commit_callbacks):
    customer, tech = api(users["customer"]), api(users["technician"])
    with django_capture_on_commit_callbacks(execute=True):
        sent = customer.post(f"/api/v1/conversations/{users['technician'].pk}/send/", {"body": "When?"})
    assert sent.status_code == 201 and sent.json()["body"] == "When?"
    assert Notification.objects.filter(recipient=users["technician"], event="message").exists()
    rows = tech.get("/api/v1/conversations/").json()["results"]
    assert rows[0]["other"]["id"] == users["customer"].pk and rows[0]["unread"] == 1
    assert rows[0]["last_body"] == "When?"
    thread = tech.get(f"/api/v1/conversations/{users['customer'].pk}/").json()["results"]
    assert [m["body"] for m in thread] == ["When?"]
    assert tech.get("/api/v1/conversations/").json()["results"][0]["unread"] == 1  # reading (GET) changes nothing
    assert tech.get(f"/api/v1/conversations/{users['customer'].pk}/read/").status_code == 405
    marked = tech.post(f"/api/v1/conversations/{users['customer'].pk}/read/")
    assert marked.status_code == 200 and marked.json() == {"marked": 1}
    assert tech.get("/api/v1/conversations/").json()["results"][0]["unread"] == 0
    assert customer.post(f"/api/v1/conversations/{users['engineer'].pk}/read/").status_code == 404  # a stranger
    contacts = [p["id"] for p in customer.get("/api/v1/contacts/").json()["results"]]
    assert users["technician"].pk in contacts and users["engineer"].pk not in contacts


def test_strangers_are_404_and_blank_messages_400(api, users, job):
    customer = api(users["customer"])
    assert customer.post(f"/api/v1/conversations/{users['engineer'].pk}/send/", {"body": "hi"}).status_code == 404
    assert customer.get(f"/api/v1/conversations/{users['engineer'].pk}/").status_code == 404
    blank = customer.post(f"/api/v1/conversations/{users['admin'].pk}/send/", {"body": "   "})
    assert blank.status_code == 400 and "body" in blank.json()["errors"]
    assert not Message.objects.exists()
    assert api().get("/api/v1/conversations/").status_code == 401


def test_edit_and_delete_only_own_and_within_the_window(api, users, job):
    message = Message.objects.create(sender=users["customer"], recipient=users["technician"], body="typo")
    customer = api(users["customer"])
    assert customer.patch(f"/api/v1/messages/{message.pk}/", {"body": "fixed"}).json()["body"] == "fixed"
    assert api(users["technician"]).delete(f"/api/v1/messages/{message.pk}/").status_code == 404
    Message.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(days=1))
    assert customer.patch(f"/api/v1/messages/{message.pk}/", {"body": "late"}).status_code == 409
    assert customer.delete(f"/api/v1/messages/{message.pk}/").status_code == 409
    fresh = Message.objects.create(sender=users["customer"], recipient=users["technician"], body="oops")
    assert customer.delete(f"/api/v1/messages/{fresh.pk}/").status_code == 204
    assert not Message.objects.filter(pk=fresh.pk).exists()
