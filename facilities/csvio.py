"""CSV import and export of sites, locations, equipment models and equipment.

Import runs every row through the services inside one transaction, each row in its own
savepoint, and collects every row's error. A dry run, or any error at all, rolls the whole
transaction back: nothing is written unless every row is good. Rows are matched on natural
keys, so importing the same file twice changes nothing the second time:

- sites: ``name``; locations: ``site`` + ``path`` below the site ("Block B / Floor 2");
- models: ``manufacturer`` + ``name``; equipment: ``asset_tag``.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from facilities import services
from facilities.models import Equipment, EquipmentModel, Location, Site

COLUMNS = {
    "sites": ["name", "address", "latitude", "longitude", "active"],
    "locations": ["site", "path"],
    "models": ["manufacturer", "name", "category"],
    "equipment": ["asset_tag", "serial_number", "manufacturer", "model", "site", "location", "install_date",
                  "warranty_end", "status", "notes"],
}
REQUIRED = {
    "sites": {"name"},
    "locations": {"site", "path"},
    "models": {"manufacturer", "name"},
    "equipment": {"asset_tag", "manufacturer", "model", "site"},
}
KINDS = list(COLUMNS)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class RowError(Exception):
    pass


@dataclass
class ImportResult:
    kind: str
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run


# --- export ------------------------------------------------------------------------------------


def _safe(value) -> str:
    """Text for a spreadsheet cell; a leading formula character is quoted so no spreadsheet runs it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _export_iter(kind: str) -> Iterable[list]:
    if kind == "sites":
        for s in Site.objects.order_by("name"):
            yield [s.name, s.address, s.latitude, s.longitude, s.active]
    elif kind == "locations":
        for loc in Location.objects.select_related("site").order_by("site__name", "path"):
            yield [loc.site.name, loc.depth_path]
    elif kind == "models":
        for m in EquipmentModel.objects.select_related("manufacturer"):
            yield [m.manufacturer.name, m.name, m.category]
    elif kind == "equipment":
        qs = Equipment.objects.select_related("model__manufacturer", "site", "location__site").order_by("asset_tag")
        for e in qs.iterator(chunk_size=500):
            yield [e.asset_tag, e.serial_number, e.model.manufacturer.name, e.model.name, e.site.name,
                   e.location.depth_path if e.location else "", e.install_date, e.warranty_end, e.status, e.notes]
    else:
        raise ValueError(f"unknown kind {kind!r}")


def export_rows(kind: str, out) -> int:
    """Writes ``kind`` as CSV (header first) to the text stream ``out``; returns the row count."""
    writer = csv.writer(out)
    writer.writerow(COLUMNS[kind])
    n = 0
    for row in _export_iter(kind):
        writer.writerow([_safe(v) for v in row])
        n += 1
    return n


# --- import ------------------------------------------------------------------------------------


def _cell(row: dict, name: str) -> str:
    value = (row.get(name) or "").strip()
    if value.startswith("'") and value[1:].startswith(_FORMULA_START):
        value = value[1:]  # undo the export's quoting
    return value


def _bool(value: str, name: str) -> bool:
    if value == "":
        return True
    low = value.lower()
    if low in ("1", "true", "yes", "y"):
        return True
    if low in ("0", "false", "no", "n"):
        return False
    raise RowError(f"{name}: {value!r} is not yes/no")


def _decimal(value: str, name: str):
    if value == "":
        return None
    try:
        return Decimal(value)
    except InvalidOperation as exc:
        raise RowError(f"{name}: {value!r} is not a number") from exc


def _date(value: str, name: str):
    if value == "":
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise RowError(f"{name}: {value!r} is not a date (YYYY-MM-DD)") from exc


def _site(value: str) -> Site:
    site = Site.objects.filter(name__iexact=value).first()
    if site is None:
        raise RowError(f"site: no site named {value!r} (import sites first)")
    return site


def _names(path: str) -> list[str]:
    return [p.strip() for p in path.replace(">", "/").split("/")]


def _changed(instance, values: dict) -> bool:
    return any(getattr(instance, k) != v for k, v in values.items())


def _import_site(actor, row, memo) -> str:
    values = {"address": _cell(row, "address"),
              "latitude": _decimal(_cell(row, "latitude"), "latitude"),
              "longitude": _decimal(_cell(row, "longitude"), "longitude"),
              "active": _bool(_cell(row, "active"), "active")}
    if (values["latitude"] is None) != (values["longitude"] is None):
        raise RowError("latitude and longitude: give both or neither")
    name = _cell(row, "name")
    site = Site.objects.filter(name__iexact=name).first()
    if site is None:
        services.site_create(actor=actor, name=name, **values)
        return "created"
    if site.latitude is not None and values["latitude"] is not None:
        # Compare at the stored precision.
        values["latitude"] = round(values["latitude"], 6)
        values["longitude"] = round(values["longitude"], 6)
    if not _changed(site, values):
        return "unchanged"
    services.site_update(actor=actor, site=site, **values)
    return "updated"


def _import_location(actor, row, memo) -> str:
    site = _site(_cell(row, "site"))
    names = _names(_cell(row, "path"))
    if any(not n for n in names):
        raise RowError("path: a location path needs a name at every level, e.g. Block B / Floor 2")
    if services.location_find_path(site=site, names=names):
        return "unchanged"
    services.location_ensure_path(actor=actor, site=site, names=names)
    return "created"


def _import_model(actor, row, memo) -> str:
    manufacturer, name, category = _cell(row, "manufacturer"), _cell(row, "name"), _cell(row, "category")
    found = EquipmentModel.objects.filter(manufacturer__name__iexact=manufacturer, name__iexact=name).first()
    if found is None:
        services.equipment_model_create(actor=actor, manufacturer=manufacturer, name=name, category=category)
        return "created"
    if found.category == category:
        return "unchanged"
    services.equipment_model_update(actor=actor, equipment_model=found, category=category)
    return "updated"


def _status(value: str) -> str:
    if value == "":
        return Equipment.Status.IN_SERVICE
    for choice_value, label in Equipment.Status.choices:
        if value.lower() in (choice_value, str(label).lower()):
            return choice_value
    raise RowError(f"status: {value!r} is not one of {', '.join(Equipment.Status.values)}")


def _memo(memo: dict, key, fetch):
    """Per-import cache of lookups that equipment rows never change (sites, models, locations)."""
    if key not in memo:
        memo[key] = fetch()
    return memo[key]


def _import_equipment(actor, row, memo) -> str:
    site_name = _cell(row, "site")
    site = _memo(memo, ("site", site_name.lower()), lambda: _site(site_name))
    maker, model_name = _cell(row, "manufacturer"), _cell(row, "model")
    model = _memo(memo, ("model", maker.lower(), model_name.lower()), lambda: EquipmentModel.objects.filter(
        manufacturer__name__iexact=maker, name__iexact=model_name).select_related("manufacturer").first())
    if model is None:
        raise RowError(f"model: no model {maker} {model_name} (import models first)")
    location = None
    if _cell(row, "location"):
        names = _names(_cell(row, "location"))
        location = _memo(memo, ("location", site.pk, tuple(n.lower() for n in names)),
                         lambda: services.location_find_path(site=site, names=names))
        if location is None:
            raise RowError(f"location: no location {_cell(row, 'location')!r} on {site.name} (import locations first)")
    values = {"serial_number": _cell(row, "serial_number"), "model": model, "site": site, "location": location,
              "install_date": _date(_cell(row, "install_date"), "install_date"),
              "warranty_end": _date(_cell(row, "warranty_end"), "warranty_end"),
              "status": _status(_cell(row, "status")), "notes": _cell(row, "notes")}
    tag = _cell(row, "asset_tag")
    found = Equipment.objects.filter(asset_tag__iexact=tag).first()
    if found is None:
        services.equipment_create(actor=actor, asset_tag=tag, **values)
        return "created"
    if not _changed(found, values):
        return "unchanged"
    services.equipment_update(actor=actor, equipment=found, **values)
    return "updated"


IMPORTERS: dict[str, Callable] = {
    "sites": _import_site, "locations": _import_location, "models": _import_model, "equipment": _import_equipment,
}


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return "; ".join(
                (f"{name}: " if name != "__all__" else "") + " ".join(msgs)
                for name, msgs in exc.message_dict.items()
            )
        return " ".join(exc.messages)
    return str(exc)


def import_rows(kind: str, stream, *, actor, dry_run: bool = False,
                progress: Callable[[int, int], None] | None = None) -> ImportResult:
    """Imports CSV text from ``stream``; writes nothing on a dry run or when any row has an error."""
    result = ImportResult(kind=kind, dry_run=dry_run)
    if kind not in IMPORTERS:
        raise ValueError(f"unknown kind {kind!r}; one of {', '.join(KINDS)}")
    try:
        reader = csv.DictReader(stream)
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
        rows = list(reader)
    except UnicodeDecodeError as exc:
        result.errors.append((0, f"not UTF-8 text (save the file as CSV UTF-8): {exc}"))
        return result
    except csv.Error as exc:
        result.errors.append((0, f"not a readable CSV file: {exc}"))
        return result
    missing = REQUIRED[kind] - set(header)
    unknown = set(header) - set(COLUMNS[kind])
    if missing or unknown:
        if missing:
            result.errors.append((1, f"header: missing column(s) {', '.join(sorted(missing))}"))
        if unknown:
            result.errors.append((1, f"header: unknown column(s) {', '.join(sorted(unknown))}; "
                                     f"expected {', '.join(COLUMNS[kind])}"))
        return result
    result.total = len(rows)
    importer = IMPORTERS[kind]
    memo: dict = {}
    with transaction.atomic():
        for index, raw in enumerate(rows):
            line = index + 2  # the header is line 1
            row = {k.strip().lower(): v for k, v in raw.items() if k is not None}
            if None in raw:
                result.errors.append((line, "more cells than columns"))
            else:
                missing_cells = [name for name in sorted(REQUIRED[kind]) if not _cell(row, name)]
                if missing_cells:
                    result.errors.append((line, f"{', '.join(missing_cells)}: required"))
                else:
                    try:
                        with transaction.atomic():
                            outcome = importer(actor, row, memo)
                    except (RowError, ValidationError) as exc:
                        result.errors.append((line, _message(exc)))
                    except IntegrityError as exc:
                        result.errors.append((line, f"conflicts with existing data: {exc}"))
                    else:
                        setattr(result, outcome, getattr(result, outcome) + 1)
            if progress is not None:
                progress(index + 1, result.total)
        if dry_run or result.errors:
            transaction.set_rollback(True)
    return result
