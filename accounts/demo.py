"""Demo users, one per role. Idempotent: running it again changes nothing."""

from django.db import transaction
from django.utils import timezone

from accounts.models import Organization, Role, User
from accounts.roles import role_groups_ensure, user_groups_sync

DEMO_PASSWORD = "fixdesk-demo"  # noqa: S105 - published in the README on purpose

DEMO_USERS = [
    {"email": "admin@demo.fixdesk.test", "first_name": "Alice", "last_name": "Admin", "role": Role.ADMIN},
    {"email": "engineer@demo.fixdesk.test", "first_name": "Eric", "last_name": "Engineer", "role": Role.ENGINEER,
     "phone": "+447911200101"},
    {"email": "technician@demo.fixdesk.test", "first_name": "Tara", "last_name": "Technician",
     "role": Role.TECHNICIAN, "phone": "+447911200102"},
    {"email": "customer@demo.fixdesk.test", "first_name": "Colin", "last_name": "Customer",
     "role": Role.CUSTOMER, "phone": "+447911200103"},
]


def demo_user(role: str) -> User | None:
    """The demo user of ``role``, if seeded."""
    email = next(u["email"] for u in DEMO_USERS if u["role"] == role)
    return User.objects.filter(email__iexact=email, is_active=True).first()


def demo_login_user(role: str) -> User | None:
    """The active demo user of ``role``, seeding the demo users first if somebody removed them.

    None when an admin deactivated that demo account: it stays deactivated (the demo button says so).
    """
    user = demo_user(role)
    if user is None and not _deactivated(role):
        with transaction.atomic():
            seed(_Silent())
        user = demo_user(role)
    return user


def demo_roles_deactivated() -> set[str]:
    """The roles whose demo account exists but was deactivated by an admin (one query)."""
    emails = {u["email"]: u["role"] for u in DEMO_USERS}
    found = User.objects.filter(email__in=list(emails), is_active=False).values_list("email", flat=True)
    return {emails[email] for email in found if email in emails}


def _deactivated(role: str) -> bool:
    email = next(u["email"] for u in DEMO_USERS if u["role"] == role)
    return User.objects.filter(email__iexact=email, is_active=False).exists()


class _Silent:
    def write(self, *args, **kwargs):
        pass


def seed(stdout) -> None:
    role_groups_ensure()
    org, _ = Organization.objects.get_or_create(name="Acme Offices")
    for spec in DEMO_USERS:
        spec = dict(spec)
        email = spec.pop("email")
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=DEMO_PASSWORD, email_confirmed_at=timezone.now(),
                is_staff=spec["role"] == Role.ADMIN, is_superuser=spec["role"] == Role.ADMIN,
                organization=org if spec["role"] == Role.CUSTOMER else None, **spec,
            )
            stdout.write(f"  created {user.role} {email} (password: {DEMO_PASSWORD})")
        user_groups_sync(user)
