"""Twilio's Messages API over HTTPS (stdlib only): POST /2010-04-01/Accounts/{SID}/Messages.json.

A message with an ``idempotency_key`` carries it as the ``Idempotency-Key`` header (the IETF
httpapi draft): gateways and relays that honour it answer a repeated request with the first
message instead of sending again. Twilio's public Messages API documents no such key, so with
Twilio itself a resend after a lost answer can still reach the phone twice (docs/security.md)."""

import base64
import json
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from notifications.sms.backends.base import BaseSmsBackend


class SmsBackend(BaseSmsBackend):
    def __init__(self, account_sid=None, auth_token=None, from_number=None, api_url=None, timeout=None, **kwargs):
        super().__init__(**kwargs)
        self.account_sid = account_sid or settings.TWILIO_ACCOUNT_SID
        self.auth_token = auth_token or settings.TWILIO_AUTH_TOKEN
        self.from_number = from_number or settings.TWILIO_FROM_NUMBER
        self.api_url = (api_url or settings.TWILIO_API_URL).rstrip("/")
        self.timeout = timeout or getattr(settings, "SMS_TIMEOUT", 10)
        if not (self.account_sid and self.auth_token and self.from_number):
            raise ImproperlyConfigured("TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER must be set.")
        if not self.api_url.startswith(("https://", "http://")):
            raise ImproperlyConfigured("TWILIO_API_URL must be an http(s) URL.")

    def send_messages(self, messages) -> int:
        for message in messages:
            message.provider_id = self._send(message)
        return len(messages)

    def _send(self, message) -> str:
        from notifications.sms import SmsError

        url = f"{self.api_url}/2010-04-01/Accounts/{urllib.parse.quote(self.account_sid)}/Messages.json"
        data = urllib.parse.urlencode(
            {"To": message.to, "From": message.from_number or self.from_number, "Body": message.body}
        ).encode()
        token = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        headers = {"Authorization": f"Basic {token}", "Accept": "application/json"}
        if message.idempotency_key:
            headers["Idempotency-Key"] = message.idempotency_key
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __init__
            url, data=data, method="POST", headers=headers,
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # nosec B310  # noqa: S310
                body = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:500].decode("utf-8", "replace")
            try:
                detail = json.loads(detail).get("message", detail)
            except (ValueError, AttributeError):
                pass
            raise SmsError(f"gateway answered HTTP {exc.code}: {detail}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsError(f"gateway unreachable: {exc}") from exc
        except ValueError as exc:
            raise SmsError("gateway answered with invalid JSON") from exc
        return str(body.get("sid", ""))
