"""Errors raised by the ticket services. Views show them as messages; the API maps them to 409."""


class TicketError(Exception):
    """A refused change: nothing was written."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ActionNotAllowed(TicketError):
    """The action is not allowed for this user in the ticket's current state (API: 409)."""


class ReportRequired(ActionNotAllowed):
    """``resolve`` refused because the ticket's category needs a service report: submit one (API: 409)."""


class StaleTicket(TicketError):
    """The form was loaded at an older version; ``events`` says what changed meanwhile (API: 409)."""

    def __init__(self, message: str, events=()):
        super().__init__(message)
        self.events = list(events)
