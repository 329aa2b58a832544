"""Test settings: the real settings with fast hashing and in-memory outboxes."""

import os

os.environ.setdefault("Q_SYNC", "0")

from helpdesk.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "notifications.sms.backends.locmem.SmsBackend"
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
SECURE_SSL_REDIRECT = False
FIXDESK_DEMO = True
WHITENOISE_AUTOREFRESH = True  # no collectstatic in tests
# The access matrix and schemathesis send many anonymous API calls in one test; the anonymous rate
# itself is tested with a low rate set on the throttle (helpdesk/tests/test_api_throttling.py).
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {  # noqa: F405
    **REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": "10000/min"}}  # noqa: F405
