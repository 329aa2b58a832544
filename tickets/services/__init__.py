"""Every write to tickets goes through these services (keyword-only, the acting user passed)."""

from tickets.services.bulk import BULK_ACTIONS, tickets_bulk_transition
from tickets.services.comments import comment_add
from tickets.services.macros import (
    PLACEHOLDERS,
    macro_apply,
    macro_create,
    macro_delete,
    macro_render,
    macro_update,
)
from tickets.services.photos import MAX_PHOTOS, photo_add, photo_validate
from tickets.services.tickets import (
    ticket_create,
    ticket_delete,
    ticket_restore,
    ticket_transition,
    ticket_update,
)

__all__ = [
    "BULK_ACTIONS", "MAX_PHOTOS", "PLACEHOLDERS", "comment_add", "macro_apply", "macro_create", "macro_delete",
    "macro_render", "macro_update", "photo_add", "photo_validate", "ticket_create", "ticket_delete", "ticket_restore",
    "ticket_transition", "ticket_update", "tickets_bulk_transition",
]

# Service reports and sign-off.
from tickets.services.reports import (  # noqa: E402
    MAX_REPORT_PHOTOS,
    WrongPassword,
    report_create,
    report_photo_validate,
    report_refuse,
    report_sign_off,
    report_submit,
    report_update,
    report_void,
    travel_prefill,
)

__all__ += [
    "MAX_REPORT_PHOTOS", "WrongPassword", "report_create", "report_photo_validate", "report_refuse",
    "report_sign_off", "report_submit", "report_update", "report_void", "travel_prefill",
]

# SLA policies and working calendars (admins).
from tickets.services.sla import (  # noqa: E402
    calendar_delete,
    calendar_save,
    sla_policy_delete,
    sla_policy_save,
)

__all__ += ["calendar_delete", "calendar_save", "sla_policy_delete", "sla_policy_save"]
