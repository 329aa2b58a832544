"""Travel estimates between two points, behind one interface with backends chosen by setting.

``estimate(origin, destination)`` takes sites or ``(lat, lon)`` pairs and returns an
``Estimate``; it never raises for a missing coordinate or a failing backend (it returns None
when either end has no coordinates).

Backends (``ROUTING_BACKEND``):

- ``offline`` (default): great-circle distance times ``ROUTING_DETOUR_FACTOR`` at
  ``ROUTING_AVERAGE_SPEED_KMH``; needs no network.
- ``osrm``: asks a self-hosted OSRM server (``ROUTING_URL``) for the driving route
  (``GET /route/v1/driving/{lon},{lat};{lon},{lat}?overview=false``). Any failure (timeout,
  refused connection, HTTP error, ``code`` other than ``Ok``, malformed JSON) is logged and
  answered with the offline estimate, never with an error page. Good answers are cached.
"""

import hashlib
import json
import logging
import math
import urllib.error
import urllib.request
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class Estimate:
    distance_km: float
    duration_min: int
    backend: str

    @property
    def is_fallback(self) -> bool:
        return self.backend == "offline-fallback"


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


def offline_estimate(a: tuple[float, float], b: tuple[float, float], *, backend: str = "offline") -> Estimate:
    """Great-circle distance times a detour factor, at an average speed: works with no network."""
    factor = getattr(settings, "ROUTING_DETOUR_FACTOR", 1.3)
    speed = getattr(settings, "ROUTING_AVERAGE_SPEED_KMH", 40)
    distance = great_circle_km(a, b) * factor
    return Estimate(round(distance, 1), math.ceil(distance / speed * 60), backend)


class RoutingError(Exception):
    """The routing server did not give a usable answer."""


def osrm_route(a: tuple[float, float], b: tuple[float, float], *, base_url: str, timeout: float) -> Estimate:
    """The driving route from ``a`` to ``b`` according to an OSRM server; raises RoutingError."""
    if not base_url.startswith(("http://", "https://")):
        raise RoutingError(f"ROUTING_URL must be an http(s) URL, not {base_url!r}")
    coords = f"{a[1]:.6f},{a[0]:.6f};{b[1]:.6f},{b[0]:.6f}"  # OSRM wants lon,lat
    url = f"{base_url.rstrip('/')}/route/v1/driving/{coords}?overview=false&alternatives=false&steps=false"
    request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
        url, headers={"Accept": "application/json", "User-Agent": "Fixdesk"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # nosec B310  # noqa: S310 - scheme checked above
            body = response.read(1_000_000)
    except urllib.error.HTTPError as exc:
        # OSRM answers 400 with {"code": "NoRoute" | "InvalidQuery", "message": ...}.
        raise RoutingError(f"HTTP {exc.code} from the routing server") from exc
    except (OSError, ValueError) as exc:
        raise RoutingError(f"routing server unreachable: {exc}") from exc
    try:
        data = json.loads(body)
        if data.get("code") != "Ok":
            raise RoutingError(f"routing server answered {data.get('code')!r}: {data.get('message', '')}")
        route = data["routes"][0]
        distance_m, duration_s = float(route["distance"]), float(route["duration"])
    except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
        raise RoutingError(f"unexpected answer from the routing server: {exc!r}") from exc
    if not (math.isfinite(distance_m) and math.isfinite(duration_s)) or distance_m < 0 or duration_s < 0:
        raise RoutingError("impossible distance or duration from the routing server")
    return Estimate(round(distance_m / 1000, 1), math.ceil(duration_s / 60), "osrm")


def _cache_key(base_url: str, a, b) -> str:
    raw = f"{base_url}|{a[0]:.5f},{a[1]:.5f}|{b[0]:.5f},{b[1]:.5f}"
    return "fixdesk:route:" + hashlib.sha256(raw.encode()).hexdigest()


def osrm_estimate(a: tuple[float, float], b: tuple[float, float]) -> Estimate:
    """OSRM's estimate (cached), or the offline one (marked as a fallback) when the server fails."""
    base_url = getattr(settings, "ROUTING_URL", "")
    if not base_url:
        return offline_estimate(a, b, backend="offline-fallback")
    key = _cache_key(base_url, a, b)
    cached = cache.get(key)
    if cached is not None:
        return cached
    try:
        result = osrm_route(a, b, base_url=base_url, timeout=getattr(settings, "ROUTING_TIMEOUT", 3.0))
    except RoutingError as exc:
        logger.warning("routing: falling back to the offline estimate (%s)", exc)
        return offline_estimate(a, b, backend="offline-fallback")
    cache.set(key, result, getattr(settings, "ROUTING_CACHE_SECONDS", 3600))
    return result


BACKENDS = {"offline": offline_estimate, "osrm": osrm_estimate}


def estimate(origin, destination) -> Estimate | None:
    """Distance and travel time from ``origin`` to ``destination``; None without coordinates."""
    a, b = _point(origin), _point(destination)
    if a is None or b is None:
        return None
    backend = BACKENDS.get(getattr(settings, "ROUTING_BACKEND", "offline"), offline_estimate)
    return backend(a, b)
