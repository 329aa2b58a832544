from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from helpdesk.choices import CachedChoicesDisplay

REFERENCE_PREFIX = "FD-"


class Status(models.TextChoices):
    NEW = "new", _("New")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    ASSIGNED = "assigned", _("Opened")
    IN_PROGRESS = "in_progress", _("In progress")
    ON_HOLD = "on_hold", _("On hold")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = (
    Status.NEW, Status.APPROVED, Status.ASSIGNED, Status.IN_PROGRESS, Status.ON_HOLD, Status.RESOLVED,
)
FINAL_STATUSES = (Status.REJECTED, Status.CLOSED, Status.CANCELLED)
# The SLA clock runs in these (tickets.sla.RUNNING); plain strings for the partial indexes.
RUNNING_STATUSES = ["new", "approved", "assigned", "in_progress"]


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


# Priority.LOW and anything unknown rank 1.
PRIORITY_RANKS = {"urgent": 4, "high": 3, "normal": 2}


class Category(models.Model):
    """Admin-managed ticket category: repair, maintenance, IT incident, request, ..."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    active = models.BooleanField(_("active"), default=True)
    needs_service_report = models.BooleanField(
        _("resolving needs a service report"), default=True,
        help_text=_("Jobs of this category are resolved by submitting their service report. Untick it for "
                    "work done without a visit, such as IT incidents solved on the phone or simple requests."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name


# (index key, name) of the sort indexes, see Ticket.Meta.indexes.
SORT_INDEXES = (
    ("created_at", "created"),
    ("updated_at", "updated"), ("-updated_at", "updated_desc"),
    ("priority_rank", "prio"), ("-priority_rank", "prio_desc"),
    ("status", "status"), ("-status", "status_desc"),
    ("title", "title"), ("-title", "title_desc"),
    ("resolution_due_at", "due"),
)


class Ticket(CachedChoicesDisplay, models.Model):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    category = models.ForeignKey(
        Category, verbose_name=_("category"), null=True, blank=True, on_delete=models.PROTECT, related_name="tickets"
    )
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    # The priority as a number for sorting (urgent 4 ... low 1), computed and stored by the database
    # on every insert and update (bulk ones included), so the priority sort reads an index.
    priority_rank = models.GeneratedField(
        expression=models.Case(*(models.When(priority=p, then=models.Value(r)) for p, r in PRIORITY_RANKS.items()),
                               default=models.Value(1)),
        output_field=models.PositiveSmallIntegerField(), db_persist=True, verbose_name=_("priority rank"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requester"), on_delete=models.PROTECT, related_name="tickets"
    )
    contact_phone = PhoneNumberField(_("contact number"), blank=True)
    site = models.ForeignKey(
        "facilities.Site", verbose_name=_("site"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="tickets",
    )
    location = models.ForeignKey(
        "facilities.Location", verbose_name=_("location"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="tickets",
    )
    equipment = models.ForeignKey(
        "facilities.Equipment", verbose_name=_("equipment"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="tickets",
    )
    affected_item = models.CharField(_("affected item"), max_length=200, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assignee"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="assigned_tickets",
    )
    vehicle = models.ForeignKey(
        "facilities.Vehicle", verbose_name=_("vehicle"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="tickets",
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    # SLA clocks, kept by tickets/sla.py; the escalation sweep reads escalate_at through one index.
    sla_policy = models.ForeignKey("tickets.SLAPolicy", verbose_name=_("SLA policy"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="tickets")
    response_due_at = models.DateTimeField(_("response due"), null=True, blank=True)
    resolution_due_at = models.DateTimeField(_("resolution due"), null=True, blank=True)
    responded_at = models.DateTimeField(_("first response"), null=True, blank=True)
    sla_paused_at = models.DateTimeField(_("SLA clock paused"), null=True, blank=True)
    sla_paused_seconds = models.PositiveIntegerField(_("SLA time paused (working seconds)"), default=0)
    escalate_at = models.DateTimeField(_("next escalation due"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("last escalated"), null=True, blank=True)
    delay_flagged_at = models.DateTimeField(_("unusual delay flagged"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Soft delete: admins delete, the Django admin can restore.
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("deleted by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        indexes = [
            models.Index(fields=["status", "-created_at"], name="ticket_status_created_idx"),
            # "My tickets" and an organisation's shared tickets (requester IN the members): each
            # requester's range in the lists' order, read without the table (docs/bench.md).
            # deleted_at is a key column only so that SQLite counts the index as covering (it
            # does not use the index's own WHERE for that); it is NULL in every entry. assignee,
            # last, lets "whom may I write to" read the assignees of a requester's tickets from
            # the index alone (notifications.selectors.contacts_for; docs/bench.md).
            models.Index(fields=["requester", "-created_at", "-id", "status", "deleted_at", "assignee"],
                         name="ticket_live_requester_idx", condition=models.Q(deleted_at__isnull=True)),
            models.Index(fields=["assignee", "status"], name="ticket_assignee_status_idx"),
            models.Index(fields=["priority", "status"], name="ticket_priority_status_idx"),
            models.Index(fields=["escalate_at"], name="ticket_escalate_at_idx",
                         condition=models.Q(escalate_at__isnull=False)),
            models.Index(fields=["status", "category", "status_changed_at"], name="ticket_status_since_idx"),
            # Live-ticket lists at scale (docs/bench.md): the default order, the queue by status,
            # the escalation sweep and the per-site filter, each served without sorting the table.
            models.Index(fields=["-created_at", "-id", "status"], name="ticket_live_created_idx",
                         condition=models.Q(deleted_at__isnull=True)),
            models.Index(fields=["status", "-created_at", "-id"], name="ticket_live_status_created_idx",
                         condition=models.Q(deleted_at__isnull=True)),
            models.Index(fields=["status", "escalation_level", "created_at"], name="ticket_escalation_idx",
                         condition=models.Q(deleted_at__isnull=True)),
            models.Index(fields=["site", "status", "-created_at"], name="ticket_site_status_idx",
                         condition=models.Q(deleted_at__isnull=True)),
            # The open-jobs count of the assignment sidebar, index-only (facilities.selectors).
            models.Index(fields=["assignee", "status"], name="ticket_live_assignee_idx",
                         condition=models.Q(deleted_at__isnull=True)),
            # The dashboards (docs/bench.md): the 30-day report reads its window by these two...
            models.Index(fields=["responded_at"], name="ticket_live_responded_idx",
                         condition=models.Q(deleted_at__isnull=True, responded_at__isnull=False)),
            models.Index(fields=["resolved_at"], name="ticket_live_resolved_idx",
                         condition=models.Q(deleted_at__isnull=True, resolved_at__isnull=False)),
            # ... the open tickets by status and priority as an index-only count (no table reads) ...
            models.Index(fields=["status", "priority"], name="ticket_live_status_prio_idx",
                         condition=models.Q(deleted_at__isnull=True)),
            # ... the breached / at-risk lists the first rows by due time among running tickets
            # (the status list matches tickets.sla.RUNNING and is written literally by status_in) ...
            models.Index(fields=["response_due_at"], name="ticket_run_response_due_idx",
                         condition=models.Q(deleted_at__isnull=True, responded_at__isnull=True,
                                            status__in=RUNNING_STATUSES)),
            models.Index(fields=["resolution_due_at"], name="ticket_run_resolve_due_idx",
                         condition=models.Q(deleted_at__isnull=True, status__in=RUNNING_STATUSES)),
            # ... the escalated list, highest level first, open tickets only ...
            models.Index(fields=["-escalation_level", "-escalated_at"], name="ticket_escalated_open_idx",
                         condition=models.Q(deleted_at__isnull=True, status__in=[*RUNNING_STATUSES, "on_hold"])),
            # ... and the engineer's "Jobs to take", oldest first per priority.
            models.Index(fields=["assignee", "status", "priority", "created_at"], name="ticket_to_take_idx",
                         condition=models.Q(deleted_at__isnull=True)),
            # The lists' allow-listed sorts (tickets.selectors.SORTS), each ordered (key, -id): one index
            # per direction, as (key ASC, id DESC) and (key DESC, id DESC) are not each other's reverse.
            # Read backwards they serve the keyset pages' "Previous" too. -created is
            # ticket_live_created_idx, id and -id the primary key. PostgreSQL's ASC puts nulls last,
            # as the "due" sort asks; SQLite reads the same index for it.
            # The trailing status lets the queue's "open" filter be checked in the index, so that a
            # deep page's OFFSET (read over the ids only, tickets.pagination.fetch_rows) never reads
            # the table rows it skips; ticket_live_created_idx carries it for the same reason.
            *(models.Index(fields=[key, "-id", *([] if "status" in key else ["status"])],
                           name=f"ticket_sort_{name}_idx", condition=models.Q(deleted_at__isnull=True))
              for key, name in SORT_INDEXES),
            # The deleted tickets' list (admins, newest deletion first) reads only deleted rows ...
            models.Index(fields=["-deleted_at", "-id"], name="ticket_deleted_idx",
                         condition=models.Q(deleted_at__isnull=False)),
            # ... and the vehicles page counts each vehicle's open jobs from the index alone.
            models.Index(fields=["vehicle", "status"], name="ticket_live_vehicle_idx",
                         condition=models.Q(deleted_at__isnull=True)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in Status]), name="tickets_ticket_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(priority__in=[p.value for p in Priority]), name="tickets_ticket_priority_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("tickets:detail", args=[self.pk])

    @staticmethod
    def absolute_url_maker():
        """``pk -> get_absolute_url()`` for a list of tickets: the URL reversed once, not once per row."""
        from helpdesk.reverse import pk_url_maker

        return pk_url_maker("tickets:detail")

    @property
    def reference(self) -> str:
        return f"{REFERENCE_PREFIX}{self.pk:06d}" if self.pk else ""

    @staticmethod
    def pk_from_reference(text: str) -> int | None:
        """``FD-000123`` (any case, zeros optional) -> 123; anything else -> None."""
        text = text.strip().upper()
        if text.startswith(REFERENCE_PREFIX):
            text = text[len(REFERENCE_PREFIX):]
        return int(text) if text.isdigit() and len(text) <= 12 else None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


def _photo_path(instance, filename):
    # The caller passes a generated name; never the uploader's.
    return f"tickets/{instance.ticket_id}/{filename}"


class Photo(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("image"), upload_to=_photo_path)
    thumbnail = models.FileField(_("thumbnail"), upload_to=_photo_path)
    content_type = models.CharField(max_length=50)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    original_name = models.CharField(max_length=255, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.original_name or f"photo {self.pk}"


class Comment(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ticket_comments")
    body = models.TextField(_("comment"))
    # Internal notes are for staff only: never shown to customers in any page, e-mail or API.
    is_internal = models.BooleanField(_("internal note"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [models.Index(fields=["ticket", "created_at"], name="comment_ticket_created_idx")]

    def __str__(self) -> str:
        return f"comment {self.pk} on ticket {self.ticket_id}"


class TicketEvent(models.Model):
    """Append-only audit row written by the services for every change to a ticket."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=50)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    # {"field": [old, new], ...} plus free data such as the comment or reason.
    changes = models.JSONField(default=dict, blank=True)
    # The ticket's version right after this event: "what changed since version N" for stale edits.
    ticket_version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        indexes = [
            models.Index(fields=["ticket", "created_at"], name="event_ticket_created_idx"),
            # A ticket's first "start" (the reliability figures' repair time for failures without a
            # report) without reading its other events.
            models.Index(fields=["ticket", "action", "created_at"], name="event_ticket_action_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.action} on ticket {self.ticket_id}"


class Macro(models.Model):
    """A canned response: text with placeholders and optional actions."""

    name = models.CharField(_("name"), max_length=100)
    body = models.TextField(_("text"))
    # Null owner: shared macro managed by admins; else an engineer's personal macro.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="macros"
    )
    set_priority = models.CharField(_("set priority"), max_length=10, choices=Priority.choices, blank=True)
    action = models.CharField(_("workflow action"), max_length=30, blank=True)
    assign_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assign to"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("macro")
        verbose_name_plural = _("macros")

    def __str__(self) -> str:
        return self.name


# Service reports and sign-off live in their own module (kept apart to keep this one small).
from tickets.report_models import (  # noqa: E402,F401
    CodeKind,
    ReportCode,
    ReportPart,
    ReportPhoto,
    ReportSignOff,
    ReportStatus,
    ServiceReport,
    SignOffOutcome,
)
from tickets.sla_models import Holiday, SLAPolicy, WorkingCalendar  # noqa: E402,F401 - SLA models
