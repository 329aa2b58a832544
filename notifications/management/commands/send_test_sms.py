from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from notifications.sms import SmsError, send_sms


class Command(BaseCommand):
    help = "Send one test SMS through the configured SMS_BACKEND, to check the gateway settings."

    def add_arguments(self, parser):
        parser.add_argument("number", help="phone number, E.164 (+447911123456) or national form")
        parser.add_argument("--message", default="Fixdesk test message: your SMS gateway works.")
        parser.add_argument("--dry-run", action="store_true", help="show what would be sent, send nothing")

    def handle(self, *args, number, message, dry_run, **options):
        from notifications.sms.text import fit_sms, to_e164

        try:
            to = to_e164(number)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"backend: {settings.SMS_BACKEND}")
        if dry_run:
            self.stdout.write(f"would send to {to}: {fit_sms(message)}")
            return
        try:
            sent = send_sms(to, message)
        except SmsError as exc:
            raise CommandError(f"the gateway refused: {exc}") from exc
        except Exception as exc:  # misconfiguration (missing SID/token) and the like
            raise CommandError(f"{type(exc).__name__}: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"sent to {to} (id {sent.provider_id or '-'})"))
