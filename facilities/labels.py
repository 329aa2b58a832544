"""QR labels: each code opens the "report a problem" form prefilled with site, location and equipment.

The ticket form (``tickets:create``) is built on the tickets branch; facilities may not import
tickets, so its path is the one constant below (contracts.md: ``/tickets/new/`` accepts
``?site=<id>&location=<id>&equipment=<id>``). Login is still required by that page.
"""

import hashlib
from dataclasses import dataclass
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.core.cache import cache

QR_CACHE_SECONDS = 30 * 24 * 3600  # a code depends only on its text: reprinted sheets are not redrawn

REPORT_PATH = "/tickets/new/"


def report_path(equipment) -> str:
    """Path and query of the report form prefilled for ``equipment``."""
    params = {"site": equipment.site_id}
    if equipment.location_id:
        params["location"] = equipment.location_id
    params["equipment"] = equipment.pk
    return f"{REPORT_PATH}?{urlencode(params)}"


def report_url(equipment) -> str:
    """Absolute URL of the prefilled report form for ``equipment`` (base: ``FIXDESK_SITE_URL``)."""
    return f"{settings.FIXDESK_SITE_URL.rstrip('/')}{report_path(equipment)}"


def _qr_key(data: str, scale: int) -> str:
    return "qr:" + hashlib.sha256(f"{scale}:{data}".encode()).hexdigest()


def _draw(data: str, scale: int) -> str:
    return segno.make_qr(data, error="m").png_data_uri(scale=scale, border=2)


def qr_data_uri(data: str, *, scale: int = 5) -> str:
    """A PNG data URI of a QR code for ``data`` (error correction M survives a scuffed sticker)."""
    return qr_data_uris([data], scale=scale)[0]


def qr_data_uris(texts: list[str], *, scale: int = 5) -> list[str]:
    """The codes of ``texts``, from the cache where drawn before (about 7 ms each to draw)."""
    keys = [_qr_key(text, scale) for text in texts]
    found = cache.get_many(keys)
    missing = {key: _draw(text, scale) for key, text in zip(keys, texts, strict=True) if key not in found}
    if missing:
        cache.set_many(missing, QR_CACHE_SECONDS)
    return [found.get(key) or missing[key] for key in keys]


@dataclass(frozen=True)
class Label:
    equipment: object
    url: str
    qr: str


def labels_for(equipment_list) -> list[Label]:
    """One printable label per piece of equipment."""
    equipment_list = list(equipment_list)
    urls = [report_url(equipment) for equipment in equipment_list]
    return [Label(equipment=equipment, url=url, qr=qr)
            for equipment, url, qr in zip(equipment_list, urls, qr_data_uris(urls), strict=True)]
