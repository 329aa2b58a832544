"""Who may do what with accounts: role predicates, ``can_<verb>`` checks and the role -> group map.

Every view checks these before showing a control, and every service checks them again before
acting. Other apps import the predicates (``is_admin``, ``is_field_staff``) from here.
"""

from __future__ import annotations

from accounts.models import FIELD_ROLES, STAFF_ROLES, Role, User


def is_signed_in(user) -> bool:
    """A logged-in, active account (the base of every other predicate)."""
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def is_admin(user) -> bool:
    """True for an active, logged-in admin."""
    return is_signed_in(user) and user.role == Role.ADMIN


def is_engineer(user) -> bool:
    """True for an active, logged-in engineer."""
    return is_signed_in(user) and user.role == Role.ENGINEER


def is_technician(user) -> bool:
    """True for an active, logged-in technician."""
    return is_signed_in(user) and user.role == Role.TECHNICIAN


def is_customer(user) -> bool:
    """True for an active, logged-in customer."""
    return is_signed_in(user) and user.role == Role.CUSTOMER


def is_field_staff(user) -> bool:
    """Engineer or technician: the people sent to do the work."""
    return is_signed_in(user) and user.role in FIELD_ROLES


def is_staff_member(user) -> bool:
    """Admin, engineer or technician: people who see internal notes."""
    return is_signed_in(user) and user.role in STAFF_ROLES


# --- people management ------------------------------------------------------------------

def can_manage_people(user) -> bool:
    """Only admins list, invite and edit other people."""
    return is_admin(user)


def can_view_user(actor, target: User) -> bool:
    """Admins see everybody; everybody sees themselves."""
    return is_admin(actor) or (is_signed_in(actor) and actor.pk == target.pk)


def can_edit_user(actor, target: User) -> bool:
    """Admins edit anybody's details; everybody edits their own profile."""
    return can_view_user(actor, target)


def can_change_role(actor, target: User, new_role: str | None = None) -> bool:
    """Only admins change roles, never their own (nobody raises or lowers themselves)."""
    if not is_admin(actor) or actor.pk == target.pk:
        return False
    return new_role is None or new_role in Role.values


def can_deactivate(actor, target: User) -> bool:
    """Admins deactivate other active accounts, never their own."""
    return is_admin(actor) and actor.pk != target.pk and target.is_active


def can_reactivate(actor, target: User) -> bool:
    """Admins bring back a deactivated account."""
    return is_admin(actor) and not target.is_active


def can_resend_invitation(actor, target: User) -> bool:
    """Admins resend the invitation to an account that has not been taken up yet."""
    return is_admin(actor) and target.is_active and target.email_confirmed_at is None


def can_manage_organizations(user) -> bool:
    """Only admins create and rename organisations."""
    return is_admin(user)


def can_use_django_admin(user) -> bool:
    """The Django admin is the admins' back office."""
    return is_admin(user)


# --- role -> Django group -----------------------------------------------------------------
# Each role maps to one Django group; the group carries model permissions so the Django admin
# works for admins with no further setup. Entries are "app_label" (every permission of that app)
# or "app_label.codename". App labels are plain strings: accounts imports none of the other apps.

ROLE_GROUPS: dict[str, str] = {
    Role.ADMIN: "Admins",
    Role.ENGINEER: "Engineers",
    Role.TECHNICIAN: "Technicians",
    Role.CUSTOMER: "Customers",
}

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.ADMIN: ["accounts", "facilities", "tickets", "knowledge", "notifications", "authtoken", "django_q"],
    Role.ENGINEER: [
        "facilities.view_site", "facilities.view_location", "facilities.view_equipment",
        "facilities.view_equipmentmodel", "facilities.view_vehicle",
        "knowledge.add_article", "knowledge.change_article", "knowledge.view_article",
    ],
    Role.TECHNICIAN: [
        "facilities.view_site", "facilities.view_location", "facilities.view_equipment",
        "facilities.view_vehicle", "knowledge.add_article", "knowledge.view_article",
    ],
    Role.CUSTOMER: [],
}


def staff_flags_for(role: str) -> dict:
    """The Django-admin flags that go with a role: admins get the back office, nobody else."""
    return {"is_staff": role == Role.ADMIN}
