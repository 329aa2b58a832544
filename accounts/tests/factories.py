"""Test data builders for accounts, shared by every app's tests."""

import itertools

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import Role

PASSWORD = "Corr3ct-Horse-Battery"
_seq = itertools.count(1)


def _letters(n: int) -> str:
    """A short, bounded, letters-only suffix unique per ``n`` (names may not hold digits)."""
    out = ""
    while True:
        n, r = divmod(n, 26)
        out = "abcdefghijklmnopqrstuvwxyz"[r] + out
        if not n:
            return out.title()


def make_user(role: str = Role.CUSTOMER, *, email: str | None = None, password: str = PASSWORD,
              confirmed: bool = True, **extra):
    """A saved user of ``role`` whose e-mail is confirmed unless ``confirmed=False``."""
    n = next(_seq)
    extra.setdefault("first_name", f"{role.title()}")
    extra.setdefault("last_name", "Tester " + _letters(n))
    if role in (Role.ENGINEER, Role.TECHNICIAN):
        extra.setdefault("phone", f"+447911{n:06d}")
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
