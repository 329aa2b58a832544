"""Every write to the facilities registry: keyword-only, the acting user passed, permission checked here too."""

from __future__ import annotations

import importlib
import logging
import os
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import CharField, Max, Value
from django.db.models.functions import Concat, Length, Replace, Substr, Upper
from django.utils.translation import gettext as _

from accounts.models import FIELD_ROLES, User
from facilities import permissions, selectors
from facilities.models import (
    Equipment,
    EquipmentModel,
    Location,
    Manufacturer,
    Site,
    StaffProfile,
    Trade,
    Vehicle,
)

logger = logging.getLogger(__name__)

PATH_SEPARATOR = selectors.PATH_SEPARATOR
_UNSET = object()


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not change the facilities registry."))


def _apply(instance, fields: dict, allowed: set[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(instance, name, value)


def _save(instance, *, exclude=None):
    instance.full_clean(exclude=exclude)
    instance.save()
    return instance


# --- sites and the location tree -------------------------------------------------------

SITE_FIELDS = {"name", "address", "latitude", "longitude", "active"}


@transaction.atomic
def site_create(*, actor: User, name: str, **fields) -> Site:
    """A new site; coordinates optional (without them there is no travel estimate)."""
    _require(permissions.can_manage_registry(actor))
    site = Site(name=name.strip())
    _apply(site, fields, SITE_FIELDS - {"name"})
    return _save(site)


@transaction.atomic
def site_update(*, actor: User, site: Site, **fields) -> Site:
    """Changes a site; a new name is carried into every location path under it."""
    _require(permissions.can_manage_registry(actor))
    old_name = _lock_site(site.pk).name
    _apply(site, fields, SITE_FIELDS)
    _save(site)
    if site.name != old_name:
        _replace_prefix(site.pk, old_name, site.name)
    return site


def _lock_site(site_id) -> Site:
    """Locks the site row: tree changes of one site happen one at a time (no-op on SQLite, which locks the file)."""
    return Site.objects.select_for_update().get(pk=site_id)


def site_paths_rebuild(*, site: Site) -> None:
    """Rewrites every location path of ``site`` from the tree (after a rename outside site_update, e.g. the admin)."""
    def walk(location: Location, parent_path: str) -> None:
        location.path = f"{parent_path}{PATH_SEPARATOR}{location.name}"
        Location.objects.filter(pk=location.pk).update(path=location.path)
        for child in location.children.all():
            walk(child, location.path)

    for root in site.locations.filter(parent__isnull=True):
        walk(root, site.name)


def _replace_prefix(site_id, old: str, new: str) -> None:
    """One UPDATE: every path of the site under ``old`` now starts with ``new`` instead."""
    under = Location.objects.filter(site=site_id, path__startswith=old + PATH_SEPARATOR)
    longest = under.aggregate(n=Max(Length("path")))["n"] or 0
    if longest - len(old) + len(new) > Location._meta.get_field("path").max_length:
        raise ValidationError({"name": _("The location paths under it would become too long.")})
    under.update(path=Concat(Value(new), Substr("path", len(old) + 1), output_field=CharField()))


def _check_parent(location: Location) -> None:
    parent = location.parent
    if parent is None:
        return
    if parent.site_id != location.site_id:
        raise ValidationError({"parent": _("The parent location must be on the same site.")})
    node = parent
    while node is not None:
        if location.pk and node.pk == location.pk:
            raise ValidationError({"parent": _("A location cannot sit inside itself or one of its sub-locations.")})
        node = node.parent


def location_check(location: Location) -> None:
    """Raises ValidationError for a parent on another site, a cycle, or a duplicate name beside it."""
    _check_parent(location)
    _validate_unique_name(location)


def _parent_path(location: Location) -> str:
    return location.parent.path if location.parent_id else location.site.name


@transaction.atomic
def location_create(*, actor: User, site: Site, name: str, parent: Location | None = None) -> Location:
    """A location under ``parent`` (or at the top of ``site``), its path computed."""
    _require(permissions.can_manage_registry(actor))
    _lock_site(site.pk)
    location = Location(site=site, parent=parent, name=name.strip())
    _check_parent(location)
    location.path = f"{_parent_path(location)}{PATH_SEPARATOR}{location.name}"
    _validate_unique_name(location)
    return _save(location)


def _validate_unique_name(location: Location) -> None:
    # UniqueConstraint with a NULL parent does not catch duplicates at the top level: check by hand.
    clash = Location.objects.filter(site=location.site_id, parent=location.parent_id, name__iexact=location.name)
    if location.pk:
        clash = clash.exclude(pk=location.pk)
    if clash.exists():
        raise ValidationError({"name": _("There is already a location with this name here.")})


@transaction.atomic
def location_update(*, actor: User, location: Location, name: str | None = None, parent=_UNSET) -> Location:
    """Renames or moves a location (within its site); the paths of its whole subtree follow."""
    _require(permissions.can_manage_registry(actor))
    _lock_site(location.site_id)
    old_path = Location.objects.filter(pk=location.pk).values_list("path", flat=True).get()
    if name is not None:
        location.name = name.strip()
    if parent is not _UNSET:
        location.parent = parent
    _check_parent(location)
    _validate_unique_name(location)
    location.path = f"{_parent_path(location)}{PATH_SEPARATOR}{location.name}"
    _save(location)
    if location.path != old_path:
        _replace_prefix(location.site_id, old_path, location.path)
    return location


@transaction.atomic
def location_delete(*, actor: User, location: Location) -> None:
    """Deletes a location and its sub-locations; refused while equipment is still in them."""
    _require(permissions.can_manage_registry(actor))
    if Equipment.objects.filter(location__in=selectors.location_subtree(location)).exists():
        raise ValidationError(_("Move or retire the equipment in this location first."))
    location.delete()


@transaction.atomic
def location_ensure_path(*, actor: User, site: Site, names: list[str]) -> Location:
    """The location ``site / names[0] / names[1] / ...``, creating the missing levels."""
    _require(permissions.can_manage_registry(actor))
    names = [n.strip() for n in names]
    if not names or any(not n for n in names):
        raise ValidationError({"path": _("A location path needs a name at every level.")})
    parent = None
    for name in names:
        found = Location.objects.filter(site=site, parent=parent, name__iexact=name).first()
        parent = found or location_create(actor=actor, site=site, name=name, parent=parent)
    return parent


def location_find_path(*, site: Site, names: list[str]) -> Location | None:
    """The existing location ``site / names...`` or None."""
    path = PATH_SEPARATOR.join([site.name, *[n.strip() for n in names]])
    return Location.objects.filter(site=site, path__iexact=path).first()


# --- equipment models and equipment ------------------------------------------------------


@transaction.atomic
def manufacturer_get_or_create(*, actor: User, name: str) -> Manufacturer:
    """The manufacturer of that name (case-insensitive), created if new."""
    _require(permissions.can_manage_registry(actor))
    name = name.strip()
    if not name:
        raise ValidationError({"manufacturer": _("A manufacturer is required.")})
    found = Manufacturer.objects.filter(name__iexact=name).first()
    return found or _save(Manufacturer(name=name))


@transaction.atomic
def equipment_model_create(*, actor: User, manufacturer: str | Manufacturer, name: str,
                           category: str = "") -> EquipmentModel:
    """A model of a manufacturer (given by name: created if new)."""
    _require(permissions.can_manage_registry(actor))
    if isinstance(manufacturer, str):
        manufacturer = manufacturer_get_or_create(actor=actor, name=manufacturer)
    return _save(EquipmentModel(manufacturer=manufacturer, name=name.strip(), category=category.strip()))


@transaction.atomic
def equipment_model_update(*, actor: User, equipment_model: EquipmentModel, manufacturer=None,
                           name: str | None = None, category: str | None = None) -> EquipmentModel:
    """Renames or re-categorises a model."""
    _require(permissions.can_manage_registry(actor))
    if isinstance(manufacturer, str):
        manufacturer = manufacturer_get_or_create(actor=actor, name=manufacturer)
    if manufacturer is not None:
        equipment_model.manufacturer = manufacturer
    if name is not None:
        equipment_model.name = name.strip()
    if category is not None:
        equipment_model.category = category.strip()
    return _save(equipment_model)


EQUIPMENT_FIELDS = {"asset_tag", "serial_number", "model", "site", "location", "install_date",
                    "warranty_end", "status", "notes", "photo"}


def _rename_upload(equipment: Equipment) -> None:
    """A fresh upload is stored under a generated name, never the uploader's file name."""
    photo = equipment.photo
    if photo and not getattr(photo, "_committed", True):
        ext = os.path.splitext(photo.name)[1].lower()
        photo.name = f"{uuid.uuid4().hex}{ext if ext in ('.jpg', '.jpeg', '.png', '.webp', '.gif') else ''}"


def _check_equipment(equipment: Equipment) -> None:
    errors = {}
    if equipment.location_id and equipment.site_id and equipment.location.site_id != equipment.site_id:
        errors["location"] = _("This location is not on the chosen site.")
    if equipment.install_date and equipment.warranty_end and equipment.warranty_end < equipment.install_date:
        errors["warranty_end"] = _("The warranty cannot end before the installation date.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def equipment_create(*, actor: User, asset_tag: str, model: EquipmentModel, site: Site, **fields) -> Equipment:
    """A piece of equipment with a unique asset tag, at a site (and optionally a location on it)."""
    _require(permissions.can_manage_registry(actor))
    equipment = Equipment(asset_tag=asset_tag.strip(), model=model, site=site)
    _apply(equipment, fields, EQUIPMENT_FIELDS - {"asset_tag", "model", "site"})
    _check_equipment(equipment)
    _rename_upload(equipment)
    return _save(equipment)


@transaction.atomic
def equipment_update(*, actor: User, equipment: Equipment, **fields) -> Equipment:
    """Changes equipment; moving it to another site clears a location that is not on that site."""
    _require(permissions.can_manage_registry(actor))
    _apply(equipment, fields, EQUIPMENT_FIELDS)
    _check_equipment(equipment)
    _rename_upload(equipment)
    return _save(equipment)


# --- vehicles ------------------------------------------------------------------------------

VEHICLE_FIELDS = {"name", "plate", "kind", "capacity", "home_site", "active"}


def _normalise_plate(plate: str) -> str:
    return " ".join(plate.upper().split())


@transaction.atomic
def vehicle_create(*, actor: User, name: str, plate: str, **fields) -> Vehicle:
    """A vehicle with a unique plate (stored upper-case, single-spaced)."""
    _require(permissions.can_manage_registry(actor))
    vehicle = Vehicle(name=name.strip(), plate=_normalise_plate(plate))
    _apply(vehicle, fields, VEHICLE_FIELDS - {"name", "plate"})
    _check_plate(vehicle)
    return _save(vehicle)


def _check_plate(vehicle: Vehicle) -> None:
    # "AB12 CDE" and "ab12cde" are the same plate.
    squashed = vehicle.plate.replace(" ", "")
    clash = Vehicle.objects.annotate(
        squashed=Replace(Upper("plate"), Value(" "), Value(""))
    ).filter(squashed=squashed)
    if vehicle.pk:
        clash = clash.exclude(pk=vehicle.pk)
    if clash.exists():
        raise ValidationError({"plate": _("Another vehicle has this plate.")})


@transaction.atomic
def vehicle_update(*, actor: User, vehicle: Vehicle, **fields) -> Vehicle:
    """Changes a vehicle; deactivating it takes it out of the assignment picker."""
    _require(permissions.can_manage_registry(actor))
    if "plate" in fields:
        fields["plate"] = _normalise_plate(fields["plate"])
    _apply(vehicle, fields, VEHICLE_FIELDS)
    _check_plate(vehicle)
    return _save(vehicle)


# --- maintenance staff -----------------------------------------------------------------------


@transaction.atomic
def trade_get_or_create(*, actor: User, name: str) -> Trade:
    """The trade of that name (case-insensitive), created if new."""
    _require(permissions.can_manage_staff(actor))
    name = name.strip()
    found = Trade.objects.filter(name__iexact=name).first()
    return found or _save(Trade(name=name))


def _invite(*, actor, email, first_name, last_name, role, phone) -> User:
    """Creates the account through ``accounts.services.user_invite`` when the accounts branch provides it.

    Until then: an active account with an unusable password (the person sets one through
    "forgot password"), so no password is ever chosen by the admin.
    """
    try:
        accounts_services = importlib.import_module("accounts.services")
    except ModuleNotFoundError as exc:
        if exc.name != "accounts.services":
            raise
        accounts_services = None
    invite = getattr(accounts_services, "user_invite", None)
    if invite is not None:
        return invite(actor=actor, email=email, first_name=first_name, last_name=last_name, role=role, phone=phone)
    user = User(email=User.objects.normalize_email(email).lower(), first_name=first_name, last_name=last_name,
                role=role, phone=phone)
    user.set_unusable_password()
    user.full_clean()
    user.save()
    logger.info("maintenance staff %s created without accounts.services.user_invite", user.email)
    return user


def _check_staff(*, email: str | None, role: str, user: User | None = None) -> None:
    errors = {}
    if role not in FIELD_ROLES:
        errors["role"] = _("Maintenance staff are engineers or technicians.")
    if email is not None:
        clash = User.objects.filter(email__iexact=email.strip())
        if user is not None:
            clash = clash.exclude(pk=user.pk)
        if clash.exists():
            errors["email"] = _("Someone already has an account with this e-mail address.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def staff_create(*, actor: User, email: str, first_name: str, last_name: str, role: str, phone: str = "",
                 trades=(), home_site: Site | None = None) -> User:
    """A new engineer or technician (invited by e-mail) with trades and a home site."""
    _require(permissions.can_manage_staff(actor))
    _check_staff(email=email, role=role)
    user = _invite(actor=actor, email=email.strip(), first_name=first_name.strip(), last_name=last_name.strip(),
                   role=role, phone=phone)
    profile = StaffProfile.objects.create(user=user, home_site=home_site)
    profile.trades.set(trades)
    return user


@transaction.atomic
def staff_update(*, actor: User, user: User, first_name: str, last_name: str, phone, role: str,
                 trades=(), home_site: Site | None = None, is_active: bool = True) -> User:
    """Changes a maintenance staff member's name, phone, role, trades, home site or active flag."""
    _require(permissions.can_manage_staff(actor))
    if user.role not in FIELD_ROLES:
        raise ValidationError(_("Only engineers and technicians are managed here."))
    _check_staff(email=None, role=role, user=user)
    user.first_name, user.last_name = first_name.strip(), last_name.strip()
    user.phone, user.role, user.is_active = phone, role, is_active
    _save(user, exclude=["password"])
    profile, _created = StaffProfile.objects.get_or_create(user=user)
    profile.home_site = home_site
    profile.save()
    profile.trades.set(trades)
    return user
