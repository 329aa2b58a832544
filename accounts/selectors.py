"""Reads for accounts: every list starts from the people the actor may see."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from accounts import permissions
from accounts.models import FIELD_ROLES, AccountEvent, Organization, Role, User

# The people list's "who" filter: a role, or a group of roles.
ROLE_FILTERS = {
    "customers": (Role.CUSTOMER,),
    "field": FIELD_ROLES,
    "admins": (Role.ADMIN,),
    **{r.value: (r.value,) for r in Role},
}
STATUS_FILTERS = {
    "active": Q(is_active=True),
    "inactive": Q(is_active=False),
    "unconfirmed": Q(is_active=True, email_confirmed_at__isnull=True),
}


def users_visible_to(actor) -> QuerySet[User]:
    """Everybody for an admin, only oneself for anybody else."""
    qs = User.objects.select_related("organization")
    if permissions.is_admin(actor):
        return qs
    if permissions.is_signed_in(actor):
        return qs.filter(pk=actor.pk)
    return qs.none()


def user_list(*, actor, query: str = "", who: str = "", status: str = "", organization: str = "") -> QuerySet[User]:
    """The people list: search over name, e-mail and phone, filter by role group, status and organisation."""
    qs = users_visible_to(actor)
    for word in query.split()[:6]:
        qs = qs.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word)
                       | Q(email__icontains=word) | Q(phone__icontains=word.lstrip("0")))
    if who in ROLE_FILTERS:
        qs = qs.filter(role__in=ROLE_FILTERS[who])
    if status in STATUS_FILTERS:
        qs = qs.filter(STATUS_FILTERS[status])
    if organization == "none":
        qs = qs.filter(organization__isnull=True)
    elif organization.isdigit():
        qs = qs.filter(organization_id=int(organization))
    return qs.order_by("last_name", "first_name", "pk")


def user_get_for(*, actor, pk: int) -> User:
    """One person the actor may see; 404 otherwise (existence does not leak)."""
    try:
        return users_visible_to(actor).get(pk=pk)
    except User.DoesNotExist as exc:
        raise Http404 from exc


def organization_list(*, query: str = "") -> QuerySet[Organization]:
    """Organisations with their member counts, alphabetical."""
    qs = Organization.objects.annotate(member_count=Count("members"))
    if query:
        qs = qs.filter(name__icontains=query)
    return qs.order_by("name")


def role_counts() -> dict[str, int]:
    """Active people per role (for the admin's dashboard panel and the people page)."""
    return people_counts()[0]


def people_counts() -> tuple[dict[str, int], int]:
    """Active people per role, and how many active people have not confirmed their e-mail yet:
    one grouped count over the same rows."""
    rows = list(User.objects.filter(is_active=True).values("role").annotate(
        n=Count("pk"), waiting=Count("pk", filter=Q(email_confirmed_at__isnull=True))))
    counts = {r.value: 0 for r in Role}
    counts.update({row["role"]: row["n"] for row in rows})
    return counts, sum(row["waiting"] for row in rows)


def user_events(*, actor, user: User, limit: int = 20) -> list[AccountEvent]:
    """The latest account events of ``user``, newest first (admins only; others get none)."""
    if not permissions.is_admin(actor):
        return []
    return list(AccountEvent.objects.filter(user=user).select_related("actor")[:limit])
