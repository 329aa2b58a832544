"""The one table of who hears what, on which channels. Everything else is derived from it.

An audience is resolved against the ticket (or message) at the time of the event; the actor
never hears about their own action, inactive accounts hear nothing, customers never hear of
internal notes, and each person's preferences (``preferences.py``) can switch a channel off.
"""

from dataclasses import dataclass
from enum import StrEnum

from accounts.models import Role
from notifications.models import Channel, Event

WEB, EMAIL, SMS = Channel.WEB, Channel.EMAIL, Channel.SMS


class Audience(StrEnum):
    REQUESTER = "requester"  # the ticket's requester
    ASSIGNEE = "assignee"  # the ticket's engineer or technician
    ASSIGNEE_AT_LEVEL_1 = "assignee at level 1"  # the assignee, on a ticket's first escalation only
    ADMINS = "admins"  # every active admin
    ADMINS_IF_UNASSIGNED = "admins_if_unassigned"  # the admins, while nobody is assigned
    RECIPIENT = "recipient"  # the addressee of a message


@dataclass(frozen=True)
class Rule:
    event: Event
    audience: Audience
    channels: frozenset


def _r(event, audience, *channels) -> Rule:
    return Rule(event, audience, frozenset(channels))


RULES: tuple[Rule, ...] = (
    _r(Event.CREATED, Audience.ADMINS, WEB, EMAIL),
    _r(Event.APPROVED, Audience.REQUESTER, WEB, EMAIL),
    _r(Event.REJECTED, Audience.REQUESTER, WEB, EMAIL),
    _r(Event.ASSIGNED, Audience.ASSIGNEE, SMS, WEB, EMAIL),
    _r(Event.ASSIGNED, Audience.REQUESTER, WEB),
    _r(Event.STATUS_CHANGED, Audience.REQUESTER, WEB),
    _r(Event.STATUS_CHANGED, Audience.ASSIGNEE, WEB),
    _r(Event.UPDATED, Audience.REQUESTER, WEB),
    _r(Event.UPDATED, Audience.ASSIGNEE, WEB),
    _r(Event.REPORT_SUBMITTED, Audience.REQUESTER, WEB, EMAIL),
    _r(Event.REPORT_SIGNED, Audience.ASSIGNEE, WEB),
    _r(Event.REPORT_SIGNED, Audience.ADMINS, WEB),
    _r(Event.REPORT_REFUSED, Audience.ASSIGNEE, WEB),
    _r(Event.REPORT_REFUSED, Audience.ADMINS, WEB),
    _r(Event.ESCALATED, Audience.ADMINS, WEB, EMAIL, SMS),
    _r(Event.ESCALATED, Audience.ASSIGNEE_AT_LEVEL_1, WEB, EMAIL, SMS),  # level 2: the admins again only
    _r(Event.COMMENT, Audience.REQUESTER, WEB, EMAIL),
    _r(Event.COMMENT, Audience.ASSIGNEE, WEB, EMAIL),
    _r(Event.COMMENT, Audience.ADMINS_IF_UNASSIGNED, WEB),
    _r(Event.MESSAGE, Audience.RECIPIENT, WEB, EMAIL),
)

# Workflow action (tickets/workflow.py) -> event kind. ``resolve`` is the submission of the
# service report: it is announced once, whichever of the two signals comes first.
ACTION_EVENTS: dict[str, Event] = {
    "approve": Event.APPROVED,
    "reject": Event.REJECTED,
    "assign": Event.ASSIGNED,
    "take": Event.ASSIGNED,
    "resolve": Event.REPORT_SUBMITTED,
    "start": Event.STATUS_CHANGED,
    "hold": Event.STATUS_CHANGED,
    "resume": Event.STATUS_CHANGED,
    "cancel": Event.STATUS_CHANGED,
    "close": Event.STATUS_CHANGED,
    "close_solved": Event.STATUS_CHANGED,
    "reopen": Event.STATUS_CHANGED,
}

# Which roles can ever be in an audience (drives the preferences page).
AUDIENCE_ROLES: dict[Audience, tuple[str, ...]] = {
    Audience.REQUESTER: tuple(Role),
    Audience.ASSIGNEE: (Role.ENGINEER, Role.TECHNICIAN),
    Audience.ASSIGNEE_AT_LEVEL_1: (Role.ENGINEER, Role.TECHNICIAN),
    Audience.ADMINS: (Role.ADMIN,),
    Audience.ADMINS_IF_UNASSIGNED: (Role.ADMIN,),
    Audience.RECIPIENT: tuple(Role),
}

# SMS is opt-in except where someone has to move: a job given to field staff, an escalation.
SMS_ON_BY_DEFAULT: dict[Event, tuple[str, ...]] = {
    Event.ASSIGNED: (Role.ENGINEER, Role.TECHNICIAN),
    Event.ESCALATED: (Role.ADMIN, Role.ENGINEER, Role.TECHNICIAN),
}


def rules_for(event: Event) -> list[Rule]:
    return [rule for rule in RULES if rule.event == event]


def channels_for_role(role: str) -> dict[Event, list[Channel]]:
    """Event kinds a person of ``role`` can hear about, and on which channels (ordered)."""
    out: dict[Event, set] = {}
    for rule in RULES:
        if role in AUDIENCE_ROLES[rule.audience]:
            out.setdefault(rule.event, set()).update(rule.channels)
    return {event: [c for c in Channel if c in channels] for event, channels in out.items()}


def default_enabled(role: str, event: Event, channel: Channel) -> bool:
    """The setting a person has until they change it."""
    if channel == SMS:
        return role in SMS_ON_BY_DEFAULT.get(event, ())
    return True


def resolve_audience(audience: Audience, *, ticket=None, recipient=None) -> list:
    """The users an audience names for this ticket (or message recipient)."""
    from accounts.models import User

    if audience == Audience.REQUESTER:
        return [ticket.requester] if ticket is not None else []
    if audience == Audience.ASSIGNEE:
        return [ticket.assignee] if ticket is not None and ticket.assignee_id else []
    if audience == Audience.ASSIGNEE_AT_LEVEL_1:  # the level is already raised when the signal is sent
        return [ticket.assignee] if ticket is not None and ticket.assignee_id and ticket.escalation_level <= 1 else []
    if audience == Audience.ADMINS or (audience == Audience.ADMINS_IF_UNASSIGNED and ticket is not None
                                       and not ticket.assignee_id):
        return list(User.objects.filter(role=Role.ADMIN, is_active=True))
    if audience == Audience.RECIPIENT:
        return [recipient] if recipient is not None else []
    return []


def recipients_for(event: Event, *, actor=None, ticket=None, recipient=None, staff_only: bool = False) -> dict:
    """{user: set of channels} for an event, before preferences: the table applied to this case."""
    found: dict = {}
    by_pk: dict = {}
    for rule in rules_for(event):
        for user in resolve_audience(rule.audience, ticket=ticket, recipient=recipient):
            if user is None or not user.is_active:
                continue
            if actor is not None and user.pk == actor.pk:
                continue
            if staff_only and not user.is_staff_member:
                continue
            user = by_pk.setdefault(user.pk, user)
            found.setdefault(user, set()).update(rule.channels)
    return found


def rule_table_markdown() -> str:
    """The table as Markdown (docs/notifications.md holds a copy; a test keeps them equal)."""
    lines = ["| event | who | channels | SMS on by default for |", "|---|---|---|---|"]
    for rule in RULES:
        channels = ", ".join(str(Channel(c).label) for c in Channel if c in rule.channels)
        sms_default = ", ".join(SMS_ON_BY_DEFAULT.get(rule.event, ())) if SMS in rule.channels else ""
        lines.append(f"| {rule.event.label} (`{rule.event.value}`) | {rule.audience.value} | {channels} | "
                     f"{sms_default or '-'} |")
    return "\n".join(lines)
