"""Pagination that never counts more than ``COUNT_CAP`` rows.

At 100,000 tickets the paginator's ``COUNT(*)`` over every visible ticket costs tens of
milliseconds per page and grows with the table (docs/bench.md). ``CappedPaginator`` counts at
most ``COUNT_CAP + 1`` rows (``SELECT COUNT(*) FROM (... LIMIT cap+1)``): below the cap it
behaves exactly like Django's paginator; above it the total shows as "10,000+", any page number
stays reachable, and "Next" is known by fetching one row more than the page. Pages are read by
``fetch_rows``: deep ones walk their OFFSET over the ids only (a "deferred join").
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import OrderBy
from django.db.models.query import ModelIterable
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination

COUNT_CAP = 10_000


def _rows_by_id(qs) -> bool:
    """Whether ``qs`` is a plain ordered list of model rows, which can be read by id."""
    return (isinstance(qs, QuerySet) and qs.ordered and qs._iterable_class is ModelIterable
            and not qs.query.distinct and qs.query.combinator is None and not qs.query.group_by)


def queries_per_page(using: str = "default") -> int:
    """How many queries ``fetch_rows`` runs for a page of model rows (see there)."""
    return 2 if connections[using].vendor == "postgresql" else 1


def fetch_rows(qs, start: int, stop: int) -> list:
    """Rows ``start:stop`` of a list, exactly those and in its order, read in two steps where that
    is cheaper: first the ids alone (the index that serves the order, no table rows, no joins),
    then the rows by id.

    - Deep in a list (``start`` > 0) the OFFSET is walked over the ids only, a "deferred join":
      page 3,000 of 100,000 tickets in about 10 ms of SQL instead of 100-1,000 (docs/bench.md).
    - On page 1 too: a list gathered from several index ranges (an organisation's tickets, one
      range per member) is ordered over the index entries alone, and only the page's rows are
      read and joined (SQLite sorted all 7,000 joined rows: 19 ms -> 1 ms).
    - On PostgreSQL the planner spends 20-25 ms choosing the join order of a list query with its
      ``select_related`` tables (10 in the API), every time, for about 1 ms of execution; the
      ids query and a query by ids plan in about 2 ms together, so PostgreSQL always takes the
      two steps (one query more), SQLite (which plans in microseconds) one query with a subquery.
      What is left is the by-ids join's planning; ``PG_PREPARE_THRESHOLD`` (settings) saves it.
    """
    if not _rows_by_id(qs):
        return list(qs[start:stop])
    connection = connections[qs.db]
    if connection.vendor != "postgresql":
        if not connection.features.allow_sliced_subqueries_with_in:
            return list(qs[start:stop])
        return list(qs.filter(pk__in=qs.values("pk")[start:stop]))
    return _rows_in_order(qs, list(qs.values_list("pk", flat=True)[start:stop]))


def _rows_in_order(qs, ids: list) -> list:
    """The rows of ``qs`` with these ids, in the ids' order (one query; none without ids); a row
    deleted since the ids were read is left out."""
    if not ids:
        return []
    by_id = {row.pk: row for row in qs.filter(pk__in=ids).order_by()}
    return [by_id[pk] for pk in ids if pk in by_id]


class CappedPage(Page):
    def __init__(self, object_list, number, paginator, *, has_next: bool):
        super().__init__(object_list, number, paginator)
        self._has_next = has_next

    def has_next(self) -> bool:
        return self._has_next

    def end_index(self) -> int:
        return self.start_index() + len(self.object_list) - 1 if self.object_list else 0


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, *args, cap: int = COUNT_CAP, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.cap = cap

    @cached_property
    def count(self) -> int:
        """The number of rows, or ``cap + 1`` when there are more than ``cap``."""
        object_list = self.object_list
        if hasattr(object_list, "query") and hasattr(object_list, "count"):
            # Order and annotations do not change how many rows there are: count bare ids.
            return object_list.order_by().values("pk")[: self.cap + 1].count()
        return min(len(object_list), self.cap + 1)

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    @property
    def count_display(self) -> str:
        return f"{self.cap:,}+" if self.capped else f"{self.count:,}"

    def validate_number(self, number):
        if not self.capped:
            return super().validate_number(number)
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def page(self, number):
        number = self.validate_number(number)
        if not self.capped:  # Django's page, its rows read by ``fetch_rows``
            bottom = (number - 1) * self.per_page
            top = bottom + self.per_page
            if top + self.orphans >= self.count:
                top = self.count
            return self._get_page(fetch_rows(self.object_list, bottom, top), number, self)
        bottom = (number - 1) * self.per_page
        rows = fetch_rows(self.object_list, bottom, bottom + self.per_page + 1)
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return CappedPage(rows[: self.per_page], number, self, has_next=len(rows) > self.per_page)

    def get_page(self, number):
        try:
            return super().get_page(number)
        except EmptyPage:  # beyond the end of a capped list: back to the first page
            return self.page(1)


# Keyset ("cursor") pages ----------------------------------------------------------------------
#
# OFFSET makes page N cost N pages of reading. A keyset page starts right after (or before) a
# row: ``key < v OR (key = v AND id < i)`` in the list's own order (the allow-listed sort key,
# then ``-id``), written as ``key <= v AND (...)`` so the database seeks straight to ``v`` in the
# index that serves the order. Every page costs the same, however far, and rows inserted while
# someone pages neither repeat nor get skipped among the rows already passed.

KEYSET_FROM_PAGE = 10  # numbered links up to this page, then "Next" continues by cursor
KEYSET_QUERIES = 3  # at most, for a page after a cursor (_rows_after)


class InvalidCursor(ValueError):
    pass


@dataclass
class _Order:
    field: str
    descending: bool
    nulls_last: bool = False


def _order_of(qs) -> _Order:
    """The list's (sort key, -id) order, as the selectors build it."""
    order = list(qs.query.order_by)
    if len(order) != 2 or order[1] != "-id":
        raise ValueError(f"keyset pages need an order of (key, '-id'), not {order!r}")
    key = order[0]
    if isinstance(key, str):
        return _Order(key.lstrip("-"), key.startswith("-"))
    if isinstance(key, OrderBy) and isinstance(key.expression, F):
        return _Order(key.expression.name, key.descending, bool(key.nulls_last))
    raise ValueError(f"unsupported keyset order {key!r}")


def encode_cursor(row, qs, *, backwards: bool = False) -> str:
    order = _order_of(qs)
    value = getattr(row, order.field)
    if isinstance(value, datetime):
        value = value.isoformat()
    payload = {"k": value, "i": row.pk, "b": backwards}
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str) -> dict:
    try:
        raw = base64.urlsafe_b64decode(token.encode("ascii") + b"=" * (-len(token) % 4))
        data = json.loads(raw)
    except (ValueError, UnicodeEncodeError) as exc:
        raise InvalidCursor("not a cursor") from exc
    if not (isinstance(data, dict) and isinstance(data.get("i"), int) and isinstance(data.get("b"), bool)
            and (data.get("k") is None or isinstance(data.get("k"), (str, int, float)))):
        raise InvalidCursor("not a cursor")
    return data


class KeysetPage:
    """A page read by position; iterable like a Django ``Page`` for the templates."""

    keyset = True
    number = None

    def __init__(self, rows, *, has_next, has_previous, next_cursor, previous_cursor):
        self.object_list = rows
        self._has_next, self._has_previous = has_next, has_previous
        self.next_cursor, self.previous_cursor = next_cursor, previous_cursor

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_next(self):
        return self._has_next

    def has_previous(self):
        return self._has_previous

    def has_other_pages(self):
        return self._has_next or self._has_previous


def _after(order: _Order, value, pk: int, backwards: bool) -> tuple[Q, list]:
    """The rows after (value, pk) in the list's order (before it when ``backwards``), and the
    order to read them in."""
    f = order.field
    forward_lt = order.descending != backwards  # going down the key
    cmp, cmp_eq = ("lt", "lte") if forward_lt else ("gt", "gte")
    tie = Q(**{f: value, "pk__lt" if not backwards else "pk__gt": pk})
    if value is None:  # only nulls_last orders have null keys; they come last
        cond = Q(**{f"{f}__isnull": True}) & Q(**{"pk__lt" if not backwards else "pk__gt": pk})
        if backwards:
            cond |= Q(**{f"{f}__isnull": False})
    else:
        cond = Q(**{f"{f}__{cmp_eq}": value}) & (Q(**{f"{f}__{cmp}": value}) | tie)
        if order.nulls_last and not backwards:
            cond |= Q(**{f"{f}__isnull": True})
    key = F(f).desc(nulls_last=order.nulls_last or None) if order.descending else \
        F(f).asc(nulls_last=order.nulls_last or None)
    if backwards:
        key = F(f).asc(nulls_first=order.nulls_last or None) if order.descending else \
            F(f).desc(nulls_first=order.nulls_last or None)
    return cond, [key, "id" if backwards else "-id"]


def _after_parts(order: _Order, value, pk: int, backwards: bool) -> tuple[Q, Q | None]:
    """:func:`_after`'s rows in two index ranges, in reading order: the rest of the cursor's tie
    group (``key = value`` and the id beyond ``pk``: one seek), then the keys beyond ``value``
    (another). As one condition the database seeks to ``value`` only and then steps over the
    tie group's rows already passed: at 100,000 tickets up to 46,000 for a status."""
    f = order.field
    forward_lt = order.descending != backwards  # going down the key
    beyond_pk = Q(pk__lt=pk) if not backwards else Q(pk__gt=pk)
    if value is None:  # only nulls_last orders have null keys; they come last
        return Q(**{f"{f}__isnull": True}) & beyond_pk, Q(**{f"{f}__isnull": False}) if backwards else None
    rest = Q(**{f"{f}__{'lt' if forward_lt else 'gt'}": value})
    if order.nulls_last and not backwards:
        rest |= Q(**{f"{f}__isnull": True})
    return Q(**{f: value}) & beyond_pk, rest


def _rows_after(qs, order: _Order, value, pk: int, backwards: bool, limit: int) -> list:
    """Up to ``limit`` rows after (before) the cursor: the ids from the two ranges of
    :func:`_after_parts`, then the rows by id (two or three queries, each an index seek)."""
    _cond, ordering = _after(order, value, pk, backwards)
    tie, rest = _after_parts(order, value, pk, backwards)
    ids_qs = qs.order_by(*ordering).values_list("pk", flat=True)
    ids = list(ids_qs.filter(tie)[:limit])
    if rest is not None:
        ids += list(ids_qs.filter(rest)[:limit])
    return _rows_in_order(qs, ids[:limit])


def keyset_page(qs, per_page: int, token: str | None) -> KeysetPage:
    """The page after (or before) the cursor ``token``; the first page when it is empty.
    Raises :class:`InvalidCursor` for a token that is not one of ours."""
    order = _order_of(qs)
    backwards, cursor = False, None
    try:
        if token:
            cursor = decode_cursor(token)
            backwards = cursor["b"]
            if _rows_by_id(qs):
                rows = _rows_after(qs, order, cursor["k"], cursor["i"], backwards, per_page + 1)
            else:
                cond, ordering = _after(order, cursor["k"], cursor["i"], backwards)
                rows = list(qs.filter(cond).order_by(*ordering)[: per_page + 1])
        else:
            rows = fetch_rows(qs, 0, per_page + 1)
    except (ValidationError, ValueError, TypeError) as exc:  # a key value of the wrong type
        if isinstance(exc, InvalidCursor):
            raise
        raise InvalidCursor("not a cursor for this list") from exc
    more = len(rows) > per_page
    rows = rows[:per_page]
    if backwards:
        rows.reverse()
    has_next = True if backwards else more
    has_previous = more if backwards else cursor is not None
    return KeysetPage(
        rows, has_next=has_next and bool(rows), has_previous=has_previous and bool(rows),
        next_cursor=encode_cursor(rows[-1], qs) if rows and has_next else None,
        previous_cursor=encode_cursor(rows[0], qs, backwards=True) if rows and has_previous else None,
    )


class CappedPageNumberPagination(PageNumberPagination):
    """The API's page-number pagination with the capped count: ``count`` is at most 10,001
    (meaning "more than 10,000"), ``next`` is exact.

    ``?cursor=`` (empty for the first page) switches a ticket list to keyset pages: no count,
    ``next``/``previous`` carry the cursor, and every page costs the same however deep. Lists
    not ordered by (key, id), such as comments, keep page numbers."""

    django_paginator_class = CappedPaginator
    cursor_query_param = "cursor"

    def paginate_queryset(self, queryset, request, view=None):
        self.keyset = None
        token = request.query_params.get(self.cursor_query_param)
        if token is not None:
            try:
                _order_of(queryset)
            except ValueError:
                token = None
        if token is None:
            return super().paginate_queryset(queryset, request, view)
        self.request = request
        try:
            self.keyset = keyset_page(queryset, self.get_page_size(request), token)
        except InvalidCursor:
            from rest_framework.exceptions import ValidationError as DRFValidationError

            raise DRFValidationError({self.cursor_query_param: ["Invalid cursor."]}) from None
        return list(self.keyset)

    def _cursor_link(self, cursor):
        from rest_framework.utils.urls import remove_query_param, replace_query_param

        if cursor is None:
            return None
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        return replace_query_param(url, self.cursor_query_param, cursor)

    def get_paginated_response(self, data):
        if self.keyset is None:
            return super().get_paginated_response(data)
        from rest_framework.response import Response

        return Response({"next": self._cursor_link(self.keyset.next_cursor),
                         "previous": self._cursor_link(self.keyset.previous_cursor), "results": data})

    def get_paginated_response_schema(self, schema):
        out = super().get_paginated_response_schema(schema)
        out["required"] = ["results"]
        out["properties"]["count"]["description"] = "Absent with ?cursor=; at most 10,001 (more than 10,000)."
        return out

    def get_schema_operation_parameters(self, view):
        return [*super().get_schema_operation_parameters(view), {
            "name": self.cursor_query_param, "required": False, "in": "query",
            "description": "Keyset pages: empty for the first, then the cursor from `next` / `previous`; "
                           "replaces `page`, no `count`.",
            "schema": {"type": "string"},
        }]
