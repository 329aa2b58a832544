"""E-mails from accounts: a subject, a text body and an HTML body per message, sent after commit."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string


def absolute_url(path: str) -> str:
    """An absolute link for e-mails, built on ``FIXDESK_SITE_URL``."""
    return settings.FIXDESK_SITE_URL.rstrip("/") + path


def send_templated_mail(template: str, to: str, context: dict) -> None:
    """Render ``accounts/email/<template>_{subject.txt,body.txt,body.html}`` and send it now."""
    context = {"site_url": settings.FIXDESK_SITE_URL, **context}
    subject = " ".join(render_to_string(f"accounts/email/{template}_subject.txt", context).split())
    text = render_to_string(f"accounts/email/{template}_body.txt", context)
    html = render_to_string(f"accounts/email/{template}_body.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
    message.attach_alternative(html, "text/html")
    message.send()


def send_on_commit(template: str, to: str, context: dict) -> None:
    """Send once the surrounding transaction commits: no mail for a change that was rolled back."""
    transaction.on_commit(lambda: send_templated_mail(template, to, context))
