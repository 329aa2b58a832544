"""Signed, expiring, single-use tokens for the sign-up confirmation and the invitation links."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int

from accounts.models import User

CONFIRM_SALT = "accounts.confirm-email"


class ConfirmationError(Exception):
    """The confirmation link is malformed, expired or already used."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "invalid" | "expired" | "used"


def confirmation_token_make(user: User) -> str:
    """A signed token naming the user and the address being confirmed."""
    return signing.dumps({"u": user.pk, "e": user.email}, salt=CONFIRM_SALT, compress=True)


def confirmation_token_user(token: str) -> User:
    """The user a confirmation token belongs to; ``ConfirmationError`` when it cannot be used."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=settings.FIXDESK_CONFIRMATION_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ConfirmationError("expired") from exc
    except signing.BadSignature as exc:
        raise ConfirmationError("invalid") from exc
    user = User.objects.filter(pk=data.get("u"), email__iexact=data.get("e", "")).first()
    if user is None or not user.is_active:
        raise ConfirmationError("invalid")
    if user.email_confirmed_at is not None:
        raise ConfirmationError("used")
    return user


EMAIL_CHANGE_SALT = "accounts.change-email"


def email_change_token_make(user: User, new_email: str) -> str:
    """A signed token for moving ``user`` from their current address to ``new_email``."""
    return signing.dumps({"u": user.pk, "old": user.email, "new": new_email}, salt=EMAIL_CHANGE_SALT, compress=True)


def email_change_token_read(token: str) -> tuple[User, str]:
    """(user, new address) of a change-of-address token; ``ConfirmationError`` when it cannot be used."""
    try:
        data = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=settings.FIXDESK_CONFIRMATION_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ConfirmationError("expired") from exc
    except signing.BadSignature as exc:
        raise ConfirmationError("invalid") from exc
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None:
        raise ConfirmationError("invalid")
    if user.email.lower() == str(data.get("new", "")).lower():
        raise ConfirmationError("used")
    if user.email.lower() != str(data.get("old", "")).lower():
        raise ConfirmationError("invalid")  # the address changed another way meanwhile
    return user, data["new"]


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Like the password-reset token (dies once a password is set), with its own salt and lifetime."""

    key_salt = "accounts.tokens.InvitationTokenGenerator"

    def check_token(self, user, token):
        # The parent reads PASSWORD_RESET_TIMEOUT; invitations live FIXDESK_CONFIRMATION_MAX_AGE.
        if not (user and token):
            return False
        try:
            ts_b36, _ = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        for secret in [self.secret, *self.secret_fallbacks]:
            if constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token):
                break
        else:
            return False
        return (self._num_seconds(self._now()) - ts) <= settings.FIXDESK_CONFIRMATION_MAX_AGE


invitation_token_generator = InvitationTokenGenerator()
