"""What a notification says: title, text, link, and the rendered e-mail and SMS."""

import secrets
from types import SimpleNamespace

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from notifications.models import Event
from notifications.sms.text import fit_sms


def absolute(url: str) -> str:
    return f"{settings.FIXDESK_SITE_URL.rstrip('/')}{url}" if url.startswith("/") else url


def ticket_url(ticket) -> str:
    try:
        return ticket.get_absolute_url()
    except NoReverseMatch:  # only before the tickets pages exist
        return ""


def describe(event: Event, *, ticket=None, actor=None, extra: dict | None = None, recipient=None) -> tuple[str, str]:
    """(title, text) for an event as ``recipient`` reads it; ``extra`` holds the comment, reason, level or message."""
    extra = extra or {}
    who = actor.get_full_name() if actor is not None else _("Fixdesk")
    ref = f"{ticket.reference} {Truncator(ticket.title).chars(80)}" if ticket is not None else ""
    note = Truncator(extra.get("text", "")).chars(500)
    titles = {
        Event.CREATED: _("New request %(ref)s") % {"ref": ref},
        Event.APPROVED: _("Your request %(ref)s was approved") % {"ref": ref},
        Event.REJECTED: _("Your request %(ref)s was rejected") % {"ref": ref},
        Event.ASSIGNED: _("%(ref)s assigned to %(name)s") % {
            "ref": ref, "name": ticket.assignee.get_full_name() if ticket and ticket.assignee_id else ""},
        Event.STATUS_CHANGED: _("%(ref)s is now %(status)s") % {
            "ref": ref, "status": ticket.get_status_display().lower() if ticket else ""},
        Event.UPDATED: _("%(ref)s was changed") % {"ref": ref},
        Event.REPORT_SUBMITTED: _("Service report ready for %(ref)s") % {"ref": ref},
        Event.REPORT_SIGNED: _("Service report signed for %(ref)s") % {"ref": ref},
        Event.REPORT_REFUSED: _("Service report refused for %(ref)s") % {"ref": ref},
        Event.ESCALATED: _("%(ref)s escalated to level %(level)s") % {"ref": ref, "level": extra.get("level", "")},
        Event.COMMENT: (_("Internal note on %(ref)s") if extra.get("internal") else _("New comment on %(ref)s"))
        % {"ref": ref},
        Event.MESSAGE: _("Message from %(name)s") % {"name": who},
    }
    verbs = {
        Event.CREATED: _("%(who)s reported a new case."),
        Event.APPROVED: _("%(who)s approved your request."),
        Event.REJECTED: _("%(who)s rejected your request."),
        Event.ASSIGNED: _("%(who)s assigned the job."),
        Event.STATUS_CHANGED: _("%(who)s changed the status."),
        Event.UPDATED: _("%(who)s changed the ticket."),
        Event.REPORT_SUBMITTED: _("%(who)s submitted the service report. Please check and sign it off."),
        Event.REPORT_SIGNED: _("%(who)s signed the service report."),
        Event.REPORT_REFUSED: _("%(who)s refused the service report."),
        Event.ESCALATED: _("The ticket was escalated."),
        Event.COMMENT: _("%(who)s wrote:"),
        Event.MESSAGE: _("%(who)s wrote:"),
    }
    if event == Event.ASSIGNED and recipient is not None and ticket is not None and recipient.pk == ticket.assignee_id:
        titles[event] = _("New job for you: %(ref)s") % {"ref": ref}
    text = verbs[event] % {"who": who}
    if event == Event.ESCALATED and extra.get("reason"):
        text = f"{text} {extra['reason']}"
    if note:
        text = f"{text}\n{note}"
    return titles[event][:255], text


def describe_many(event: Event, recipients, *, ticket=None, actor=None, extra: dict | None = None) -> list:
    """``describe`` for each of ``recipients``, in order. It reads differently only to the ticket's assignee,
    so it runs at most twice however many people are told."""
    done: dict = {}
    out = []
    for recipient in recipients:
        key = ticket is not None and recipient.pk == ticket.assignee_id
        if key not in done:
            done[key] = describe(event, ticket=ticket, actor=actor, extra=extra, recipient=recipient)
        out.append(done[key])
    return out


class EmailBatch:
    """One event's e-mails to many people: the templates render once per (title, text), and each
    person's first name (the only part of ``recipient`` they use) goes into the result afterwards,
    escaped as the template would (a test holds it equal to ``render_email`` per recipient)."""

    def __init__(self, event: Event, context: dict):
        self.event, self.context, self.rendered = event, context, {}
        self.marker = f"fixdeskname{secrets.token_hex(8)}"  # unguessable: no ticket text can contain it

    def render(self, recipient, title: str, text: str) -> dict:
        key = (title, text)
        if key not in self.rendered:
            self.rendered[key] = render_email(self.event, {
                **self.context, "recipient": SimpleNamespace(first_name=self.marker), "title": title, "text": text})
        payload, name = self.rendered[key], recipient.first_name
        return {"subject": payload["subject"], "text": payload["text"].replace(self.marker, name),
                "html": payload["html"].replace(self.marker, conditional_escape(name))}


def render_email(event: Event, context: dict) -> dict:
    """{"subject", "text", "html"} from ``notifications/email/<event>.txt|.html``."""
    subject = " ".join(context["title"].split())
    text = render_to_string(f"notifications/email/{event}.txt", context).strip() + "\n"
    html = render_to_string(f"notifications/email/{event}.html", context)
    return {"subject": subject[:200], "text": text, "html": html}


def render_sms(context: dict) -> dict:
    """One SMS: the title, then where and how urgent (cut first if too long), then the link (never cut)."""
    text = f"Fixdesk: {context['title']}"
    ticket = context.get("ticket")
    if ticket is not None:
        where = ", ".join(str(x) for x in (ticket.site, ticket.location) if x)
        text += f". {ticket.get_priority_display()} priority" + (f", {where}" if where else "")
    return {"text": fit_sms(text, keep_tail=context.get("link", ""))}
