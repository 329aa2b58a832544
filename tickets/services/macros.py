"""Canned responses: plain-text placeholders and optional actions performed through the workflow."""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tickets import permissions, workflow
from tickets.models import Macro, Ticket

PLACEHOLDERS = {
    "requester_first_name": lambda t, a: t.requester.first_name,
    "requester_name": lambda t, a: t.requester.get_full_name(),
    "ticket_reference": lambda t, a: t.reference,
    "ticket_title": lambda t, a: t.title,
    "assignee_name": lambda t, a: t.assignee.get_full_name() if t.assignee else _("our team"),
    "site_name": lambda t, a: t.site.name if t.site else "",
    "status": lambda t, a: t.get_status_display(),
    "agent_first_name": lambda t, a: a.first_name if a else "",
    "agent_name": lambda t, a: a.get_full_name() if a else "",
}
_PLACEHOLDER_RE = re.compile(r"\{([a-z_]+)\}")


def macro_render(*, macro: Macro, ticket: Ticket, actor=None) -> str:
    """The macro's text with the known placeholders replaced as plain text (never a template)."""

    def sub(match):
        fn = PLACEHOLDERS.get(match.group(1))
        return str(fn(ticket, actor)) if fn else match.group(0)

    return _PLACEHOLDER_RE.sub(sub, macro.body)


def macro_usable(actor, macro: Macro) -> bool:
    return permissions.can_use_macros(actor) and macro.active and macro.owner_id in (None, actor.pk)


@transaction.atomic
def macro_apply(*, actor, ticket: Ticket, macro: Macro, body: str, is_internal: bool = False,
                version: int | None = None) -> Ticket:
    """Post ``body`` and perform the macro's actions as ``actor``; all or nothing."""
    from tickets.services.comments import comment_add
    from tickets.services.tickets import ticket_transition, ticket_update

    if not macro_usable(actor, macro):
        raise PermissionDenied(_("You may not use this macro."))
    body = (body or "").strip()
    action = macro.action or ("assign" if macro.assign_to_id else "")
    transition = workflow.TRANSITIONS.get(action) if action else None
    if action and transition is None:
        raise ValidationError(_("The macro names an unknown action."))
    if transition:
        workflow.check(ticket, actor, action)
    # A required transition comment is the macro's text itself, not a second comment.
    if body and not (transition and transition.comment_required):
        comment_add(actor=actor, ticket=ticket, body=body, is_internal=is_internal)
    if macro.set_priority and macro.set_priority != ticket.priority:
        ticket = ticket_update(actor=actor, ticket=ticket, version=version, priority=macro.set_priority)
        version = ticket.version
    if transition:
        ticket = ticket_transition(
            actor=actor, ticket=ticket, action=action, version=version,
            comment=body if transition.comment_required else "", assignee=macro.assign_to,
        )
    ticket.refresh_from_db()
    return ticket


MACRO_FIELDS = ("name", "body", "set_priority", "action", "assign_to")


def _macro_clean(fields: dict) -> dict:
    from tickets.models import Priority

    fields = {k: v for k, v in fields.items() if k in MACRO_FIELDS}
    errors = {}
    if not (fields.get("name") or "").strip():
        errors["name"] = _("Give the macro a name.")
    if not (fields.get("body") or "").strip():
        errors["body"] = _("Write the text.")
    if fields.get("set_priority") and fields["set_priority"] not in Priority.values:
        errors["set_priority"] = _("Unknown priority.")
    if fields.get("action") and fields["action"] not in workflow.TRANSITIONS:
        errors["action"] = _("Unknown action.")
    if fields.get("action") == "assign" and not fields.get("assign_to"):
        errors["assign_to"] = _("Say who the macro assigns to.")
    if fields.get("assign_to") is not None and not permissions.can_be_assigned(fields["assign_to"]):
        errors["assign_to"] = _("Only engineers and technicians can be assigned.")
    if errors:
        raise ValidationError(errors)
    fields["name"], fields["body"] = fields["name"].strip(), fields["body"].strip()
    fields["set_priority"] = fields.get("set_priority") or ""
    fields["action"] = fields.get("action") or ""
    return fields


@transaction.atomic
def macro_create(*, actor, shared: bool = False, **fields) -> Macro:
    """A personal macro of ``actor`` (engineers, admins), or a shared one (admins only)."""
    if not permissions.can_use_macros(actor) or (shared and actor.role != "admin"):
        raise PermissionDenied(_("You may not create this macro."))
    return Macro.objects.create(owner=None if shared else actor, **_macro_clean(fields))


@transaction.atomic
def macro_update(*, actor, macro: Macro, **fields) -> Macro:
    """Change a macro the actor manages."""
    if not permissions.can_manage_macro(actor, macro):
        raise PermissionDenied(_("You may not change this macro."))
    for key, value in _macro_clean(fields).items():
        setattr(macro, key, value)
    macro.save()
    return macro


@transaction.atomic
def macro_delete(*, actor, macro: Macro) -> None:
    """Delete a macro the actor manages."""
    if not permissions.can_manage_macro(actor, macro):
        raise PermissionDenied(_("You may not delete this macro."))
    macro.delete()
