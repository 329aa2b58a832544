"""knowledge listens to tickets (never the other way round): cached reliability figures go stale
when a failure is reported, changes state or gets a service report."""

from django.db import transaction
from django.dispatch import receiver

from tickets import signals


def _stale(**kwargs):
    # After commit: a rolled-back change leaves the cache as it was.
    from knowledge import reliability

    transaction.on_commit(reliability.invalidate)


@receiver(signals.ticket_created, dispatch_uid="knowledge_ticket_created")
def on_ticket_created(sender, ticket, **kwargs):
    if ticket.equipment_id:
        _stale()


@receiver(signals.ticket_transitioned, dispatch_uid="knowledge_ticket_transitioned")
def on_ticket_transitioned(sender, ticket, **kwargs):
    if ticket.equipment_id:
        _stale()


@receiver(signals.ticket_updated, dispatch_uid="knowledge_ticket_updated")
def on_ticket_updated(sender, ticket, changes=None, **kwargs):
    if "equipment" in (changes or {}) or ticket.equipment_id:
        _stale()


@receiver(signals.report_submitted, dispatch_uid="knowledge_report_submitted")
@receiver(signals.report_signed, dispatch_uid="knowledge_report_signed")
@receiver(signals.report_refused, dispatch_uid="knowledge_report_refused")
def on_report(sender, **kwargs):
    _stale()
