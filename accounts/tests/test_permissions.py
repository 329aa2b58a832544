import pytest
from django.contrib.auth.models import AnonymousUser, Group

from accounts import permissions
from accounts.models import Role
from accounts.permissions import ROLE_GROUPS
from accounts.roles import role_groups_ensure, user_groups_sync

pytestmark = pytest.mark.django_db

PREDICATES = {
    "is_admin": {"admin"},
    "is_engineer": {"engineer"},
    "is_technician": {"technician"},
    "is_customer": {"customer"},
    "is_field_staff": {"engineer", "technician"},
    "is_staff_member": {"admin", "engineer", "technician"},
    "can_manage_people": {"admin"},
    "can_manage_organizations": {"admin"},
}


@pytest.mark.parametrize("name", PREDICATES)
def test_role_predicates(name, users):
    check = getattr(permissions, name)
    assert {role for role, user in users.items() if check(user)} == PREDICATES[name]
    assert check(AnonymousUser()) is False
    assert check(None) is False


@pytest.mark.parametrize("name", PREDICATES)
def test_inactive_users_have_no_role_rights(name, users):
    check = getattr(permissions, name)
    for user in users.values():
        user.is_active = False
        assert check(user) is False


def test_role_changes_need_an_admin_and_never_apply_to_oneself(users, user_factory):
    other_admin = user_factory(Role.ADMIN)
    for role, actor in users.items():
        assert permissions.can_change_role(actor, users["customer"], Role.ENGINEER) is (role == "admin")
        assert permissions.can_change_role(actor, actor, Role.ADMIN) is False  # nobody raises themselves
    assert permissions.can_change_role(users["admin"], other_admin, Role.CUSTOMER)
    assert permissions.can_change_role(users["admin"], users["customer"], "overlord") is False


def test_deactivate_and_reactivate_rules(users):
    admin, customer = users["admin"], users["customer"]
    assert permissions.can_deactivate(admin, customer)
    assert not permissions.can_deactivate(admin, admin)
    assert not permissions.can_deactivate(users["engineer"], customer)
    assert not permissions.can_reactivate(admin, customer)  # still active
    customer.is_active = False
    assert permissions.can_reactivate(admin, customer)


def test_everybody_sees_and_edits_only_themselves_unless_admin(users):
    for role, actor in users.items():
        for other in users.values():
            expected = role == "admin" or actor.pk == other.pk
            assert permissions.can_view_user(actor, other) is expected
            assert permissions.can_edit_user(actor, other) is expected


def test_role_groups_exist_with_permissions_and_admins_can_use_the_django_admin():
    groups = role_groups_ensure()
    assert set(Group.objects.filter(name__in=ROLE_GROUPS.values()).values_list("name", flat=True)) == set(
        ROLE_GROUPS.values())
    admin_perms = set(groups[Role.ADMIN].permissions.values_list("content_type__app_label", "codename"))
    assert ("accounts", "change_user") in admin_perms
    assert ("accounts", "add_organization") in admin_perms
    assert not groups[Role.CUSTOMER].permissions.exists()
    assert role_groups_ensure()[Role.ADMIN].permissions.count() == len(admin_perms)  # idempotent


def test_group_membership_follows_the_role(user_factory):
    user = user_factory(Role.CUSTOMER)
    user.groups.add(Group.objects.create(name="Night shift"))
    user_groups_sync(user)
    assert set(user.groups.values_list("name", flat=True)) == {"Customers", "Night shift"}
    user.role = Role.ENGINEER
    user_groups_sync(user)
    assert set(user.groups.values_list("name", flat=True)) == {"Engineers", "Night shift"}
