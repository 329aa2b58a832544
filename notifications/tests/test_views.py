"""Pages x roles: the bell, the notification centre, settings, messages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from notifications import services
from notifications.models import Event, Message, Notification, Preference
from notifications.tests import helpers
from tickets.models import Status

ROLES = [r.value for r in Role]


def _notify(user, n=1, **kw):
    return [Notification.objects.create(recipient=user, event=Event.APPROVED, title=f"Note {i}", url="/", **kw)
            for i in range(n)]


def test_bell_stops_polling_when_the_session_is_gone(client, db):
    response = client.get(reverse("notifications:bell"), HTTP_HX_REQUEST="true")
    assert response.status_code == 286 and response.content == b""


@pytest.mark.parametrize("name", ["notifications:list", "notifications:preferences",
                                  "notifications:inbox", "notifications:contacts"])
def test_anonymous_is_sent_to_login(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/accounts/login" in response["Location"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["notifications:list", "notifications:preferences", "notifications:inbox",
                                  "notifications:contacts", "dashboard"])
def test_every_role_sees_its_pages(client_for, users, role, name, django_assert_max_num_queries):
    _notify(users[role], 3)
    c = client_for(users[role])
    # The dashboard's total (every app's panels) is held in helpdesk/tests/test_dashboard_budget.py.
    with django_assert_max_num_queries(100 if name == "dashboard" else 12):
        response = c.get(reverse(name))
    assert response.status_code == 200
    assert b'id="nav-bell"' in response.content


@pytest.mark.parametrize("role", ROLES)
def test_bell_counts_only_my_unread_visible_notifications(client_for, users, role):
    me = users[role]
    _notify(me, 3)
    _notify(me, 1, read_at=timezone.now())
    _notify(me, 1, visible=False)
    _notify(users["admin" if role != "admin" else "customer"], 5)
    response = client_for(me).get(reverse("notifications:bell"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b'data-unread="3"' in response.content and b"every 30s" in response.content


def test_list_paginates_and_costs_the_same_whatever_its_size(client_for, customer, django_assert_max_num_queries):
    _notify(customer, 45)
    c = client_for(customer)
    with django_assert_max_num_queries(10):
        page1 = c.get(reverse("notifications:list"))
    assert page1.content.count(b'id="notification-') == 20
    page3 = c.get(reverse("notifications:list") + "?page=3")
    assert page3.content.count(b'id="notification-') == 5
    assert c.get(reverse("notifications:list") + "?page=abc").status_code == 200


def test_open_marks_read_and_goes_to_the_ticket(client_for, customer, admin, django_capture_on_commit_callbacks):
    ticket = helpers.make_ticket(customer)
    with django_capture_on_commit_callbacks(execute=False):
        helpers.transition(ticket, "approve", actor=admin, to_status=Status.APPROVED)
    n = Notification.objects.get(recipient=customer)
    c = client_for(customer)
    url = reverse("notifications:open", args=[n.pk])
    assert f'action="{url}"' in c.get(reverse("notifications:list")).content.decode()  # the title is a POST form
    assert c.get(url).status_code == 405  # a GET changes nothing
    n.refresh_from_db()
    assert not n.is_read
    response = c.post(url)
    assert response.status_code == 302 and response["Location"] == ticket.get_absolute_url()
    n.refresh_from_db()
    assert n.is_read


def test_open_from_the_dashboard_panel_is_a_post(client_for, customer):
    (n,) = _notify(customer)
    html = client_for(customer).get(reverse("dashboard")).content.decode()
    assert f'<form method="post" action="{reverse("notifications:open", args=[n.pk])}">' in html


@pytest.mark.parametrize("role", ["admin", "engineer", "technician"])
def test_someone_elses_notification_is_a_404(client_for, users, customer, role):
    (n,) = _notify(customer)
    c = client_for(users[role])
    assert c.post(reverse("notifications:open", args=[n.pk])).status_code == 404
    assert c.post(reverse("notifications:read", args=[n.pk])).status_code == 404
    n.refresh_from_db()
    assert not n.is_read


def test_mark_read_one_with_htmx_and_all(client_for, customer):
    a, b, c_ = _notify(customer, 3)
    c = client_for(customer)
    response = c.post(reverse("notifications:read", args=[a.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and b"list-group-item-primary" not in response.content
    assert c.get(reverse("notifications:read", args=[a.pk])).status_code == 405
    c.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(recipient=customer, read_at__isnull=True).exists()


def test_mark_read_does_not_redirect_off_site(client_for, customer):
    (n,) = _notify(customer)
    response = client_for(customer).post(reverse("notifications:read", args=[n.pk]),
                                         {"next": "https://evil.example.com/"})
    assert response["Location"] == reverse("notifications:list")


# --- preferences page ---------------------------------------------------------------------

def test_preferences_page_shows_defaults_and_saves(client_for, technician):
    c = client_for(technician)
    page = c.get(reverse("notifications:preferences")).content.decode()
    assert 'name="assigned__sms"' in page and 'name="assigned__sms" id="pref-assigned__sms" checked' in page
    # untick SMS on assignment, keep the rest as shown (what a browser would post)
    import re

    form = {name: "on" for name in re.findall(r'name="(\w+__\w+)" id="pref-\w+" checked', page)}
    assert len(form) > 10
    del form["assigned__sms"]
    response = c.post(reverse("notifications:preferences"), form)
    assert response.status_code == 302
    assert list(Preference.objects.filter(user=technician).values_list("event", "channel", "enabled")) == [
        ("assigned", "sms", False)
    ]


def test_customer_page_offers_no_sms(client_for, customer):
    page = client_for(customer).get(reverse("notifications:preferences")).content.decode()
    assert "__sms" not in page and 'name="approved__email"' in page


def test_admin_edits_anyones_preferences(client_for, admin, technician):
    c = client_for(admin)
    found = c.get(reverse("notifications:preferences") + f"?email={technician.email.upper()}")
    assert found["Location"] == reverse("notifications:user_preferences", args=[technician.pk])
    assert technician.email in c.get(found["Location"]).content.decode()
    c.post(found["Location"], {"assigned__web": "on"})  # everything else off
    assert Preference.objects.get(user=technician, event="assigned", channel="sms").enabled is False


@pytest.mark.parametrize("role", ["engineer", "technician", "customer"])
def test_others_cannot_reach_someone_elses_preferences(client_for, users, admin, role):
    url = reverse("notifications:user_preferences", args=[admin.pk])
    c = client_for(users[role])
    assert c.get(url).status_code == 404
    assert c.post(url, {}).status_code == 404
    assert not Preference.objects.exists()


# --- messages -------------------------------------------------------------------------------

@pytest.fixture
def job(customer, technician):
    return helpers.make_ticket(customer, assignee=technician, status=Status.IN_PROGRESS)


def test_requester_and_assignee_write_to_each_other(client_for, customer, technician, job,
                                                    django_capture_on_commit_callbacks):
    c = client_for(customer)
    url = reverse("notifications:conversation", args=[technician.pk])
    with django_capture_on_commit_callbacks(execute=False):
        response = c.post(url, {"body": "Is the tap fixed?"})
    assert response.status_code == 302
    message = Message.objects.get()
    assert (message.sender, message.recipient) == (customer, technician)
    n = Notification.objects.get(recipient=technician, event=Event.MESSAGE)
    assert n.url == reverse("notifications:conversation", args=[customer.pk])
    assert n.deliveries.filter(channel="email").exists()
    # the technician sees it in the inbox and in the thread: viewing (GET) leaves it unread ...
    t = client_for(technician)
    inbox = t.get(reverse("notifications:inbox")).content.decode()
    read_url = reverse("notifications:conversation_read", args=[customer.pk])
    assert "Is the tap fixed?" in inbox and f'action="{read_url}"' in inbox  # the inbox opens it with a POST
    thread = t.get(reverse("notifications:conversation", args=[customer.pk])).content.decode()
    assert "Is the tap fixed?" in thread and f'hx-post="{read_url}"' in thread  # htmx marks it read on load
    message.refresh_from_db()
    assert message.read_at is None
    # ... opening it (POST, what the inbox row and the page's htmx do) marks it read and shows the thread
    response = t.post(read_url)
    assert response.status_code == 302 and response["Location"] == url.replace(
        str(technician.pk), str(customer.pk)) + "#latest"
    message.refresh_from_db()
    assert message.read_at is not None
    assert f'hx-post="{read_url}"' not in t.get(response["Location"]).content.decode()  # nothing left to mark
    assert t.post(read_url, HTTP_HX_REQUEST="true").content == b""  # htmx: the form swaps itself out


def test_answering_marks_their_messages_read(client_for, customer, technician, job):
    message = Message.objects.create(sender=customer, recipient=technician, body="Any news?")
    response = client_for(technician).post(reverse("notifications:conversation", args=[customer.pk]),
                                           {"body": "On my way."})
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.read_at is not None


def test_outsiders_cannot_mark_a_conversation_read(client_for, customer, engineer, technician, job):
    message = Message.objects.create(sender=customer, recipient=technician, body="Any news?")
    c = client_for(engineer)  # the engineer does not work with the customer on this ticket
    assert c.post(reverse("notifications:conversation_read", args=[customer.pk])).status_code == 404
    assert c.get(reverse("notifications:conversation_read", args=[customer.pk])).status_code == 405
    message.refresh_from_db()
    assert message.read_at is None


def test_strangers_cannot_write(client_for, customer, engineer, user_factory):
    other_customer = user_factory(Role.CUSTOMER)
    c = client_for(customer)
    assert c.get(reverse("notifications:conversation", args=[engineer.pk])).status_code == 404
    assert c.post(reverse("notifications:conversation", args=[other_customer.pk]), {"body": "hi"}).status_code == 404
    assert c.get(reverse("notifications:conversation", args=[999999])).status_code == 404
    assert not Message.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_anyone_can_write_to_an_admin(client_for, users, user_factory, role, django_capture_on_commit_callbacks):
    other_admin = user_factory(Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=False):
        response = client_for(users[role]).post(reverse("notifications:conversation", args=[other_admin.pk]),
                                                {"body": "Hello"})
    assert response.status_code == 302
    assert Message.objects.filter(sender=users[role], recipient=other_admin).exists()


def test_empty_message_shows_an_error_and_keeps_nothing(client_for, customer, technician, job):
    response = client_for(customer).post(reverse("notifications:conversation", args=[technician.pk]), {"body": "  "})
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
    assert not Message.objects.exists()


def test_too_long_message_keeps_the_text(client_for, customer, technician, job):
    text = "x" * 5001
    response = client_for(customer).post(reverse("notifications:conversation", args=[technician.pk]), {"body": text})
    assert response.status_code == 200 and text in response.content.decode()
    assert not Message.objects.exists()


def test_edit_and_delete_within_the_window_only(client_for, customer, technician, job, settings,
                                                django_capture_on_commit_callbacks):
    settings.MESSAGE_EDIT_WINDOW_MINUTES = 15
    with django_capture_on_commit_callbacks(execute=False):
        m = services.message_send(actor=customer, recipient=technician, body="First")
    c = client_for(customer)
    assert c.post(reverse("notifications:message_edit", args=[m.pk]), {"body": "Fixed typo"}).status_code == 302
    m.refresh_from_db()
    assert m.body == "Fixed typo" and m.edited_at is not None
    # the recipient cannot edit or delete it: 404
    t = client_for(technician)
    assert t.post(reverse("notifications:message_edit", args=[m.pk]), {"body": "hacked"}).status_code == 404
    assert t.post(reverse("notifications:message_delete", args=[m.pk])).status_code == 404
    # after the window: refused, unchanged
    Message.objects.filter(pk=m.pk).update(created_at=timezone.now() - timedelta(minutes=16))
    c.post(reverse("notifications:message_edit", args=[m.pk]), {"body": "Too late"})
    c.post(reverse("notifications:message_delete", args=[m.pk]))
    m.refresh_from_db()
    assert m.body == "Fixed typo"
    # within the window: deleted
    Message.objects.filter(pk=m.pk).update(created_at=timezone.now())
    c.post(reverse("notifications:message_delete", args=[m.pk]))
    assert not Message.objects.exists()


def test_inbox_paginates_with_a_fixed_query_count(client_for, admin, user_factory, django_assert_max_num_queries):
    for i in range(25):
        services.message_send(actor=user_factory(Role.CUSTOMER), recipient=admin, body=f"Hello {i}")
    c = client_for(admin)
    with django_assert_max_num_queries(10):
        response = c.get(reverse("notifications:inbox"))
    assert response.content.decode().count("Hello ") == 20
    assert "Hello 24" in response.content.decode()


def test_contacts_for_a_customer_are_admins_and_their_assignee(client_for, customer, technician, job, admin,
                                                               engineer):
    page = client_for(customer).get(reverse("notifications:contacts")).content.decode()
    assert technician.get_full_name() in page and admin.get_full_name() in page
    assert engineer.get_full_name() not in page


def test_bell_also_refreshes_the_unread_messages_badge(client_for, customer, technician, job,
                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        services.message_send(actor=technician, recipient=customer, body="On my way")
    html = client_for(customer).get(reverse("notifications:bell"), HTTP_HX_REQUEST="true").content.decode()
    assert 'id="nav-messages-count" hx-swap-oob="true"' in html and 'data-testid="messages-count">1<' in html


def test_deleting_a_message_takes_its_notification_and_unsent_email_along(
        customer, technician, job, django_capture_on_commit_callbacks):
    from notifications.models import Delivery

    with django_capture_on_commit_callbacks(execute=False):
        m = services.message_send(actor=customer, recipient=technician, body="Wrong person, sorry")
    assert Notification.objects.filter(message=m).exists() and Delivery.objects.exists()
    services.message_delete(actor=customer, message=m)
    assert not Notification.objects.exists() and not Delivery.objects.exists()


def test_editing_a_message_updates_its_notification_and_unsent_email(
        customer, technician, job, django_capture_on_commit_callbacks):
    from notifications.models import Delivery

    with django_capture_on_commit_callbacks(execute=False):
        m = services.message_send(actor=customer, recipient=technician, body="Meet at 10")
    services.message_edit(actor=customer, message=m, body="Meet at 11")
    assert "Meet at 11" in Notification.objects.get(message=m).body
    assert "Meet at 11" in Delivery.objects.get().payload["text"]


@pytest.mark.parametrize("role", ROLES)
def test_conversation_page_per_role_has_a_fixed_cost(client_for, users, user_factory, role,
                                                     django_assert_max_num_queries):
    other_admin = user_factory(Role.ADMIN)
    for i in range(30):
        Message.objects.create(sender=users[role] if i % 2 else other_admin,
                               recipient=other_admin if i % 2 else users[role], body=f"Line {i}")
    c = client_for(users[role])
    with django_assert_max_num_queries(12):
        response = c.get(reverse("notifications:conversation", args=[other_admin.pk]))
    html = response.content.decode()
    assert response.status_code == 200 and "Line 29" in html and "Line 9" not in html  # the latest page
    assert 'id="latest"' in html and "Line 5" in c.get(
        reverse("notifications:conversation", args=[other_admin.pk]) + "?page=1").content.decode()
