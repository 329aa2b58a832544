"""What the tickets app announces. ``tickets`` never imports ``notifications`` or ``knowledge``:
they subscribe to these signals in their ``AppConfig.ready()``.

Every signal is sent by a service *inside* its transaction, after the change and its
``TicketEvent`` are written, so receivers can write rows that commit or roll back with it.
Receivers must not send anything to the outside world directly: queue work with
``transaction.on_commit``.

Keyword arguments (``sender`` is the ``Ticket`` class unless said otherwise):

- ``ticket_created``: ``ticket``, ``actor``, ``event``.
- ``ticket_transitioned``: ``ticket``, ``actor``, ``action`` (workflow action name),
  ``from_status``, ``to_status``, ``event``, ``comment`` (text or "").
- ``ticket_updated``: ``ticket``, ``actor``, ``event``, ``changes`` ({field: [old, new]}).
- ``comment_added``: ``ticket``, ``comment``, ``actor`` (``comment.is_internal`` tells staff-only).
- ``ticket_escalated``: ``ticket``, ``actor`` (None for the sweep), ``level``, ``reason``, ``event``.
- ``report_submitted`` / ``report_signed`` / ``report_refused``: ``ticket``, ``report``, ``actor``, ``event``.
"""

from django.dispatch import Signal

ticket_created = Signal()
ticket_transitioned = Signal()
ticket_updated = Signal()
comment_added = Signal()
ticket_escalated = Signal()
report_submitted = Signal()
report_signed = Signal()
report_refused = Signal()
