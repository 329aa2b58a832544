"""Travel estimates between two points, behind one interface with backends chosen by setting.

``estimate(origin, destination)`` takes sites or ``(lat, lon)`` pairs and returns an
``Estimate``; it never raises for a missing coordinate or a failing backend (it returns None
when either end has no coordinates).
"""

import math
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class Estimate:
    distance_km: float
    duration_min: int
    backend: str


def _point(place) -> tuple[float, float] | None:
    if place is None:
        return None
    if isinstance(place, tuple | list):
        lat, lon = place
    else:
        lat, lon = getattr(place, "latitude", None), getattr(place, "longitude", None)
    if lat is None or lon is None:
        return None
    return float(Decimal(lat)), float(Decimal(lon))


def great_circle_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Haversine distance in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def offline_estimate(a: tuple[float, float], b: tuple[float, float]) -> Estimate:
    """Great-circle distance times a detour factor, at an average speed: works with no network."""
    factor = getattr(settings, "ROUTING_DETOUR_FACTOR", 1.3)
    speed = getattr(settings, "ROUTING_AVERAGE_SPEED_KMH", 40)
    distance = great_circle_km(a, b) * factor
    return Estimate(round(distance, 1), math.ceil(distance / speed * 60), "offline")


def estimate(origin, destination) -> Estimate | None:
    """Distance and travel time from ``origin`` to ``destination``; None without coordinates."""
    a, b = _point(origin), _point(destination)
    if a is None or b is None:
        return None
    return offline_estimate(a, b)
