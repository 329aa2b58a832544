"""Creating, editing, moving through the lifecycle and (soft) deleting tickets."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tickets import permissions, signals, sla, workflow
from tickets.errors import ActionNotAllowed, StaleTicket
from tickets.models import Priority, Status, Ticket
from tickets.presentation import event_summary
from tickets.services.common import display, lock, now, record_event

EDITABLE_FIELDS = (
    "title", "description", "category", "priority", "site", "location", "equipment", "affected_item",
    "contact_phone",
)
MAX_COMMENT = 10_000
SLA_FIELDS = ["sla_policy", "response_due_at", "resolution_due_at", "escalate_at"]


def _check_place(site, location, equipment):
    """Location and equipment must belong to the chosen site; equipment fills in the site."""
    errors = {}
    if equipment is not None:
        if site is None:
            site = equipment.site
        elif equipment.site_id != site.pk:
            errors["equipment"] = _("This equipment is not at the chosen site.")
        if location is None and equipment.location_id:
            location = equipment.location
    if location is not None:
        if site is None:
            site = location.site
        elif location.site_id != site.pk:
            errors["location"] = _("This location is not at the chosen site.")
    if errors:
        raise ValidationError(errors)
    return site, location, equipment


def _check_version(ticket: Ticket, version: int | None):
    if version is None or int(version) == ticket.version:
        return
    from tickets.selectors import events_since

    events = list(events_since(ticket, int(version)))
    what = "; ".join(event_summary(e) for e in events) or _("the ticket was changed")
    raise StaleTicket(
        _("Someone changed this ticket after you opened it: %(what)s. Nothing was saved; review and try again.")
        % {"what": what},
        events,
    )


@transaction.atomic
def ticket_create(*, actor, title: str, description: str, category=None, priority: str = Priority.NORMAL,
                  site=None, location=None, equipment=None, affected_item: str = "", contact_phone="",
                  requester=None, photos=()) -> Ticket:
    """A new ticket in status ``new``, its photos, a ``create`` event and ``ticket_created``."""
    from tickets.services.photos import MAX_PHOTOS, photo_add, photo_validate

    if not permissions.can_create(actor):
        raise PermissionDenied(_("You may not report tickets."))
    if requester is None or requester == actor:
        requester = actor
    elif actor.role != "admin":
        raise PermissionDenied(_("Only admins report tickets on someone else's behalf."))
    title, description = (title or "").strip(), (description or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("Give the ticket a short title.")
    if not description:
        errors["description"] = _("Describe the problem.")
    if priority not in Priority.values:
        errors["priority"] = _("Unknown priority.")
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = _("At most %(n)s photos per ticket.") % {"n": MAX_PHOTOS}
    if errors:
        raise ValidationError(errors)
    site, location, equipment = _check_place(site, location, equipment)
    for upload in photos:
        photo_validate(upload)  # before anything is written: a bad file creates nothing
    ticket = Ticket.objects.create(
        title=title, description=description, category=category, priority=priority, requester=requester,
        contact_phone=contact_phone or requester.phone or "", site=site, location=location, equipment=equipment,
        affected_item=(affected_item or "").strip(), status=Status.NEW, status_changed_at=now(),
    )
    sla.sla_refresh(ticket=ticket, now=ticket.created_at)
    ticket.save(update_fields=SLA_FIELDS)
    event = record_event(ticket=ticket, actor=actor, action="create", to_status=Status.NEW,
                         changes={"title": ["", title]})
    for upload in photos:
        photo_add(actor=actor, ticket=ticket, upload=upload)
    signals.ticket_created.send(sender=Ticket, ticket=ticket, actor=actor, event=event)
    return ticket


@transaction.atomic
def ticket_update(*, actor, ticket: Ticket, version: int | None, **fields) -> Ticket:
    """Change the editable fields; refused on a stale ``version``. Writes ``update`` + ``ticket_updated``."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    locked = lock(ticket)
    if not permissions.can_edit(actor, locked):
        raise PermissionDenied(_("You may not edit this ticket now."))
    _check_version(locked, version)
    for key in ("title", "description", "affected_item"):
        if key in fields:
            fields[key] = (fields[key] or "").strip()
    if "title" in fields and not fields["title"]:
        raise ValidationError({"title": _("Give the ticket a short title.")})
    if "description" in fields and not fields["description"]:
        raise ValidationError({"description": _("Describe the problem.")})
    if "priority" in fields and fields["priority"] not in Priority.values:
        raise ValidationError({"priority": _("Unknown priority.")})
    if {"site", "location", "equipment"} & set(fields):
        site, location, equipment = _check_place(
            fields.get("site", locked.site), fields.get("location", locked.location),
            fields.get("equipment", locked.equipment),
        )
        fields.update(site=site, location=location, equipment=equipment)
    changes = {}
    for key, new in fields.items():
        old = getattr(locked, key)
        if (old or "") != (new or ""):
            changes[key] = [display(old), display(new)]
            setattr(locked, key, new)
    if not changes:
        return locked
    if {"priority", "category", "site"} & set(changes):
        sla.sla_refresh(ticket=locked, now=now())
    locked.version += 1
    locked.save()
    event = record_event(ticket=locked, actor=actor, action="update", changes=changes)
    signals.ticket_updated.send(sender=Ticket, ticket=locked, actor=actor, event=event, changes=changes)
    return locked


@transaction.atomic
def ticket_transition(*, actor, ticket: Ticket, action: str, comment: str = "", version: int | None = None,
                      assignee=None, vehicle=None, via_service: bool = False) -> Ticket:
    """The only code that changes a status: lock, check the workflow and version, change, audit, signal.

    ``via_service``: set by the service that owns a ``service_only`` or ``by_report`` transition (service
    reports). Without it, ``resolve`` on a ticket whose category needs a report raises ``ReportRequired``.
    """
    locked = lock(ticket)
    if locked.deleted_at is not None or not permissions.can_view(actor, locked):
        raise ActionNotAllowed(_("This ticket is not available."))
    _check_version(locked, version)  # first: "it changed meanwhile" explains a refusal best
    workflow.check(locked, actor, action, via_service=via_service)
    transition = workflow.TRANSITIONS[action]
    if transition.service_only and not via_service:
        raise ActionNotAllowed(_("“%(label)s” is done from the service report.") % {"label": transition.label})
    comment = (comment or "").strip()
    if transition.comment_required and not comment:
        raise ValidationError({"comment": str(transition.comment_label) or _("A comment is required.")})
    if len(comment) > MAX_COMMENT:
        raise ValidationError({"comment": _("Keep it under %(n)s characters.") % {"n": MAX_COMMENT}})

    from_status = locked.status
    to_status = workflow.target_for(locked, action)
    changes: dict = {"status": [from_status, to_status]}
    stamp = now()

    if action == "take":
        assignee = actor
    if action in ("assign", "take"):
        _assign(locked, assignee, vehicle, changes)
        locked.assigned_at = stamp
    if action == "resolve":
        locked.resolved_at = stamp
    if to_status in (Status.CLOSED, Status.CANCELLED, Status.REJECTED):
        locked.closed_at = stamp
    if action == "reopen":
        locked.closed_at = None
        locked.resolved_at = None
    if action == "refuse_report":
        locked.resolved_at = None
    if action == "void_signoff":
        locked.closed_at = None
    if comment:
        changes["comment"] = comment

    locked.status = to_status
    locked.status_changed_at = stamp
    sla.sla_on_transition(ticket=locked, action=action, from_status=from_status, to_status=to_status, now=stamp)
    locked.version += 1
    locked.save()
    event = record_event(ticket=locked, actor=actor, action=action, from_status=from_status,
                         to_status=to_status, changes=changes)
    signals.ticket_transitioned.send(
        sender=Ticket, ticket=locked, actor=actor, action=action, from_status=from_status,
        to_status=to_status, event=event, comment=comment,
    )
    return locked


def _assign(ticket: Ticket, assignee, vehicle, changes: dict):
    from facilities.selectors import vehicles_free

    if assignee is None:
        raise ValidationError({"assignee": _("Choose an engineer or a technician.")})
    if not permissions.can_be_assigned(assignee):
        raise ValidationError({"assignee": _("Only active engineers and technicians can be assigned.")})
    if vehicle is not None and not vehicles_free(for_ticket=ticket).filter(pk=vehicle.pk).exists():
        raise ValidationError({"vehicle": _("This vehicle is not available.")})
    if ticket.assignee_id != assignee.pk:
        changes["assignee"] = [display(ticket.assignee), display(assignee)]
        ticket.assignee = assignee
    if ticket.vehicle_id != getattr(vehicle, "pk", None):
        changes["vehicle"] = [display(ticket.vehicle), display(vehicle)]
        ticket.vehicle = vehicle


@transaction.atomic
def ticket_delete(*, actor, ticket: Ticket) -> Ticket:
    """Soft delete (admins only): hidden everywhere, restorable from the Django admin."""
    locked = lock(ticket)
    if not permissions.can_delete(actor, locked):
        raise PermissionDenied(_("Only admins delete tickets."))
    locked.deleted_at = now()
    locked.deleted_by = actor
    locked.version += 1
    locked.save()
    record_event(ticket=locked, actor=actor, action="delete")
    return locked


@transaction.atomic
def ticket_restore(*, actor, ticket: Ticket) -> Ticket:
    """Undo a soft delete (admins only)."""
    locked = lock(ticket)
    if not (actor.is_active and actor.role == "admin"):
        raise PermissionDenied(_("Only admins restore tickets."))
    if locked.deleted_at is None:
        return locked
    locked.deleted_at = None
    locked.deleted_by = None
    locked.version += 1
    locked.save()
    record_event(ticket=locked, actor=actor, action="restore")
    return locked
