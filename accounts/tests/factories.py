"""Test data builders for accounts, shared by every app's tests."""

import itertools

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import Role

PASSWORD = "Corr3ct-Horse-Battery"
_seq = itertools.count(1)


def make_user(role: str = Role.CUSTOMER, *, email: str | None = None, password: str = PASSWORD,
              confirmed: bool = True, **extra):
    """A saved user of ``role`` whose e-mail is confirmed unless ``confirmed=False``."""
    n = next(_seq)
    extra.setdefault("first_name", f"{role.title()}")
    extra.setdefault("last_name", "Tester" + "abcdefghij"[n % 10] * (1 + n // 10))
    if role in (Role.ENGINEER, Role.TECHNICIAN):
        extra.setdefault("phone", f"+4477009{n:05d}")
    if role == Role.ADMIN:
        extra.setdefault("is_staff", True)
    user = get_user_model().objects.create_user(
        email=email or f"{role}{n}@example.com",
        password=password,
        role=role,
        email_confirmed_at=timezone.now() if confirmed else None,
        **extra,
    )
    return user
