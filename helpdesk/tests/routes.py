"""Every URL pattern of the project, discovered from the resolver (not listed by hand)."""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    callback: object
    kwargs: tuple[str, ...]


def _walk(patterns, prefix="", namespace=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            yield name, prefix + str(p.pattern), p


def all_routes(include_admin=False) -> list[Route]:
    """One Route per URL name (format-suffix twins of API routes folded into the plain one)."""
    seen: dict[str, Route] = {}
    for name, pattern, p in _walk(get_resolver().url_patterns):
        if pattern.startswith("admin/") and not include_admin:
            continue
        kwargs = tuple(p.pattern.regex.groupindex)
        if "format" in kwargs and name != "api:api-root":
            continue
        if name == "api:api-root" and "format" in kwargs:
            continue
        if name is None:
            raise AssertionError(f"URL pattern {pattern!r} has no name: every route must be nameable")
        if name in seen:
            raise AssertionError(f"Two routes share the name {name!r}")
        seen[name] = Route(name, pattern, p.callback, kwargs)
    return sorted(seen.values(), key=lambda r: r.name)
