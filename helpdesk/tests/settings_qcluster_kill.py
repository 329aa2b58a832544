"""The notifications integration settings, with a short "stuck" limit so a killed worker's claim is
released within seconds (production keeps NOTIFICATIONS_STUCK_SECONDS well above the task timeout)."""

from notifications.tests.settings_qcluster import *  # noqa: F403

NOTIFICATIONS_STUCK_SECONDS = 5
NOTIFICATIONS_QUEUE_GRACE_SECONDS = 1
# A held SMS request stays held until the test kills the cluster: the worker must not give up on
# the gateway first and go on to send an e-mail (the kill would then land mid-e-mail).
SMS_TIMEOUT = 80
