"""Sending SMS, in the manner of ``django.core.mail``: a backend chosen by ``settings.SMS_BACKEND``.

    from notifications.sms import send_sms
    send_sms("+447911123456", "Your job FD-000012 ...")

Backends: ``console`` (prints; the default), ``locmem`` (tests: ``notifications.sms.outbox``)
and ``twilio`` (Twilio's Messages API over HTTPS). Numbers go out in E.164 form and a text
longer than one SMS is cut cleanly (``fit_sms``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string

from notifications.sms.text import fit_sms, to_e164

__all__ = ["SmsMessage", "SmsError", "get_connection", "send_sms", "fit_sms", "to_e164", "outbox"]

# Filled by the locmem backend (tests), like django.core.mail.outbox.
outbox: list[SmsMessage] = []


class SmsError(Exception):
    """The gateway refused or could not be reached; the text says why."""


@dataclass
class SmsMessage:
    to: str
    body: str
    from_number: str = ""
    provider_id: str = field(default="", compare=False)
    # Same key for every attempt at the same message (the outbox uses the delivery id): a gateway
    # that honours ``Idempotency-Key`` sends a retried request once (docs/security.md).
    idempotency_key: str = field(default="", compare=False)


def get_connection(backend: str | None = None, **kwargs):
    """An SMS backend instance (``settings.SMS_BACKEND`` unless ``backend`` is given)."""
    klass = import_string(backend or settings.SMS_BACKEND)
    return klass(**kwargs)


def send_sms(to: str, body: str, *, connection=None) -> SmsMessage:
    """Send one SMS to ``to`` (any form ``phonenumbers`` reads); returns the message with its provider id."""
    message = SmsMessage(to=to_e164(to), body=fit_sms(body))
    (connection or get_connection()).send_messages([message])
    return message
