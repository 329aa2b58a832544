"""Reliability figures computed from tickets (and service reports when the tickets app has them).

Definitions (also in docs/knowledge.md):

- A *failure* is a ticket on a piece of equipment that was not rejected, cancelled or deleted.
  Its failure time is when it was reported (``Ticket.created_at``).
- *Interventions*: the handed-in service reports (visits) of a failure; a failure without any
  report counts one intervention if it was assigned to someone.
- *MTBF* (mean time between failures): for each piece of equipment, the gaps between its
  consecutive failures in the period; the group's MTBF is the sum of all its gaps divided by
  their number (pooled). Needs two failures on one piece of equipment; otherwise "—".
- *MTTR* (mean time to repair): per repaired failure, the time on site summed over its handed-in
  reports (departed − arrived); for a failure without reports, from the first ``start`` of the
  work to ``resolved_at``.
  The mean over the failures that have one.
- *Repeat failures*: failures coming 30 days or less after the previous failure of the same
  equipment.
- *Under warranty*: failures reported on or before the equipment's ``warranty_end``.
- *Top symptom / cause / action*: the most frequent code on the reports (ties: alphabetical).

Everything is computed by the database in a fixed number of queries (one aggregate per group, one
over a LAG window for the gaps, one per code list), whatever the number of failures: Python only
builds one ``Row`` per group. Times are compared and subtracted as whole microseconds since 1970
(``EpochMicroseconds``), so gaps, the 30-day repeat window and repair times are exact, as they
were with Python's ``timedelta``. The first, pure-Python implementation is kept as the reference
in ``knowledge/tests/reliability_reference.py``; a randomized test holds the two equal.
"""

from __future__ import annotations

import csv
import io
import logging
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.db.models import (
    Avg,
    BigIntegerField,
    Case,
    Count,
    DateField,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Greatest, Lag, NullIf, RowNumber
from django.utils import timezone

from knowledge.reports import KINDS, _code_fields, _status_filter, report_model

REPEAT_WINDOW = timedelta(days=30)
GROUPINGS = ("model", "manufacturer", "equipment", "site")

# Per grouping: the ticket field that is the group's key, and the fields its label is made of.
GROUP_FIELDS = {
    "model": ("equipment__model_id", ("equipment__model__manufacturer__name", "equipment__model__name")),
    "manufacturer": ("equipment__model__manufacturer_id", ("equipment__model__manufacturer__name",)),
    "equipment": ("equipment_id", ("equipment__asset_tag",)),
    "site": ("equipment__site_id", ("equipment__site__name",)),
}
MICROSECONDS = 1_000_000


@dataclass
class Row:
    key: int | None
    label: str
    failures: int = 0
    interventions: int = 0
    mtbf_seconds: float | None = None
    mttr_seconds: float | None = None
    repeats: int = 0
    under_warranty: int = 0
    top: dict = field(default_factory=dict)

    @property
    def mtbf_days(self) -> float | None:
        return None if self.mtbf_seconds is None else self.mtbf_seconds / 86400

    @property
    def mttr_hours(self) -> float | None:
        return None if self.mttr_seconds is None else self.mttr_seconds / 3600


def _day_starts_at(day):
    """The first instant of ``day`` in the current time zone (what ``created_at__date`` compares
    in), or None past the representable range. zoneinfo's fold=0 makes a midnight skipped or
    repeated by a clock change resolve to the day's first instant."""
    try:
        starts = timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())
        starts.astimezone(UTC)  # how the database will be asked: fails here, not in the query
    except (OverflowError, ValueError):
        return None
    return starts


def failures_queryset(*, start=None, end=None, site=None, category: str = ""):
    """The tickets counted as failures, filtered by period (report date), site and equipment category.

    The period is a range on ``created_at`` (local midnight to local midnight), the same set as
    ``created_at__date`` between the dates, which SQLite would compute by a Python call per row."""
    from tickets.models import Status, Ticket

    qs = Ticket.objects.filter(deleted_at__isnull=True, equipment__isnull=False).exclude(
        status__in=(Status.REJECTED, Status.CANCELLED))
    if start and (since := _day_starts_at(start)) is not None:
        qs = qs.filter(created_at__gte=since)
    if end and end < date.max and (until := _day_starts_at(end + timedelta(days=1))) is not None:
        qs = qs.filter(created_at__lt=until)
    if site:
        qs = qs.filter(equipment__site=site)
    if category:
        qs = qs.filter(equipment__model__category__iexact=category)
    return qs


# In the database ------------------------------------------------------------------------------

class EpochMicroseconds(Func):
    """A datetime column as whole microseconds since 1970, an exact integer on both backends.

    Django has no portable "epoch" transform (on SQLite its date functions are Python callbacks,
    one call per row), hence the two small backend-specific spellings. Only used on columns."""

    arity = 1
    output_field = BigIntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        # Django stores UTC text 'YYYY-MM-DD HH:MM:SS[.ffffff]'. strftime('%s') of the first 19
        # characters is computed with integers inside SQLite (exact); the fraction is read from the
        # text, padded so that a value without one reads 0.
        sql, params = compiler.compile(self.source_expressions[0])
        return (f"(CAST(strftime('%%s', substr({sql}, 1, 19)) AS INTEGER) * {MICROSECONDS}"
                f" + CAST(substr({sql} || '000000', 21, 6) AS INTEGER))", (*params, *params))

    def as_postgresql(self, compiler, connection, **extra):
        # EXTRACT(EPOCH ...) is numeric (exact) since PostgreSQL 14.
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(EXTRACT(EPOCH FROM {sql}) * {MICROSECONDS})::bigint", params


class UTCDate(Func):
    """The UTC calendar date of a datetime column (what ``datetime.date()`` gives for the aware UTC
    values Django reads), without SQLite's per-row Python callback that ``TruncDate`` uses."""

    arity = 1
    output_field = DateField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="date(%(expressions)s)", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="((%(expressions)s) AT TIME ZONE 'UTC')::date", **extra)


class CodePointOrder(Func):
    """Text sorted by code point, as Python sorts strings (SQLite's default BINARY collation does;
    PostgreSQL needs the "C" collation instead of the database's linguistic one)."""

    arity = 1

    def as_sqlite(self, compiler, connection, **extra):
        return compiler.compile(self.source_expressions[0])

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template='(%(expressions)s) COLLATE "C"', **extra)


def _figures(failures, grouping: str) -> list[dict]:
    """Per group: key, label parts, failures, interventions, under warranty and MTTR (microseconds).
    One aggregate query; each correlated subquery (index-served, per failure) is written once.

    The report subqueries are NULL for a failure without handed-in reports, so COALESCE falls
    back to the ticket's own data; the repair time is NULL when there is none, which AVG skips:
    the mean over the failures that have one."""
    from tickets.models import TicketEvent

    key, label_fields = GROUP_FIELDS[grouping]
    assigned = Case(When(assigned_at__isnull=False, then=Value(1)), default=Value(0), output_field=IntegerField())
    # Without reports: first start of the work -> resolved_at, when not negative. Looked up only for
    # resolved failures (CASE and COALESCE are evaluated lazily); the first start in the
    # (ticket, created_at) index order is the earliest. NULLIF(GREATEST(d, -1), -1) is d when d >= 0,
    # else NULL, with the subquery written once.
    first_start = Subquery(TicketEvent.objects.filter(ticket=OuterRef("pk"), action="start")
                           .order_by("created_at").values_list(EpochMicroseconds("created_at"))[:1])
    from_start = Case(When(resolved_at__isnull=False, then=NullIf(
        Greatest(EpochMicroseconds("resolved_at") - first_start, Value(-1)), Value(-1))),
        output_field=BigIntegerField())
    interventions, repair = assigned, from_start
    model = report_model()
    if model is not None:
        reports = model.objects.filter(ticket=OuterRef("pk"), **_status_filter(model)).order_by().values("ticket")
        on_site = Greatest(EpochMicroseconds("departed_at") - EpochMicroseconds("arrived_at"), Value(0))
        interventions = Coalesce(Subquery(reports.annotate(n=Count("pk")).values("n")), assigned)
        repair = Coalesce(Subquery(reports.annotate(total=Sum(on_site)).values("total")), from_start)
    return list(
        failures.order_by()
        .values(grp=F(key), **{f"label{i}": F(name) for i, name in enumerate(label_fields)})
        .annotate(
            failures=Count("pk"),
            interventions=Sum(interventions),
            under_warranty=Count("pk", filter=Q(equipment__warranty_end__gte=UTCDate("created_at"))),
            mttr_us=Avg(repair, output_field=FloatField()),
        )
    )


def _gaps(failures, grouping: str) -> dict[int, tuple]:
    """Per group key: (MTBF in microseconds or None, repeats). Each failure's gap to the previous
    failure of the same equipment in the filtered set comes from a LAG window (ORM); the ORM cannot
    aggregate over a window, so the small GROUP BY around it is written here, in SQL that SQLite and
    PostgreSQL both accept. AVG skips the first failure of each unit (no previous one)."""
    inner = failures.order_by().values(
        grp=F(GROUP_FIELDS[grouping][0]), at_us=EpochMicroseconds("created_at"),
        prev_us=Window(Lag(EpochMicroseconds("created_at")), partition_by=[F("equipment_id")],
                       order_by=[F("created_at").asc(), F("pk").asc()]))
    inner_sql, params = inner.query.sql_with_params()
    # Only our own SQL is interpolated (the compiled inner query); values are parameters.
    gap = "f.at_us - f.prev_us"
    sql = f"SELECT f.grp, AVG(({gap}) * 1.0), SUM(CASE WHEN {gap} <= %s THEN 1 ELSE 0 END) FROM ({inner_sql}) f GROUP BY f.grp"  # nosec B608  # noqa: S608, E501
    window = int(REPEAT_WINDOW.total_seconds()) * MICROSECONDS
    with connection.cursor() as cursor:
        cursor.execute(sql, (window, *params))
        return {grp: (None if mean is None else float(mean), int(repeats or 0))
                for grp, mean, repeats in cursor.fetchall()}


def _top_codes(failures, grouping: str) -> dict[int, dict]:
    """Per group key: the most frequent code of each list on the handed-in reports (ties by code,
    then label, in code-point order, as Python sorts). One query per code list."""
    model = report_model()
    if model is None:
        return {}
    key = GROUP_FIELDS[grouping][0]
    out: dict[int, dict] = {}
    for kind in _code_fields(model):
        ranked = (
            model.objects.filter(ticket__in=failures.values("pk"), **_status_filter(model))
            .exclude(**{f"{kind}__code": ""}).order_by()
            .values(grp=F(f"ticket__{key}"), code=F(f"{kind}__code"), label=F(f"{kind}__label"))
            .annotate(n=Count("pk"))
            .annotate(rank=Window(RowNumber(), partition_by=[F("grp")],
                                  order_by=[F("n").desc(), CodePointOrder("code").asc(),
                                            CodePointOrder("label").asc()]))
            .filter(rank=1)
        )
        for r in ranked:
            out.setdefault(r["grp"], {})[kind] = {"code": r["code"], "label": r["label"] or "", "n": r["n"]}
    return out


def _first_failures(failures, grouping: str, keys) -> dict:
    """Per group key: (created_at, pk) of its first failure. Only asked for groups of equal size
    and label (two models "A B"+"C" and "A"+"B C"), which the reference ordered that way."""
    key = GROUP_FIELDS[grouping][0]
    first = (failures.filter(**{f"{key}__in": keys})
             .annotate(grp=F(key), rank=Window(RowNumber(), partition_by=[F(key)],
                                               order_by=[F("created_at").asc(), F("pk").asc()]))
             .filter(rank=1).values_list("grp", "created_at", "pk"))
    return {grp: (at, pk) for grp, at, pk in first}


def compute(*, grouping: str = "model", start=None, end=None, site=None, category: str = "") -> list[Row]:
    """One row per group (most failures first, then by label): the figures defined at the top of
    this module, computed by the database in a fixed number of queries."""
    if grouping not in GROUPINGS:
        raise ValueError(grouping)
    failures = failures_queryset(start=start, end=end, site=site, category=category)
    tops = _top_codes(failures, grouping)
    gaps = _gaps(failures, grouping)
    rows = []
    for g in _figures(failures, grouping):
        key = g["grp"]
        labels = [g[f"label{i}"] for i in range(len(GROUP_FIELDS[grouping][1]))]
        mtbf_us, repeats = gaps.get(key, (None, 0))
        rows.append(Row(
            key=key, label=" ".join(labels) if grouping == "model" else (labels[0] or ""), failures=g["failures"],
            interventions=int(g["interventions"] or 0), under_warranty=g["under_warranty"], repeats=repeats,
            mtbf_seconds=None if mtbf_us is None else mtbf_us / MICROSECONDS,
            mttr_seconds=None if g["mttr_us"] is None else g["mttr_us"] / MICROSECONDS,
            top={k: tops[key][k] for k in KINDS if k in tops.get(key, {})},
        ))
    rows.sort(key=lambda r: (-r.failures, r.label))
    tied = {r.key for a, b in zip(rows, rows[1:], strict=False) if (a.failures, a.label) == (b.failures, b.label)
            for r in (a, b)}
    if tied:
        first = _first_failures(failures, grouping, tied)
        rows.sort(key=lambda r: (-r.failures, r.label, first.get(r.key, ())))
    return rows


# Freshness: served from the shared cache, recomputed in the background -------------------------
#
# The figures of one filter set are stored with the "changes" token current when their computing
# began. A ticket or report change (knowledge/receivers.py, after commit) only writes a new token:
# it never computes. A request whose stored figures carry an older token still gets them at once,
# with their time, and queues ONE recompute (a cache.add lock per filter set deduplicates them).
# Only a filter set with nothing stored yet is computed in the request. The cache is the "shared"
# alias (helpdesk/settings.py): the web processes and the django-q2 worker must see the same one.

CHANGES_KEY = "knowledge:reliability:changes"
ENTRY_SECONDS = 7 * 86400  # a filter set nobody looked at for a week is dropped
ENTRY_FORMAT = 1
LOCK_SECONDS = 300  # longer than a task may run (Q_CLUSTER timeout); a crashed recompute frees it
logger = logging.getLogger(__name__)


@dataclass
class Figures:
    """The rows of one filter set, when they were computed, and whether a ticket or report changed
    since (``stale``); when stale, whether a recompute is queued or running (``refreshing``)."""

    rows: list[Row]
    computed_at: datetime
    stale: bool = False
    refreshing: bool = False


def shared_cache():
    return caches["shared"]


def _entry_key(grouping, start, end, site, category) -> str:
    # ENTRY_FORMAT: bumped when Row or the stored entry changes shape, so that a deploy never reads
    # entries pickled by the previous code.
    return (f"knowledge:reliability:{ENTRY_FORMAT}:{grouping}:{start or ''}:{end or ''}:"
            f"{getattr(site, 'pk', site) or ''}:{(category or '').lower()}")


def _lock_key(entry_key: str) -> str:
    return entry_key.replace("knowledge:reliability:", "knowledge:reliability-lock:", 1)


def _changes_token(token: str | None = None) -> str:
    """The token of the last change (``token`` when the caller has just read it)."""
    cache = shared_cache()
    token = token or cache.get(CHANGES_KEY)
    if token is None:  # first use, or the cache was emptied: whatever is stored counts as stale
        token = uuid.uuid4().hex
        if not cache.add(CHANGES_KEY, token, None):
            token = cache.get(CHANGES_KEY, "")
    return token


def invalidate() -> None:
    """Called by the receivers after a ticket or report change commits: every stored filter set is
    stale from now on. One cache write; nothing is computed here."""
    shared_cache().set(CHANGES_KEY, uuid.uuid4().hex, None)


def refresh(*, grouping: str = "model", start=None, end=None, site=None, category: str = "",
            token: str | None = None) -> Figures:
    """Compute the figures of one filter set and store them. The token is read BEFORE computing:
    a change committed meanwhile leaves the stored figures stale, so they are computed again."""
    token = _changes_token(token)
    computed_at = timezone.now()
    rows = compute(grouping=grouping, start=start, end=end, site=site, category=category)
    shared_cache().set(_entry_key(grouping, start, end, site, category),
                       {"rows": rows, "computed_at": computed_at, "token": token}, ENTRY_SECONDS)
    return Figures(rows=rows, computed_at=computed_at)


def refresh_task(*, grouping: str, start=None, end=None, site=None, category: str = "") -> None:
    """The django-q2 task (knowledge.reliability.refresh_task): recompute, then free the lock."""
    try:
        refresh(grouping=grouping, start=start, end=end, site=site, category=category)
    finally:
        shared_cache().delete(_lock_key(_entry_key(grouping, start, end, site, category)))


def _queue_refresh(entry_key: str, filters: dict) -> bool:
    """Queue one recompute of the filter set unless one is queued or running: True if one is."""
    from django_q.tasks import async_task

    cache = shared_cache()
    if not cache.add(_lock_key(entry_key), 1, LOCK_SECONDS):
        return True
    try:
        async_task("knowledge.reliability.refresh_task", **filters, task_name="reliability refresh")
    except Exception:  # the broker is down: serve what is stored, try again on the next request
        cache.delete(_lock_key(entry_key))
        logger.exception("could not queue the reliability recompute")
        return False
    return True


def figures(*, grouping: str = "model", start=None, end=None, site=None, category: str = "") -> Figures:
    """The figures for the filters: what is stored (at once, with its time), recomputed in the
    background when a ticket or report changed since and the stored figures are older than
    RELIABILITY_REFRESH_SECONDS; computed in the request only when nothing is stored yet."""
    if grouping not in GROUPINGS:
        raise ValueError(grouping)
    filters = {"grouping": grouping, "start": start, "end": end, "site": getattr(site, "pk", site),
               "category": category}
    key = _entry_key(**filters)
    found = shared_cache().get_many([key, CHANGES_KEY])
    entry = found.get(key)
    if entry is None:
        return refresh(**filters, token=found.get(CHANGES_KEY))
    stale = entry["token"] != found.get(CHANGES_KEY)
    refreshing = False
    if stale:
        age = (timezone.now() - entry["computed_at"]).total_seconds()
        if age >= settings.RELIABILITY_REFRESH_SECONDS:
            refreshing = _queue_refresh(key, filters)
        else:
            refreshing = shared_cache().get(_lock_key(key)) is not None
    return Figures(rows=entry["rows"], computed_at=entry["computed_at"], stale=stale, refreshing=refreshing)


def reliability(*, grouping: str = "model", start=None, end=None, site=None, category: str = "",
                use_cache: bool = True) -> list[Row]:
    """The rows for the filters: as ``figures()`` serves them, or computed now (``use_cache=False``)."""
    if not use_cache:
        return compute(grouping=grouping, start=start, end=end, site=site, category=category)
    return figures(grouping=grouping, start=start, end=end, site=site, category=category).rows


# CSV ------------------------------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%")


def safe_cell(value) -> str:
    """A cell no spreadsheet reads as a formula: text starting with = + - @ tab CR LF | % gets a
    leading apostrophe (numbers are written by us and never negative here)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    text = str(value)
    if text.startswith(FORMULA_STARTS) or text.lstrip().startswith(FORMULA_STARTS):
        return "'" + text
    return text


CSV_HEADER = ["group", "failures", "interventions", "mtbf_days", "mttr_hours", "repeat_failures_30d",
              "under_warranty", "top_symptom", "top_cause", "top_action"]


def rows_to_csv(rows: list[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for r in rows:
        tops = [f'{r.top[k]["code"]} {r.top[k]["label"]}'.strip() if k in r.top else "" for k in KINDS]
        writer.writerow([safe_cell(v) for v in [r.label, r.failures, r.interventions, r.mtbf_days,
                                                r.mttr_hours, r.repeats, r.under_warranty, *tops]])
    return out.getvalue()
