"""Who may do what with tickets. Checked by the views (what they show) and by the services."""

from accounts.models import Role
from tickets.models import OPEN_STATUSES, Status


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_view(user, ticket) -> bool:
    """The user may see the ticket (the same rule as ``selectors.tickets_visible_to``)."""
    if not _active(user) or ticket.deleted_at is not None:
        return False
    if user.role in (Role.ADMIN, Role.ENGINEER):
        return True
    if ticket.requester_id == user.pk or ticket.assignee_id == user.pk:
        return True
    if user.role == Role.CUSTOMER and user.organization_id and user.organization.members_see_all_tickets:
        return ticket.requester.organization_id == user.organization_id
    return False


def can_create(user) -> bool:
    """Customers, admins and engineers report tickets (DESIGN: create)."""
    return _active(user) and user.role in (Role.CUSTOMER, Role.ADMIN, Role.ENGINEER)


def can_edit(user, ticket) -> bool:
    """The requester while the ticket is new; admins and engineers while it is open."""
    if not can_view(user, ticket):
        return False
    if user.role in (Role.ADMIN, Role.ENGINEER):
        return ticket.status in OPEN_STATUSES
    return ticket.requester_id == user.pk and ticket.status == Status.NEW


def can_see_internal(user) -> bool:
    """Staff (admin, engineer, technician) read and write internal notes; customers never."""
    return _active(user) and user.role in (Role.ADMIN, Role.ENGINEER, Role.TECHNICIAN)


def can_comment(user, ticket) -> bool:
    return can_view(user, ticket)


def can_add_photo(user, ticket) -> bool:
    """Anyone who sees the ticket may add photos while it is open."""
    return can_view(user, ticket) and ticket.status in OPEN_STATUSES


def can_delete(user, ticket) -> bool:
    """Only admins delete (softly; restored from the Django admin or the API)."""
    return _active(user) and user.role == Role.ADMIN and ticket.deleted_at is None


def can_restore(user) -> bool:
    """Only admins see deleted tickets and restore them."""
    return _active(user) and user.role == Role.ADMIN


def can_triage(user) -> bool:
    """The queue: admins and engineers."""
    return _active(user) and user.role in (Role.ADMIN, Role.ENGINEER)


def can_bulk_edit(user) -> bool:
    return _active(user) and user.role == Role.ADMIN


def can_have_jobs(user) -> bool:
    return _active(user) and user.role in (Role.ADMIN, Role.ENGINEER, Role.TECHNICIAN)


def can_use_macros(user) -> bool:
    return _active(user) and user.role in (Role.ADMIN, Role.ENGINEER)


def can_manage_macro(user, macro) -> bool:
    """Admins manage shared macros; engineers their own personal ones."""
    if not _active(user):
        return False
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.ENGINEER and macro.owner_id == user.pk


def can_be_assigned(user) -> bool:
    return _active(user) and user.role in (Role.ENGINEER, Role.TECHNICIAN)


# Service reports ---------------------------------------------------------------------------

REPORT_WORK_STATUSES = (Status.IN_PROGRESS, Status.ON_HOLD)


def can_write_report(user, ticket) -> bool:
    """The assignee writes visit reports while the job is in progress or on hold."""
    return (can_view(user, ticket) and ticket.assignee_id == user.pk
            and ticket.status in REPORT_WORK_STATUSES)


def can_edit_report(user, report) -> bool:
    """Its author, while it is a draft (or was refused) and is the job's latest visit."""
    ticket = report.ticket
    latest = report.ticket.reports.order_by("-visit").values_list("pk", flat=True).first()
    return (can_write_report(user, ticket) and report.author_id == user.pk and report.is_editable
            and latest == report.pk)


def can_view_report(user, report) -> bool:
    """Staff who see the ticket, the requester, the assignee and the author; drafts only for staff."""
    ticket = report.ticket
    if not can_view(user, ticket):
        return False
    if user.role in (Role.ADMIN, Role.ENGINEER) or user.pk in (ticket.assignee_id, report.author_id):
        return True
    return ticket.requester_id == user.pk and report.is_submitted


def can_download_report(user, report) -> bool:
    """The printable page and the PDF: requester, assignee (or author) and admins; nobody else."""
    if not can_view(user, report.ticket) or not report.is_submitted:
        return False
    ticket = report.ticket
    return user.role == Role.ADMIN or user.pk in (ticket.requester_id, ticket.assignee_id, report.author_id)


def can_sign_report(user, report) -> bool:
    """The requester answers the final report of a resolved job (sign or refuse)."""
    ticket = report.ticket
    return (_active(user) and ticket.deleted_at is None and ticket.requester_id == user.pk
            and report.status == "submitted" and not report.follow_up_needed
            and ticket.status == Status.RESOLVED)


def can_void_signoff(user, report) -> bool:
    """Admins void a signature (with a reason); the report then waits for a new sign-off."""
    return (_active(user) and user.role == Role.ADMIN and report.status == "signed"
            and report.ticket.deleted_at is None)


def can_manage_sla(user) -> bool:
    """SLA policies and working calendars: admins (the Django admin and the API)."""
    return _active(user) and user.role == Role.ADMIN
