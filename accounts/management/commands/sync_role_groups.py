"""Rebuild the role groups and put every person in the group of their role (after a bulk import,
or when the permission map in accounts/permissions.py changed)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import User
from accounts.permissions import ROLE_GROUPS, staff_flags_for
from accounts.roles import role_groups_ensure, user_groups_sync


class Command(BaseCommand):
    help = "Create the role groups with their permissions and keep each user's group and admin flag in step."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report what would change, change nothing.")

    def handle(self, *args, dry_run=False, **options):
        users = User.objects.prefetch_related("groups").order_by("pk")
        total = users.count()
        out_of_step = []
        for n, user in enumerate(users.iterator(chunk_size=500), start=1):
            names = {g.name for g in user.groups.all()} & set(ROLE_GROUPS.values())
            wrong_flag = user.is_staff != staff_flags_for(user.role)["is_staff"]
            if names != {ROLE_GROUPS[user.role]} or wrong_flag:
                out_of_step.append(user)
            if n % 500 == 0 or n == total:
                self.stdout.write(f"  checked {n}/{total} people")
        self.stdout.write(f"{len(out_of_step)} of {total} people are out of step with their role.")
        if dry_run:
            for user in out_of_step[:50]:
                self.stdout.write(f"  would fix {user.email} ({user.role})")
            self.stdout.write("Dry run: nothing changed.")
            return
        with transaction.atomic():
            role_groups_ensure()
            for user in out_of_step:
                flags = staff_flags_for(user.role)
                if user.is_staff != flags["is_staff"]:
                    user.is_staff = flags["is_staff"]
                    user.save(update_fields=["is_staff"])
                user_groups_sync(user)
        self.stdout.write(self.style.SUCCESS(f"Role groups rebuilt; {len(out_of_step)} people fixed."))
