"""Keep Django groups in step with roles (the groups carry the Django-admin model permissions)."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from accounts.models import User
from accounts.permissions import ROLE_GROUPS, ROLE_PERMISSIONS


def _permission_filter(specs: list[str]) -> Q | None:
    query = None
    for spec in specs:
        app_label, _, codename = spec.partition(".")
        part = Q(content_type__app_label=app_label)
        if codename:
            part &= Q(codename=codename)
        query = part if query is None else query | part
    return query


def role_groups_ensure() -> dict[str, Group]:
    """Create the four role groups and give each exactly its permissions. Safe to run again."""
    groups = {}
    for role, name in ROLE_GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        query = _permission_filter(ROLE_PERMISSIONS[role])
        perms = list(Permission.objects.filter(query)) if query is not None else []
        group.permissions.set(perms)
        groups[role] = group
    return groups


def user_groups_sync(user: User) -> None:
    """Put ``user`` in their role's group and out of the other role groups (other groups stay)."""
    wanted_name = ROLE_GROUPS[user.role]
    wanted = Group.objects.filter(name=wanted_name).first()
    if wanted is None:
        wanted = role_groups_ensure()[user.role]
    others = Group.objects.filter(name__in=[n for n in ROLE_GROUPS.values() if n != wanted_name])
    user.groups.remove(*others)
    user.groups.add(wanted)


def ensure_groups_after_migrate(sender, **kwargs) -> None:
    """post_migrate receiver: the groups exist (with current permissions) on every database."""
    if sender.name == "accounts":
        role_groups_ensure()
