"""Who may do what with the facilities registry (checked by the views and by the services)."""

from accounts.models import FIELD_ROLES, STAFF_ROLES, Role


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_view_registry(user) -> bool:
    """Admins, engineers and technicians read sites, equipment, vehicles and staff."""
    return _active(user) and user.role in STAFF_ROLES


def can_manage_registry(user) -> bool:
    """Only admins create, edit, import or retire sites, locations, models, equipment and vehicles."""
    return _active(user) and user.role == Role.ADMIN


def can_manage_staff(user) -> bool:
    """Only admins add maintenance staff and edit their names, phones, trades and home site."""
    return _active(user) and user.role == Role.ADMIN


def can_pick_place(user) -> bool:
    """Anyone signed in (customers too) may list the locations and equipment of a site to report a problem."""
    return _active(user)


def can_print_labels(user) -> bool:
    """Admins and engineers print QR labels; technicians read only."""
    return _active(user) and user.role in (Role.ADMIN, Role.ENGINEER)


def is_field_role(role: str) -> bool:
    return role in FIELD_ROLES
