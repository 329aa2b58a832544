"""Every HTML page of Fixdesk, with who may open it: one list shared by the tests.

The access-control matrix (helpdesk/tests/test_pages_matrix.py) opens each page as each role and as
an anonymous visitor and compares the answer with ``Page.expect``; the accessibility test
(helpdesk/tests/test_a11y_browser.py) runs axe-core on each page for every role that gets a 200.
A page added to the app without a row here is caught by ``test_every_html_route_is_listed``.

Object placeholders in ``path`` (``{ticket}``, ``{site}`` ...) are filled from the demo data by
``demo_objects()``: ``seed_demo`` must have run.
"""

from dataclasses import dataclass, field

ANON = "anonymous"
ROLES = ["admin", "engineer", "technician", "customer"]
EVERYONE = [ANON, *ROLES]

OK, FORBIDDEN, NOT_FOUND, LOGIN = 200, 403, 404, "login"


@dataclass(frozen=True)
class Page:
    name: str  # URL name (namespace:name), also the test id
    path: str  # with {placeholders} for demo objects
    expect: dict = field(default_factory=dict)  # role -> OK / FORBIDDEN / NOT_FOUND / LOGIN (or a redirect path)

    def status_for(self, role: str):
        return self.expect.get(role, LOGIN if role == ANON else OK)

    def url(self, objects: dict) -> str:
        return self.path.format(**objects)

    def roles_allowed(self) -> list[str]:
        return [r for r in EVERYONE if self.status_for(r) == OK]


def _only(*roles, other=FORBIDDEN, anon=LOGIN) -> dict:
    out = {r: (OK if r in roles else other) for r in ROLES}
    out[ANON] = OK if ANON in roles else anon
    return out


STAFF = ("admin", "engineer", "technician")
OFFICE = ("admin", "engineer")
PUBLIC = {ANON: OK, "admin": "/", "engineer": "/", "technician": "/", "customer": "/"}  # signed-in: dashboard

PAGES: list[Page] = [
    # helpdesk
    Page("dashboard", "/"),
    # accounts
    Page("accounts:login", "/accounts/login/", {ANON: OK, **{r: "/" for r in ROLES}}),
    Page("accounts:signup", "/accounts/signup/", PUBLIC),
    Page("accounts:signup_done", "/accounts/signup/done/", {r: OK for r in EVERYONE}),
    Page("accounts:resend_confirmation", "/accounts/confirm/resend/", {r: OK for r in EVERYONE}),
    Page("accounts:password_reset", "/accounts/password/reset/", {r: OK for r in EVERYONE}),
    Page("accounts:password_reset_done", "/accounts/password/reset/sent/", {r: OK for r in EVERYONE}),
    Page("accounts:password_change", "/accounts/password/change/"),
    Page("accounts:profile", "/accounts/profile/"),
    Page("accounts:email_change", "/accounts/profile/email/"),
    Page("accounts:people", "/accounts/people/", _only("admin")),
    Page("accounts:people_invite", "/accounts/people/invite/", _only("admin")),
    Page("accounts:person", "/accounts/people/{customer_user}/", _only("admin")),
    Page("accounts:organizations", "/accounts/organisations/", _only("admin")),
    Page("accounts:organization_edit", "/accounts/organisations/{organization}/", _only("admin")),
    # facilities
    Page("facilities:index", "/facilities/", _only(*STAFF)),
    Page("facilities:site_list", "/facilities/sites/", _only(*STAFF)),
    Page("facilities:site_create", "/facilities/sites/new/", _only("admin")),
    Page("facilities:site_detail", "/facilities/sites/{site}/", _only(*STAFF)),
    Page("facilities:site_edit", "/facilities/sites/{site}/edit/", _only("admin")),
    Page("facilities:site_labels", "/facilities/sites/{site}/labels/", _only(*OFFICE)),
    Page("facilities:location_create", "/facilities/sites/{site}/locations/new/", _only("admin")),
    Page("facilities:location_detail", "/facilities/locations/{location}/", _only(*STAFF)),
    Page("facilities:location_edit", "/facilities/locations/{location}/edit/", _only("admin")),
    Page("facilities:location_labels", "/facilities/locations/{location}/labels/", _only(*OFFICE)),
    Page("facilities:equipment_list", "/facilities/equipment/", _only(*STAFF)),
    Page("facilities:equipment_create", "/facilities/equipment/new/", _only("admin")),
    Page("facilities:equipment_detail", "/facilities/equipment/{equipment}/", _only(*STAFF)),
    Page("facilities:equipment_edit", "/facilities/equipment/{equipment}/edit/", _only("admin")),
    Page("facilities:model_list", "/facilities/models/", _only(*STAFF)),
    Page("facilities:model_create", "/facilities/models/new/", _only("admin")),
    Page("facilities:model_edit", "/facilities/models/{equipment_model}/edit/", _only("admin")),
    Page("facilities:vehicle_list", "/facilities/vehicles/", _only(*STAFF)),
    Page("facilities:vehicle_create", "/facilities/vehicles/new/", _only("admin")),
    Page("facilities:vehicle_edit", "/facilities/vehicles/{vehicle}/edit/", _only("admin")),
    Page("facilities:staff_list", "/facilities/staff/", _only(*STAFF)),
    Page("facilities:staff_create", "/facilities/staff/new/", _only("admin")),
    Page("facilities:staff_edit", "/facilities/staff/{technician_user}/edit/", _only("admin")),
    Page("facilities:import_csv", "/facilities/import/", _only("admin")),
    # tickets
    Page("tickets:list", "/tickets/"),
    Page("tickets:create", "/tickets/new/", {"technician": FORBIDDEN}),  # technicians work jobs, not report them
    Page("tickets:queue", "/tickets/queue/", _only(*OFFICE)),
    Page("tickets:jobs", "/tickets/jobs/", _only(*STAFF)),
    Page("tickets:detail", "/tickets/{ticket}/"),
    # Another customer's ticket: customers and technicians only see their own.
    Page("tickets:detail_foreign", "/tickets/{foreign_ticket}/", {"customer": NOT_FOUND, "technician": NOT_FOUND}),
    # The timeline's earlier entries ("Show earlier activity"), under the same visibility rules.
    Page("tickets:timeline", "/tickets/{ticket}/timeline/"),
    Page("tickets:timeline_foreign", "/tickets/{foreign_ticket}/timeline/",
         {"customer": NOT_FOUND, "technician": NOT_FOUND}),
    Page("tickets:edit", "/tickets/{ticket}/edit/", _only(*OFFICE)),
    Page("tickets:macros", "/tickets/macros/", _only(*OFFICE)),
    Page("tickets:macro_create", "/tickets/macros/new/", _only(*OFFICE)),
    Page("tickets:macro_edit", "/tickets/macros/{macro}/", _only("admin")),
    Page("tickets:report_create", "/tickets/{ticket}/reports/new/", _only("technician")),  # the assignee writes it
    Page("tickets:report_detail", "/tickets/{report_ticket}/reports/{report}/"),
    # The printable report: requester, assignee and admins only.
    Page("tickets:report_print", "/tickets/{report_ticket}/reports/{report}/print/", {"engineer": FORBIDDEN}),
    # knowledge
    Page("knowledge:list", "/kb/"),
    Page("knowledge:create", "/kb/new/", _only(*STAFF)),
    Page("knowledge:review", "/kb/review/", _only(*OFFICE)),
    Page("knowledge:reliability", "/kb/reliability/", _only(*OFFICE)),
    Page("knowledge:detail", "/kb/{article}/"),
    Page("knowledge:edit", "/kb/{article}/edit/", _only(*OFFICE)),
    # notifications
    Page("notifications:list", "/notifications/"),
    Page("notifications:preferences", "/notifications/settings/"),
    Page("notifications:inbox", "/notifications/messages/"),
    Page("notifications:contacts", "/notifications/messages/new/"),
    # A conversation with oneself does not exist.
    Page("notifications:conversation", "/notifications/messages/with/{admin_user}/", {"admin": NOT_FOUND}),
]

# Routes that are not HTML pages of their own (POST-only actions, files, htmx fragments, JSON, the
# Django admin) or that need a one-time token: the matrix does not open them, the completeness
# check knows them by name.
NOT_PAGES = {
    "healthz", "accounts:logout", "accounts:demo_login", "accounts:api_token", "accounts:confirm",
    "accounts:invite_accept",
    "accounts:password_reset_confirm", "accounts:email_change_confirm", "accounts:person_role",
    "accounts:person_deactivate", "accounts:person_reactivate", "accounts:person_resend_invitation",
    "facilities:location_delete", "facilities:equipment_photo", "facilities:equipment_label",
    "facilities:export_csv", "facilities:pick_locations", "facilities:pick_equipment",
    "tickets:bulk", "tickets:delete", "tickets:action", "tickets:comment", "tickets:photo_upload",
    "tickets:photo", "tickets:photo_thumb", "tickets:macro_delete", "tickets:report_edit",
    "tickets:report_submit", "tickets:report_sign", "tickets:report_refuse", "tickets:report_void",
    "tickets:report_pdf", "tickets:report_photo", "tickets:report_photo_thumb",
    "knowledge:suggest", "knowledge:from_ticket", "knowledge:reliability_csv", "knowledge:vote",
    "knowledge:deflect", "knowledge:action",
    "notifications:bell", "notifications:open", "notifications:read", "notifications:read_all",
    "notifications:conversation_read",
    "notifications:user_preferences", "notifications:message_edit", "notifications:message_delete",
}


def demo_objects() -> dict:
    """Primary keys of the demo objects the page paths refer to (after ``seed_demo``)."""
    from accounts.demo import demo_user
    from accounts.models import Organization
    from facilities.models import Equipment, EquipmentModel, Location, Site, Vehicle
    from knowledge.models import Article
    from tickets.models import Macro, ServiceReport, Ticket

    customer, technician = demo_user("customer"), demo_user("technician")
    # The customer's job the technician is working on (helpdesk/tests/pages_data.py starts one).
    ticket = Ticket.objects.filter(requester=customer, assignee=technician, status="in_progress").order_by("pk").first()
    foreign = Ticket.objects.exclude(requester=customer).order_by("pk").first()
    report = ServiceReport.objects.order_by("pk").first()
    return {
        "customer_user": customer.pk,
        "admin_user": demo_user("admin").pk,
        "organization": Organization.objects.order_by("pk").first().pk,
        "site": Site.objects.order_by("pk").first().pk,
        "location": Location.objects.order_by("pk").first().pk,
        "equipment": Equipment.objects.order_by("pk").first().pk,
        "equipment_model": EquipmentModel.objects.order_by("pk").first().pk,
        "vehicle": Vehicle.objects.order_by("pk").first().pk,
        "technician_user": technician.pk,
        "ticket": ticket.pk,
        "foreign_ticket": foreign.pk,
        "report_ticket": report.ticket_id,
        "report": report.pk,
        "macro": Macro.objects.filter(owner=None).order_by("pk").first().pk,
        "article": Article.objects.filter(status="published").order_by("pk").first().pk,
    }
