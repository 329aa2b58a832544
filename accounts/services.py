"""Every write to accounts goes through these functions (keyword-only, the acting user passed).

They check the permission policy (``accounts.permissions``) again, whatever the view did, open a
transaction, keep the role group and the Django-admin flag in step with the role, and send
e-mails only after commit.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from accounts import permissions
from accounts.mail import absolute_url, send_on_commit
from accounts.models import FIELD_ROLES, AccountEvent, Organization, Role, User
from accounts.roles import user_groups_sync
from accounts.tokens import (
    ConfirmationError,
    confirmation_token_make,
    confirmation_token_user,
    email_change_token_make,
    email_change_token_read,
    invitation_token_generator,
)

UNSET = object()


def _normalize_email(email: str) -> str:
    return User.objects.normalize_email((email or "").strip()).lower()


def _require_phone_for(role: str, phone) -> None:
    if role in FIELD_ROLES and not phone:
        raise ValidationError({"phone": _("Engineers and technicians need a phone number.")})


def _validate(user: User, exclude: list[str] | None = None) -> None:
    user.full_clean(exclude=["password", *(exclude or [])])


def _apply_role(user: User, role: str) -> None:
    user.role = role
    user.is_staff = permissions.staff_flags_for(role)["is_staff"]
    if role != Role.ADMIN:
        user.is_superuser = False


def _admin_emails() -> set[str]:
    return {e.strip().lower() for e in settings.FIXDESK_ADMIN_EMAILS if e.strip()}


def _event(user: User, action: str, *, actor: User | None = None, old: str = "", new: str = "") -> None:
    AccountEvent.objects.create(user=user, actor=actor, action=action, old_value=str(old)[:200],
                                new_value=str(new)[:200])


def _mark_confirmed(user: User) -> None:
    """Set the confirmation time; an address listed in FIXDESK_ADMIN_EMAILS becomes an admin.

    The caller saves the user; the events are written here (the user row exists already).
    """
    user.email_confirmed_at = timezone.now()
    _event(user, AccountEvent.Action.CONFIRMED, actor=user)
    if user.email.lower() in _admin_emails() and user.role != Role.ADMIN:
        _event(user, AccountEvent.Action.ROLE_CHANGED, old=user.role, new=Role.ADMIN)
        _apply_role(user, Role.ADMIN)


# --- sign-up and confirmation ---------------------------------------------------------------

def _send_confirmation(user: User) -> None:
    link = absolute_url(reverse("accounts:confirm", args=[confirmation_token_make(user)]))
    send_on_commit("confirm", user.email, {"user": user, "link": link,
                                           "max_age_hours": settings.FIXDESK_CONFIRMATION_MAX_AGE // 3600})


@transaction.atomic
def user_signup(*, email: str, first_name: str, last_name: str, password: str) -> User | None:
    """Create an unconfirmed customer and e-mail the confirmation link.

    When the address already has an account nothing is created; its owner gets an e-mail
    saying so instead, and the caller shows the same page, so sign-up reveals no addresses.
    """
    email = _normalize_email(email)
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        send_on_commit("account_exists", existing.email, {
            "user": existing,
            "login_link": absolute_url(reverse("accounts:login")),
            "reset_link": absolute_url(reverse("accounts:password_reset")),
        })
        return None
    user = User(email=email, first_name=first_name.strip(), last_name=last_name.strip(), role=Role.CUSTOMER)
    user.set_password(password)
    _validate(user)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # the same address signed up a moment ago in a parallel request
        return None
    user_groups_sync(user)
    _event(user, AccountEvent.Action.SIGNED_UP, actor=user)
    _send_confirmation(user)
    return user


@transaction.atomic
def user_resend_confirmation(*, email: str) -> None:
    """Send the confirmation (or invitation) again if the address has an unconfirmed, active account.

    Silent otherwise: the caller shows the same message whatever happened.
    """
    user = User.objects.filter(email__iexact=_normalize_email(email), is_active=True,
                               email_confirmed_at__isnull=True).first()
    if user is None:
        return
    if user.has_usable_password():
        _send_confirmation(user)
    else:
        _send_invitation(user, inviter=None)


@transaction.atomic
def user_confirm_email(*, token: str) -> User:
    """Confirm the address a token names (once); raises ``tokens.ConfirmationError`` otherwise."""
    user = confirmation_token_user(token)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.email_confirmed_at is not None:  # confirmed meanwhile by a parallel request
        raise ConfirmationError("used")
    _mark_confirmed(user)
    user.save(update_fields=["email_confirmed_at", "role", "is_staff", "is_superuser"])
    user_groups_sync(user)
    return user


@transaction.atomic
def user_password_reset_completed(*, user: User) -> User:
    """A password set through a reset link proves the address: confirm it if it was not yet, and
    lift the log-in lock-out of the account."""
    _event(user, AccountEvent.Action.PASSWORD_RESET, actor=user)
    user_tokens_revoke(user=user)  # whoever knew the old password loses API access too
    # Whoever proved they own the mailbox may log in at once: lift the per-account lock-out.
    from axes.utils import reset as axes_reset

    axes_reset(username=user.email.lower())
    if user.email_confirmed_at is None:
        _mark_confirmed(user)
        user.save(update_fields=["email_confirmed_at", "role", "is_staff", "is_superuser"])
        user_groups_sync(user)
    return user


# --- invitations ------------------------------------------------------------------------------

def _send_invitation(user: User, inviter: User | None) -> None:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = invitation_token_generator.make_token(user)
    link = absolute_url(reverse("accounts:invite_accept", args=[uid, token]))
    send_on_commit("invite", user.email, {"user": user, "inviter": inviter, "link": link,
                                          "max_age_hours": settings.FIXDESK_CONFIRMATION_MAX_AGE // 3600})


@transaction.atomic
def user_invite(*, actor: User, email: str, first_name: str, last_name: str, role: str, phone="",
                organization: Organization | None = None) -> User:
    """Create an account (unconfirmed, no usable password) and e-mail an invitation link on commit."""
    if not permissions.can_manage_people(actor):
        raise PermissionDenied(_("Only admins can invite people."))
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    email = _normalize_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("Somebody already has an account with this e-mail address.")})
    _require_phone_for(role, phone)
    user = User(email=email, first_name=first_name.strip(), last_name=last_name.strip(), phone=phone or "",
                organization=organization)
    _apply_role(user, role)
    user.set_unusable_password()
    _validate(user)
    user.save()
    user_groups_sync(user)
    _event(user, AccountEvent.Action.INVITED, actor=actor, new=role)
    _send_invitation(user, inviter=actor)
    return user


@transaction.atomic
def user_resend_invitation(*, actor: User, user: User) -> None:
    """E-mail a fresh invitation (or confirmation) link to an account nobody has taken up yet."""
    if not permissions.can_resend_invitation(actor, user):
        raise PermissionDenied(_("This account does not need an invitation."))
    _event(user, AccountEvent.Action.INVITATION_SENT_AGAIN, actor=actor)
    if user.has_usable_password():
        _send_confirmation(user)
    else:
        _send_invitation(user, inviter=actor)


@transaction.atomic
def user_accept_invitation(*, user: User, password: str) -> User:
    """Set the invited person's first password and confirm their address."""
    user = User.objects.select_for_update().get(pk=user.pk)
    user.set_password(password)
    _event(user, AccountEvent.Action.INVITATION_ACCEPTED, actor=user)
    if user.email_confirmed_at is None:
        _mark_confirmed(user)
    user.save()
    user_groups_sync(user)
    return user


# --- profile and people -----------------------------------------------------------------------

@transaction.atomic
def user_update(*, actor: User, user: User, first_name: str, last_name: str, phone="", time_zone: str = "",
                organization=UNSET) -> User:
    """Change a person's details (their own, or anybody's for an admin); the organisation is admin-only."""
    if not permissions.can_edit_user(actor, user):
        raise PermissionDenied(_("You cannot edit this person."))
    user = User.objects.select_for_update().get(pk=user.pk)
    before = {f: getattr(user, f) for f in ("first_name", "last_name", "phone", "time_zone", "organization_id")}
    user.first_name, user.last_name = first_name.strip(), last_name.strip()
    user.phone = phone or ""
    user.time_zone = time_zone or ""
    if organization is not UNSET:
        if not permissions.is_admin(actor):
            raise PermissionDenied(_("Only admins change organisations."))
        user.organization = organization
    _require_phone_for(user.role, user.phone)
    _validate(user)
    user.save()
    changed = [f.removesuffix("_id") for f, v in before.items() if str(getattr(user, f) or "") != str(v or "")]
    if changed:
        _event(user, AccountEvent.Action.UPDATED, actor=actor, new=", ".join(changed))
    return user


@transaction.atomic
def user_request_email_change(*, actor: User, user: User, new_email: str, password: str) -> None:
    """Check the password, then e-mail a confirmation link to the new address (nothing changes yet)."""
    if actor.pk != user.pk:
        raise PermissionDenied(_("People change their own e-mail address."))
    if not user.check_password(password):
        raise ValidationError({"password": _("That is not your current password.")})
    new_email = _normalize_email(new_email)
    if new_email == user.email.lower():
        raise ValidationError({"new_email": _("That is your current address already.")})
    if User.objects.filter(email__iexact=new_email).exists():
        raise ValidationError({"new_email": _("Another account uses this address.")})
    link = absolute_url(reverse("accounts:email_change_confirm", args=[email_change_token_make(user, new_email)]))
    send_on_commit("email_change", new_email, {"user": user, "link": link, "new_email": new_email,
                                               "max_age_hours": settings.FIXDESK_CONFIRMATION_MAX_AGE // 3600})


@transaction.atomic
def user_confirm_email_change(*, token: str) -> User:
    """Move the account to the address the token names (once); the old address is told."""
    user, new_email = email_change_token_read(token)
    user = User.objects.select_for_update().get(pk=user.pk)
    if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
        raise ValidationError({"email": _("Another account uses this address now.")})
    old_email = user.email
    user.email = new_email
    user.save(update_fields=["email"])
    _event(user, AccountEvent.Action.UPDATED, actor=user, old=old_email, new=new_email)
    send_on_commit("email_changed", old_email, {"user": user, "old_email": old_email, "new_email": new_email})
    return user


def _lock_admins_and_actor(actor: User) -> tuple[User, int]:
    """Lock every active admin row (so two admins cannot demote each other at once); fresh actor."""
    admins = list(User.objects.select_for_update().filter(role=Role.ADMIN, is_active=True).order_by("pk"))
    fresh_actor = next((a for a in admins if a.pk == actor.pk), None) or User.objects.get(pk=actor.pk)
    return fresh_actor, len(admins)


@transaction.atomic
def user_change_role(*, actor: User, user: User, role: str) -> User:
    """Give ``user`` another role; never one's own, never the last active admin; the group follows."""
    actor, admin_count = _lock_admins_and_actor(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not permissions.can_change_role(actor, user, role):
        raise PermissionDenied(_("You cannot change this person's role."))
    if role == user.role:
        return user
    if user.role == Role.ADMIN and user.is_active and admin_count <= 1:
        raise ValidationError({"role": _("The last admin cannot be demoted.")})
    _require_phone_for(role, user.phone)
    _event(user, AccountEvent.Action.ROLE_CHANGED, actor=actor, old=user.role, new=role)
    _apply_role(user, role)
    user.save(update_fields=["role", "is_staff", "is_superuser"])
    user_groups_sync(user)
    return user


def user_tokens_revoke(*, user: User) -> int:
    """Revoke ``user``'s API tokens (after a password change or reset). Returns how many."""
    if not apps.is_installed("rest_framework.authtoken"):
        return 0
    from rest_framework.authtoken.models import Token

    return Token.objects.filter(user=user).delete()[0]


def user_sessions_end(*, user: User) -> int:
    """Log ``user`` out everywhere: delete their stored sessions and API tokens. Returns sessions ended."""
    ended = 0
    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db":
        from django.contrib.sessions.models import Session

        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
            if session.get_decoded().get("_auth_user_id") == str(user.pk):
                session.delete()
                ended += 1
    # Other session engines: the auth backend refuses inactive users on their next request.
    if apps.is_installed("rest_framework.authtoken"):
        from rest_framework.authtoken.models import Token

        Token.objects.filter(user=user).delete()
    return ended


@transaction.atomic
def user_deactivate(*, actor: User, user: User) -> User:
    """Stop ``user`` logging in and end their sessions; never oneself, never the last active admin."""
    actor, admin_count = _lock_admins_and_actor(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not permissions.can_deactivate(actor, user):
        raise PermissionDenied(_("You cannot deactivate this person."))
    if user.role == Role.ADMIN and admin_count <= 1:
        raise ValidationError(_("The last admin cannot be deactivated."))
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = user_sessions_end(user=user)
    _event(user, AccountEvent.Action.DEACTIVATED, actor=actor, new=f"{ended} sessions ended")
    return user


@transaction.atomic
def user_reactivate(*, actor: User, user: User) -> User:
    """Let a deactivated person log in again."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not permissions.can_reactivate(actor, user):
        raise PermissionDenied(_("You cannot reactivate this person."))
    user.is_active = True
    user.save(update_fields=["is_active"])
    _event(user, AccountEvent.Action.REACTIVATED, actor=actor)
    return user


# --- organisations ------------------------------------------------------------------------------

@transaction.atomic
def organization_create(*, actor: User, name: str, members_see_all_tickets: bool = False) -> Organization:
    """Create an organisation (admins only); names are unique, case-insensitively."""
    if not permissions.can_manage_organizations(actor):
        raise PermissionDenied(_("Only admins manage organisations."))
    name = " ".join(name.split())
    if Organization.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": _("An organisation with this name exists already.")})
    org = Organization(name=name, members_see_all_tickets=members_see_all_tickets)
    org.full_clean()
    org.save()
    return org


@transaction.atomic
def organization_update(*, actor: User, organization: Organization, name: str,
                        members_see_all_tickets: bool) -> Organization:
    """Rename an organisation or change whether members see each other's tickets (admins only)."""
    if not permissions.can_manage_organizations(actor):
        raise PermissionDenied(_("Only admins manage organisations."))
    name = " ".join(name.split())
    if Organization.objects.filter(name__iexact=name).exclude(pk=organization.pk).exists():
        raise ValidationError({"name": _("An organisation with this name exists already.")})
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    org.name, org.members_see_all_tickets = name, members_see_all_tickets
    org.full_clean()
    org.save()
    return org


# --- API tokens (the REST API's script credentials) --------------------------------------------

@transaction.atomic
def api_token_create(*, actor: User) -> str:
    """A new API token for ``actor``, replacing any previous one (which stops working at once)."""
    from rest_framework.authtoken.models import Token

    if not permissions.is_signed_in(actor):
        raise PermissionDenied(_("Log in first."))
    Token.objects.filter(user=actor).delete()
    token = Token.objects.create(user=actor)
    _event(actor, AccountEvent.Action.UPDATED, actor=actor, new="API token created")
    return token.key


@transaction.atomic
def api_token_revoke(*, actor: User) -> bool:
    """Drop ``actor``'s API token; True when there was one."""
    from rest_framework.authtoken.models import Token

    deleted, _rows = Token.objects.filter(user=actor).delete()
    if deleted:
        _event(actor, AccountEvent.Action.UPDATED, actor=actor, new="API token revoked")
    return bool(deleted)
