from django import template
from django.template.defaultfilters import urlize
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext

from tickets.presentation import event_summary as _event_summary
from tickets.presentation import status_label as _status_label

register = template.Library()

STATUS_CLASSES = {
    "new": "text-bg-info", "approved": "text-bg-primary", "rejected": "text-bg-dark", "assigned": "text-bg-primary",
    "in_progress": "text-bg-warning", "on_hold": "text-bg-secondary", "resolved": "text-bg-success",
    "closed": "text-bg-light border", "cancelled": "text-bg-light border",
}
PRIORITY_CLASSES = {"low": "text-bg-light border", "normal": "text-bg-secondary", "high": "text-bg-warning",
                    "urgent": "text-bg-danger"}


@register.filter
def status_class(status: str) -> str:
    return STATUS_CLASSES.get(status, "text-bg-secondary")


@register.filter
def priority_class(priority: str) -> str:
    return PRIORITY_CLASSES.get(priority, "text-bg-secondary")


@register.simple_tag
def ticket_badges(ticket, now=None):
    """Status, priority, escalation level and SLA deadline badges of one ticket (every list row has them)."""
    from tickets.templatetags.sla_tags import sla_badge

    html = format_html('<span class="badge {}">{}</span>\n<span class="badge {}">{}</span>',
                       status_class(ticket.status), ticket.get_status_display(),
                       priority_class(ticket.priority), ticket.get_priority_display())
    if ticket.escalation_level:
        html += format_html(' <span class="badge text-bg-danger">↑{}</span>', ticket.escalation_level)
    return html + sla_badge(ticket, now)


@register.filter
def event_summary(event) -> str:
    return _event_summary(event)


@register.filter
def status_label(value: str) -> str:
    return _status_label(value)


def _when(value) -> str:
    """``<time datetime="{{ v|date:'c' }}">{{ v|date:"SHORT_DATETIME_FORMAT" }}</time>``."""
    value = template_localtime(value)
    return format_html('<time datetime="{}">{}</time>', date_format(value, "c"),
                       date_format(value, "SHORT_DATETIME_FORMAT"))


@register.simple_tag
def timeline_items(items, focus_first=False) -> str:
    """The entries of a timeline page, written in Python (a template loop was 80 µs an entry).

    The markup is the template's that it replaced, byte for byte (``tickets/tests/test_timeline.py``
    compares the two on comments, internal notes, events with and without a comment, and links).
    """
    out = []
    internal_note = gettext("Internal note")
    for n, item in enumerate(items):
        # A constant: nothing of the user's in it.
        focus = mark_safe(' tabindex="-1" data-timeline-focus') if n == 0 and focus_first else ""  # nosec B308 B703
        out.append("\n      ")
        if item["kind"] == "comment":
            c = item["comment"]
            badge = (format_html(' · <span class="badge text-bg-warning">{}</span>', internal_note)
                     if c.is_internal else "")
            out.append(format_html(
                '\n      <li class="card mb-2{}"{}>\n        <div class="card-body py-2">\n'
                '          <p class="small text-body-secondary mb-1"><strong>{}</strong> · {}{}</p>\n'
                '          <div class="text-prewrap">{}</div>\n        </div>\n      </li>\n      ',
                " border-warning bg-warning-subtle" if c.is_internal else "", focus,
                c.author.get_full_name() if c.author else "", _when(c.created_at), badge,
                urlize(c.body, autoescape=True)))
        else:
            comment = item["changes"].get("comment")
            out.append(format_html(
                '\n      <li class="border-start border-3 ps-2 mb-2 small"{}>\n'
                '        <span class="text-body-secondary">{}</span>\n        {}\n        {}\n      </li>\n      ',
                focus, _when(item["at"]), _event_summary(item["event"]),
                format_html('<div class="text-prewrap">{}</div>', urlize(comment, autoescape=True))
                if comment else ""))
        out.append("\n    ")
    return mark_safe("".join(out))  # nosec B308 B703  # noqa: S308 - every part went through format_html


@register.simple_tag
def ticket_rows(tickets, bulk=False, show_requester=False) -> str:
    """The ``<tr>`` of each ticket of a list page, or the "No tickets match." row, written in Python
    (1-2 ms less a page of 25 rows than the template loop, in-process; docs/bench.md, round 6).

    The markup is the template loop's that it replaced, byte for byte (``tickets/tests/test_list_rows.py``
    compares the two on rows with and without category, place, assignee, escalation and SLA badges,
    with and without the selection boxes and the requester column, in three time zones).
    """
    out = []
    not_assigned = conditional_escape(gettext("Not assigned yet"))
    select_label = gettext("Select %(ref)s")
    now = timezone.now()  # every row's deadline badge judged at the same instant
    for ticket in tickets:
        cells = ["\n    <tr>\n      "]
        if bulk:
            # The whole label escaped (the template escaped only the reference; the same for English).
            cells.append(format_html(
                '<td><input class="form-check-input" type="checkbox" name="tickets" value="{}" form="bulk-form" '
                'aria-label="{}"></td>', ticket.pk, select_label % {"ref": ticket.reference}))
        category = ticket.category
        cells.append(format_html(
            '\n      <td><a href="{}" class="fw-semibold">{}</a><br>{}{}</td>\n      <td>{}</td>\n'
            '      <td class="d-none d-md-table-cell">{}{}</td>\n      ',
            ticket.url, ticket.reference, ticket.title,
            format_html(' <small class="text-body-secondary">· {}</small>', category) if category else "",
            ticket_badges(ticket, now), ticket.site or "",
            format_html("<br><small>{}</small>", ticket.location) if ticket.location else ""))
        if show_requester:
            cells.append(format_html('<td class="d-none d-md-table-cell">{}</td>',
                                     ticket.requester.get_full_name()))
        assignee = ticket.assignee
        cells.append(format_html(
            '\n      <td>{}</td>\n      <td class="d-none d-lg-table-cell">{}</td>\n    </tr>\n  ',
            assignee.get_full_name() if assignee else
            format_html('<span class="text-body-secondary">{}</span>', not_assigned),
            _when(ticket.created_at)))
        out.append("".join(cells))
    if not out:
        out.append(format_html('\n    <tr><td colspan="7" class="text-body-secondary">{}</td></tr>\n  ',
                               gettext("No tickets match.")))
    return mark_safe("".join(out))  # nosec B308 B703  # noqa: S308 - every part went through format_html
