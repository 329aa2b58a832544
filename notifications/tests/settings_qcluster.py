"""Settings for the ``qcluster`` process the integration test starts: the test settings, but
sending through the fake SMTP server and SMS gateway whose addresses the test passes in the
environment (FAKE_SMTP_PORT, FAKE_SMS_URL). DATABASE_URL points at the file test database."""

import os

from helpdesk.settings_test import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ["FAKE_SMTP_PORT"])
EMAIL_USE_TLS = EMAIL_USE_SSL = False
EMAIL_HOST_USER = EMAIL_HOST_PASSWORD = ""
EMAIL_TIMEOUT = 5
SMS_BACKEND = "notifications.sms.backends.twilio.SmsBackend"
TWILIO_ACCOUNT_SID = "AC" + "2" * 32
TWILIO_AUTH_TOKEN = "integration-token"  # noqa: S105 - a fake gateway's token
TWILIO_FROM_NUMBER = "+447700900001"
TWILIO_API_URL = os.environ["FAKE_SMS_URL"]
Q_CLUSTER = {**Q_CLUSTER, "workers": 2, "sync": False, "orm": "default"}  # noqa: F405
Q_CLUSTER.pop("redis", None)
