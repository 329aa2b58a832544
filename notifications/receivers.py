"""Turn the tickets app's signals into notifications (same transaction; sending after commit)."""

from django.dispatch import receiver

from notifications.models import Event
from notifications.rules import ACTION_EVENTS
from notifications.services import notify
from tickets import signals


@receiver(signals.ticket_created, dispatch_uid="notifications.ticket_created")
def on_ticket_created(sender, ticket, actor=None, **kwargs):
    notify(event=Event.CREATED, actor=actor, ticket=ticket, extra={"text": ticket.description})


@receiver(signals.ticket_transitioned, dispatch_uid="notifications.ticket_transitioned")
def on_ticket_transitioned(sender, ticket, action, actor=None, comment="", **kwargs):
    event = ACTION_EVENTS.get(action)
    if event is not None:
        notify(event=event, actor=actor, ticket=ticket, extra={"text": comment or ""})


# Fields whose change is worth telling people about (others, such as the version, are noise).
UPDATE_FIELDS_SHOWN = ("title", "description", "priority", "category", "site", "location", "equipment",
                       "affected_item", "contact_phone", "vehicle")


@receiver(signals.ticket_updated, dispatch_uid="notifications.ticket_updated")
def on_ticket_updated(sender, ticket, actor=None, changes=None, **kwargs):
    shown = {f: v for f, v in (changes or {}).items() if f in UPDATE_FIELDS_SHOWN}
    if not shown:
        return
    lines = []
    for field, value in shown.items():
        old, new = (list(value) + ["", ""])[:2] if isinstance(value, (list, tuple)) else ("", value)
        if field == "description":
            lines.append("description changed")
        else:
            lines.append(f"{field.replace('_', ' ')}: {old or '-'} -> {new or '-'}")
    notify(event=Event.UPDATED, actor=actor, ticket=ticket, extra={"text": "\n".join(lines)})


@receiver(signals.comment_added, dispatch_uid="notifications.comment_added")
def on_comment_added(sender, ticket, comment, actor=None, **kwargs):
    notify(
        event=Event.COMMENT, actor=actor or comment.author, ticket=ticket, staff_only=comment.is_internal,
        extra={"text": comment.body, "internal": comment.is_internal},
    )


@receiver(signals.ticket_escalated, dispatch_uid="notifications.ticket_escalated")
def on_ticket_escalated(sender, ticket, level, reason="", actor=None, **kwargs):
    notify(event=Event.ESCALATED, actor=actor, ticket=ticket, extra={"level": level, "reason": reason})


@receiver(signals.report_submitted, dispatch_uid="notifications.report_submitted")
def on_report_submitted(sender, ticket, actor=None, **kwargs):
    notify(event=Event.REPORT_SUBMITTED, actor=actor, ticket=ticket)


@receiver(signals.report_signed, dispatch_uid="notifications.report_signed")
def on_report_signed(sender, ticket, actor=None, **kwargs):
    notify(event=Event.REPORT_SIGNED, actor=actor, ticket=ticket)


@receiver(signals.report_refused, dispatch_uid="notifications.report_refused")
def on_report_refused(sender, ticket, report=None, actor=None, event=None, **kwargs):
    # The contract carries no reason of its own: look where the tickets app is likely to keep it.
    reason = kwargs.get("reason") or next(
        (getattr(report, name) for name in ("refusal_reason", "refused_reason", "reason")
         if getattr(report, name, None)), ""
    ) or ((getattr(event, "changes", None) or {}).get("reason", "") if event is not None else "")
    notify(event=Event.REPORT_REFUSED, actor=actor, ticket=ticket, extra={"text": reason})
