"""Access-control matrix: every route from the resolver x anonymous and each role, on objects the
user reaches ("mine": the customer's own ticket, worked by the technician) and on objects out of
reach ("theirs": another customer's ticket, worked by another technician).

A new route without a row in EXPECT fails ``test_every_route_has_an_expectation``; rows for
routes that no longer exist fail too. Statuses are (anonymous, admin, engineer, technician,
customer). GET only: every write is POST (``test_no_state_change_on_get`` proves GET writes
nothing), and the POST side of the object routes is checked by ``test_outsiders_cannot_post``.
"""

import pytest
from django.test import Client
from django.urls import reverse

from helpdesk.tests.routes import all_routes

ROLE_ORDER = ("anon", "admin", "engineer", "technician", "customer")
LOGIN = 302  # anonymous on a page: redirect to the login page


def _kw(route, w, whose):
    """URL kwargs for ``route`` pointing at the ``whose`` ("mine"/"theirs") object."""
    name, kw = route.name, {}
    ticket = w.mine if whose == "mine" else w.theirs
    person = w.customer if whose == "mine" else w.other
    for arg in route.kwargs:
        if arg == "pk":
            if name.startswith("api:ticket-report"):
                kw[arg] = w.reports[whose].pk
            elif name.startswith(("tickets:macro", "api:macro")):
                kw[arg] = w.macro.pk
            elif name.startswith(("tickets:", "api:ticket-")):
                kw[arg] = ticket.pk
            elif name.startswith(("knowledge:", "api:article-")):
                kw[arg] = w.article.pk
            elif name.startswith(("notifications:message", "api:message")):
                kw[arg] = w.messages[whose].pk
            elif name.startswith(("notifications:", "api:notification")):
                kw[arg] = w.notes[whose].pk
            elif name.startswith(("accounts:person", "api:user-")):
                kw[arg] = person.pk
            elif name in ("accounts:organization_edit", "api:organization-detail"):
                kw[arg] = w.org.pk
            elif "equipment-model" in name or name.startswith("facilities:model"):
                kw[arg] = w.model.pk
            elif "equipment" in name:
                kw[arg] = w.equipment.pk
            elif "location" in name:
                kw[arg] = w.location.pk
            elif "site" in name:
                kw[arg] = w.site.pk
            elif "vehicle" in name:
                kw[arg] = w.vehicle.pk
            elif name.startswith("api:sla-policy"):
                kw[arg] = w.sla_policy.pk
            elif name.startswith("api:working-calendar"):
                kw[arg] = w.calendar.pk
            elif name in ("facilities:staff_edit", "api:staff-detail"):
                kw[arg] = w.technician.pk
            else:
                raise AssertionError(f"No object for {name}:{arg}: extend _kw()")
        elif arg == "photo_pk":
            kw[arg] = (w.report_photos if "report" in name else w.photos)[whose].pk
        elif arg == "report_pk":
            kw[arg] = w.reports[whose].pk
        elif arg == "ticket_pk":
            kw[arg] = ticket.pk
        elif arg == "site_pk":
            kw[arg] = w.site.pk
        elif arg == "user_id":
            kw[arg] = person.pk
        elif arg == "action":
            kw[arg] = "start" if name.startswith("tickets:") else "publish"
        elif arg == "kind":
            kw[arg] = "equipment"
        elif arg == "role":
            kw[arg] = "customer"
        elif arg in ("token", "uidb64"):
            kw[arg] = "bogus-token"
        elif arg == "rest":
            kw[arg] = "no/such/endpoint/"
        else:
            raise AssertionError(f"No value for {name}:{arg}: extend _kw()")
    return kw


def _url(route, w, whose="mine"):
    return reverse(route.name, kwargs=_kw(route, w, whose))


def _clients(w):
    clients = {"anon": Client()}
    for role in ROLE_ORDER[1:]:
        c = Client()
        c.force_login(w.users[role], backend="accounts.backends.EmailBackend")
        clients[role] = c
    return clients


def _statuses(route, w, clients, whose="mine"):
    url = _url(route, w, whose)
    return tuple(clients[r].get(url).status_code for r in ROLE_ORDER)


# (anon, admin, engineer, technician, customer) for GET on the "mine" objects.
EXPECT = {
    "accounts:confirm": (400, 400, 400, 400, 400),
    "accounts:demo_login": (405, 405, 405, 405, 405),
    "accounts:email_change": (302, 200, 200, 200, 200),
    "accounts:email_change_confirm": (400, 400, 400, 400, 400),
    "accounts:invite_accept": (200, 200, 200, 200, 200),
    "accounts:login": (200, 302, 302, 302, 302),
    "accounts:logout": (405, 405, 405, 405, 405),
    "accounts:organization_edit": (302, 200, 403, 403, 403),
    "accounts:organizations": (302, 200, 403, 403, 403),
    "accounts:password_change": (302, 200, 200, 200, 200),
    "accounts:password_reset": (200, 200, 200, 200, 200),
    "accounts:password_reset_confirm": (200, 200, 200, 200, 200),
    "accounts:password_reset_done": (200, 200, 200, 200, 200),
    "accounts:people": (302, 200, 403, 403, 403),
    "accounts:people_invite": (302, 200, 403, 403, 403),
    "accounts:person": (302, 200, 403, 403, 403),
    "accounts:person_deactivate": (302, 405, 405, 405, 405),
    "accounts:person_reactivate": (302, 405, 405, 405, 405),
    "accounts:person_resend_invitation": (302, 405, 405, 405, 405),
    "accounts:person_role": (302, 405, 405, 405, 405),
    "accounts:profile": (302, 200, 200, 200, 200),
    "accounts:resend_confirmation": (200, 200, 200, 200, 200),
    "accounts:signup": (200, 302, 302, 302, 302),
    "accounts:signup_done": (200, 200, 200, 200, 200),
    "api-docs": (200, 200, 200, 200, 200),
    "api-not-found": (404, 404, 404, 404, 404),
    "api-redoc": (200, 200, 200, 200, 200),
    "api-schema": (200, 200, 200, 200, 200),
    "api:api-root": (401, 200, 200, 200, 200),
    "api:auth-signup": (405, 405, 405, 405, 405),
    "api:auth-token": (405, 405, 405, 405, 405),
    "api:category-list": (401, 200, 200, 200, 200),
    "api:equipment-detail": (401, 200, 200, 200, 403),
    "api:equipment-list": (401, 200, 200, 200, 403),
    "api:equipment-model-detail": (401, 200, 200, 200, 403),
    "api:equipment-model-list": (401, 200, 200, 200, 403),
    "api:location-detail": (401, 200, 200, 200, 403),
    "api:location-list": (401, 200, 200, 200, 403),
    "api:me": (401, 200, 200, 200, 200),
    "api:notification-detail": (401, 404, 404, 404, 200),
    "api:notification-list": (401, 200, 200, 200, 200),
    "api:notification-read": (401, 405, 405, 405, 405),
    "api:notification-read-all": (401, 405, 405, 405, 405),
    "api:notification-unread-count": (401, 200, 200, 200, 200),
    "api:organization-detail": (401, 200, 403, 403, 403),
    "api:organization-list": (401, 200, 403, 403, 403),
    "api:pick-equipment": (401, 400, 400, 400, 400),
    "api:pick-locations": (401, 400, 400, 400, 400),
    "api:pick-sites": (401, 200, 200, 200, 200),
    "api:site-detail": (401, 200, 200, 200, 403),
    "api:site-list": (401, 200, 200, 200, 403),
    "api:ticket-action-approve": (401, 405, 405, 405, 405),
    "api:ticket-action-assign": (401, 405, 405, 405, 405),
    "api:ticket-action-cancel": (401, 405, 405, 405, 405),
    "api:ticket-action-close": (401, 405, 405, 405, 405),
    "api:ticket-action-close_solved": (401, 405, 405, 405, 405),
    "api:ticket-action-hold": (401, 405, 405, 405, 405),
    "api:ticket-action-refuse_report": (401, 405, 405, 405, 405),
    "api:ticket-action-reject": (401, 405, 405, 405, 405),
    "api:ticket-action-reopen": (401, 405, 405, 405, 405),
    "api:ticket-action-resolve": (401, 405, 405, 405, 405),
    "api:ticket-action-resume": (401, 405, 405, 405, 405),
    "api:ticket-action-start": (401, 405, 405, 405, 405),
    "api:ticket-action-take": (401, 405, 405, 405, 405),
    "api:ticket-action-void_signoff": (401, 405, 405, 405, 405),
    "api:ticket-available": (401, 200, 200, 200, 200),
    "api:ticket-comments": (401, 200, 200, 200, 200),
    "api:ticket-detail": (401, 200, 200, 200, 200),
    "api:ticket-events": (401, 200, 200, 200, 200),
    "api:ticket-jobs": (401, 200, 200, 200, 403),
    "api:ticket-list": (401, 200, 200, 200, 200),
    "api:ticket-photo-file": (401, 200, 200, 200, 200),
    "api:ticket-photo-thumbnail": (401, 200, 200, 200, 200),
    "api:ticket-photos": (401, 200, 200, 200, 200),
    "api:ticket-queue": (401, 200, 200, 403, 403),
    "api:user-deactivate": (401, 405, 403, 403, 403),
    "api:user-detail": (401, 200, 403, 403, 403),
    "api:user-list": (401, 200, 403, 403, 403),
    "api:user-reactivate": (401, 405, 403, 403, 403),
    "api:user-resend-invitation": (401, 405, 403, 403, 403),
    "api:user-role": (401, 405, 403, 403, 403),
    "api:vehicle-detail": (401, 200, 200, 200, 403),
    "api:vehicle-list": (401, 200, 200, 200, 403),
    "dashboard": (302, 200, 200, 200, 200),
    "facilities:equipment_create": (302, 200, 403, 403, 403),
    "facilities:equipment_detail": (302, 200, 200, 200, 403),
    "facilities:equipment_edit": (302, 200, 403, 403, 403),
    "facilities:equipment_label": (302, 200, 200, 403, 403),
    "facilities:equipment_list": (302, 200, 200, 200, 403),
    "facilities:equipment_photo": (302, 200, 200, 200, 403),
    "facilities:export_csv": (302, 200, 403, 403, 403),
    "facilities:import_csv": (302, 200, 403, 403, 403),
    "facilities:index": (302, 200, 200, 200, 403),
    "facilities:location_create": (302, 200, 403, 403, 403),
    "facilities:location_delete": (405, 405, 405, 405, 405),
    "facilities:location_detail": (302, 200, 200, 200, 403),
    "facilities:location_edit": (302, 200, 403, 403, 403),
    "facilities:location_labels": (302, 200, 200, 403, 403),
    "facilities:model_create": (302, 200, 403, 403, 403),
    "facilities:model_edit": (302, 200, 403, 403, 403),
    "facilities:model_list": (302, 200, 200, 200, 403),
    "facilities:pick_equipment": (302, 200, 200, 200, 200),
    "facilities:pick_locations": (302, 200, 200, 200, 200),
    "facilities:site_create": (302, 200, 403, 403, 403),
    "facilities:site_detail": (302, 200, 200, 200, 403),
    "facilities:site_edit": (302, 200, 403, 403, 403),
    "facilities:site_labels": (302, 200, 200, 403, 403),
    "facilities:site_list": (302, 200, 200, 200, 403),
    "facilities:staff_create": (302, 200, 403, 403, 403),
    "facilities:staff_edit": (302, 200, 403, 403, 403),
    "facilities:staff_list": (302, 200, 200, 200, 403),
    "facilities:vehicle_create": (302, 200, 403, 403, 403),
    "facilities:vehicle_edit": (302, 200, 403, 403, 403),
    "facilities:vehicle_list": (302, 200, 200, 200, 403),
    "healthz": (200, 200, 200, 200, 200),
    "knowledge:action": (405, 405, 405, 405, 405),
    "knowledge:create": (302, 200, 200, 200, 403),
    "knowledge:deflect": (405, 405, 405, 405, 405),
    "knowledge:detail": (302, 200, 200, 200, 200),
    "knowledge:edit": (302, 200, 200, 403, 403),
    "knowledge:from_ticket": (302, 200, 200, 200, 403),
    "knowledge:list": (302, 200, 200, 200, 200),
    "knowledge:reliability": (302, 200, 200, 403, 403),
    "knowledge:reliability_csv": (302, 200, 200, 403, 403),
    "knowledge:review": (302, 200, 200, 403, 403),
    "knowledge:suggest": (302, 200, 200, 200, 200),
    "knowledge:vote": (405, 405, 405, 405, 405),
    "notifications:bell": (286, 200, 200, 200, 200),
    "notifications:contacts": (302, 200, 200, 200, 200),
    "notifications:conversation": (302, 200, 200, 200, 404),
    "notifications:conversation_read": (405, 405, 405, 405, 405),
    "notifications:inbox": (302, 200, 200, 200, 200),
    "notifications:list": (302, 200, 200, 200, 200),
    "notifications:message_delete": (405, 405, 405, 405, 405),
    "notifications:message_edit": (302, 404, 404, 404, 200),
    "notifications:open": (405, 405, 405, 405, 405),
    "notifications:preferences": (302, 200, 200, 200, 200),
    "notifications:read": (405, 405, 405, 405, 405),
    "notifications:read_all": (405, 405, 405, 405, 405),
    "notifications:user_preferences": (302, 200, 404, 404, 200),
    "tickets:action": (405, 405, 405, 405, 405),
    "tickets:bulk": (405, 405, 405, 405, 405),
    "tickets:comment": (405, 405, 405, 405, 405),
    "tickets:create": (302, 200, 200, 403, 200),
    "tickets:delete": (302, 200, 403, 403, 403),
    "tickets:detail": (302, 200, 200, 200, 200),
    "tickets:edit": (302, 200, 200, 403, 403),
    "tickets:timeline": (302, 200, 200, 200, 200),
    "tickets:jobs": (302, 200, 200, 200, 403),
    "tickets:list": (302, 200, 200, 200, 200),
    "tickets:macro_create": (302, 200, 200, 403, 403),
    "tickets:macro_delete": (405, 405, 405, 405, 405),
    "tickets:macro_edit": (302, 200, 403, 403, 403),
    "tickets:macros": (302, 200, 200, 403, 403),
    "tickets:photo": (302, 200, 200, 200, 200),
    "tickets:photo_thumb": (302, 200, 200, 200, 200),
    "tickets:photo_upload": (405, 405, 405, 405, 405),
    "tickets:queue": (302, 200, 200, 403, 403),
    "tickets:report_create": (302, 403, 403, 403, 403),
    "tickets:report_detail": (302, 200, 200, 200, 200),
    "tickets:report_edit": (302, 302, 302, 302, 302),
    "tickets:report_pdf": (302, 200, 403, 200, 200),
    "tickets:report_photo": (302, 200, 200, 200, 200),
    "tickets:report_photo_thumb": (302, 200, 200, 200, 200),
    "tickets:report_print": (302, 200, 403, 200, 200),
    "tickets:report_refuse": (405, 405, 405, 405, 405),
    "tickets:report_sign": (405, 405, 405, 405, 405),
    "tickets:report_submit": (405, 405, 405, 405, 405),
    "tickets:report_void": (405, 405, 405, 405, 405),
    # Routes already on main from other branches (measured on main + this branch at 13:50).
    "accounts:api_token": (302, 405, 405, 405, 405),
    "api:contact-list": (401, 200, 200, 200, 200),
    "api:conversation-detail": (401, 200, 200, 200, 404),
    "api:conversation-list": (401, 200, 200, 200, 200),
    "api:conversation-read": (401, 405, 405, 405, 405),
    "api:conversation-send": (401, 405, 405, 405, 405),
    "api:macro-detail": (401, 200, 200, 403, 403),
    "api:macro-list": (401, 200, 200, 403, 403),
    "api:message-detail": (401, 405, 405, 405, 405),
    "api:ticket-apply-macro": (401, 405, 405, 405, 405),
    "api:ticket-bulk": (401, 405, 405, 405, 405),
    "api:ticket-report": (401, 200, 200, 200, 200),
    "api:ticket-reports": (401, 200, 200, 200, 200),
    # Service reports written and answered through the API (POST only).
    "api:report-code-list": (401, 200, 200, 200, 200),
    "api:ticket-report-refuse": (401, 405, 405, 405, 405),
    "api:ticket-report-sign": (401, 405, 405, 405, 405),
    "api:ticket-report-submit": (401, 405, 405, 405, 405),
    "api:ticket-report-void": (401, 405, 405, 405, 405),
    "api:ticket-report-photos": (401, 200, 200, 200, 200),
    "api:ticket-report-photo-file": (401, 200, 200, 200, 200),
    "api:ticket-report-photo-thumbnail": (401, 200, 200, 200, 200),
    # Knowledge articles (knowledge/api.py).
    "api:article-detail": (401, 200, 200, 200, 200),
    "api:article-from-ticket": (401, 200, 200, 200, 403),
    "api:article-list": (401, 200, 200, 200, 200),
    "api:article-propose": (401, 405, 405, 405, 405),
    "api:article-publish": (401, 405, 405, 405, 405),
    "api:article-return": (401, 405, 405, 405, 405),
    "api:article-review": (401, 200, 200, 403, 403),
    "api:article-search": (401, 400, 400, 400, 400),
    "api:article-solved": (401, 405, 405, 405, 405),
    "api:article-suggestions": (401, 200, 200, 200, 200),
    "api:article-unpublish": (401, 405, 405, 405, 405),
    "api:article-vote": (401, 405, 405, 405, 405),
    # SLA policies and working calendars (tickets/api_sla.py): admins only, like users/.
    "api:sla-policy-detail": (401, 200, 403, 403, 403),
    "api:sla-policy-list": (401, 200, 403, 403, 403),
    "api:sla-policy-recompute": (401, 405, 403, 403, 403),
    "api:working-calendar-detail": (401, 200, 403, 403, 403),
    "api:working-calendar-list": (401, 200, 403, 403, 403),
    # Maintenance staff (facilities/api.py): the staff page's readers; admins write.
    "api:staff-detail": (401, 200, 200, 200, 403),
    "api:staff-list": (401, 200, 200, 200, 403),
    "api:trade-list": (401, 200, 200, 200, 403),
    # Session log-in and log-out (POST only).
    "api:auth-login": (405, 405, 405, 405, 405),
    "api:auth-logout": (401, 405, 405, 405, 405),
    # Soft-deleted tickets (admins).
    "api:ticket-deleted": (401, 200, 403, 403, 403),
    "api:ticket-restore": (401, 405, 405, 405, 405),
}

# Routes whose objects can be out of a user's reach: GET on the "theirs" object must answer 404
# for these roles (existence must not leak), where the "mine" object answered 200.
OUTSIDERS = {
    "api:conversation-detail": ('technician',),
    "api:ticket-report": ('technician', 'customer'),
    "api:ticket-reports": ('technician', 'customer'),
    "api:ticket-report-photos": ('technician', 'customer'),
    "api:ticket-report-photo-file": ('technician', 'customer'),
    "api:ticket-report-photo-thumbnail": ('technician', 'customer'),
    "api:notification-detail": ('customer',),
    "api:ticket-available": ('technician', 'customer'),
    "api:ticket-comments": ('technician', 'customer'),
    "api:ticket-detail": ('technician', 'customer'),
    "api:ticket-events": ('technician', 'customer'),
    "api:ticket-photo-file": ('technician', 'customer'),
    "api:ticket-photo-thumbnail": ('technician', 'customer'),
    "api:ticket-photos": ('technician', 'customer'),
    "knowledge:from_ticket": ('technician', 'customer'),
    "api:article-from-ticket": ('technician', 'customer'),
    "notifications:conversation": ('technician',),
    "notifications:message_edit": ('customer',),
    "notifications:user_preferences": ('customer',),
    "tickets:delete": ('technician', 'customer'),
    "tickets:detail": ('technician', 'customer'),
    "tickets:edit": ('technician', 'customer'),
    "tickets:timeline": ('technician', 'customer'),
    "tickets:photo": ('technician', 'customer'),
    "tickets:photo_thumb": ('technician', 'customer'),
    "tickets:report_create": ('technician', 'customer'),
    "tickets:report_detail": ('technician', 'customer'),
    "tickets:report_edit": ('technician', 'customer'),
    "tickets:report_pdf": ('technician', 'customer'),
    "tickets:report_photo": ('technician', 'customer'),
    "tickets:report_photo_thumb": ('technician', 'customer'),
    "tickets:report_print": ('technician', 'customer'),
}


# Rows for routes that exist on main but not yet on this branch (remove this set after the merge).


def test_every_route_has_an_expectation():
    names = {r.name for r in all_routes()}
    missing = sorted(names - set(EXPECT))
    stale = sorted(set(EXPECT) - names)
    assert not missing, f"Routes without an access expectation (add them to EXPECT): {missing}"
    assert not stale, f"Expectations for routes that no longer exist: {stale}"
    assert set(OUTSIDERS) <= names


@pytest.mark.django_db
def test_access_matrix(world):
    clients = _clients(world)
    wrong = {}
    for route in all_routes():
        if route.name not in EXPECT:
            continue
        got = _statuses(route, world, clients)
        if got != EXPECT[route.name]:
            wrong[route.name] = got
    assert not wrong, "Routes answering differently from EXPECT (name: got):\n" + "\n".join(
        f'    "{n}": {g},' for n, g in sorted(wrong.items()))


@pytest.mark.django_db
def test_objects_out_of_reach_answer_404(world):
    clients = _clients(world)
    wrong = {}
    routes = {r.name: r for r in all_routes()}
    for name, roles in OUTSIDERS.items():
        if name not in routes:
            continue
        url = _url(routes[name], world, "theirs")
        for role in roles:
            status = clients[role].get(url).status_code
            if status != 404:
                wrong[(name, role)] = status
    assert not wrong, f"Objects out of reach must answer 404: {wrong}"


# POST-only routes acting on one ticket, report, notification or message: a customer or technician
# posting to someone else's object gets 404 and the object is untouched.
POST_OUTSIDERS = [
    "tickets:action", "tickets:comment", "tickets:photo_upload", "tickets:report_refuse", "tickets:report_sign",
    "tickets:report_submit", "tickets:report_void", "notifications:read", "notifications:message_delete",
    "api:ticket-action-cancel", "api:ticket-action-start", "api:ticket-action-resolve", "api:ticket-comments",
    "api:notification-read", "notifications:open", "notifications:conversation_read", "api:conversation-read",
    "api:ticket-restore", "api:ticket-report-sign", "api:ticket-report-refuse",
    "api:ticket-report-submit", "api:ticket-report-void",
]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["technician", "customer"])
def test_outsiders_cannot_post(world, role):
    from notifications.models import Message
    from tickets.models import Comment, TicketEvent

    clients = _clients(world)
    routes = {r.name: r for r in all_routes()}
    before = (TicketEvent.objects.count(), Comment.objects.count(), Message.objects.count(),
              world.theirs.photos.count(), world.notes["theirs"].read_at)
    wrong = {}
    for name in POST_OUTSIDERS:
        url = _url(routes[name], world, "theirs")
        response = clients[role].post(url, {"body": "mine now", "comment": "x", "reason": "x", "password": "x"})
        if response.status_code not in (403, 404):
            wrong[name] = response.status_code
    world.theirs.refresh_from_db()
    world.notes["theirs"].refresh_from_db()
    after = (TicketEvent.objects.count(), Comment.objects.count(), Message.objects.count(),
             world.theirs.photos.count(), world.notes["theirs"].read_at)
    assert not wrong, f"POST on objects out of reach must answer 403/404: {wrong}"
    assert before == after
