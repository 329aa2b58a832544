"""The ticket lists' search (``q=``): a case-insensitive substring of the title or description,
found through an index instead of reading every ticket.

``text_match(q)`` is the filter; it means exactly ``Q(title__icontains=q) | Q(description__icontains=q)``
(``%``, ``_`` and quotes typed by users are literal) on every database. Indexes:

- PostgreSQL: ``pg_trgm`` GIN indexes on ``UPPER(title::text)`` and ``UPPER(description::text)``,
  the expressions Django's ``icontains`` compares, so the plain filter uses them (a bitmap OR of
  both) for queries of 3+ characters; nothing to keep in step, the database does.
- SQLite: the FTS5 table ``tickets_ticket_fts`` with the ``trigram`` tokenizer (SQLite 3.34+),
  external content on ``tickets_ticket`` (title, description), kept in step by triggers
  (``helpdesk.fts``). A query of 3+ characters is matched as one quoted phrase, a substring of one
  column, case-folded; the ``icontains`` filter then re-checks only those candidates, so the result
  is the plain filter's to the letter (SQLite's LIKE folds ASCII letters only; FTS5 folds more).
  Shorter queries (trigrams cannot index them) and a SQLite without FTS5 use the plain filter.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import BooleanField, Expression, Q

from helpdesk.fts import Fts5Index

TABLE = "tickets_ticket"
SQLITE_INDEX = Fts5Index(TABLE, ("title", "description"), "trigram")
# name -> indexed column; the expression is the one Django's icontains emits on PostgreSQL.
PG_INDEXES = {"ticket_title_trgm_idx": "title", "ticket_description_trgm_idx": "description"}
MIN_INDEXED_LENGTH = 3  # a trigram index cannot find a shorter substring


def pg_index_ddl(name: str, column: str) -> str:
    return f'CREATE INDEX IF NOT EXISTS {name} ON {TABLE} USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'


def fts_phrase(q: str) -> str:
    """``q`` as one FTS5 phrase: double quotes around, a quote inside doubled; nothing in it is syntax."""
    return '"' + q.replace('"', '""') + '"'


def text_match(q: str, conn=None) -> Q:
    """Tickets whose title or description contains ``q``, ignoring case (``icontains``)."""
    conn = conn or connection
    plain = Q(title__icontains=q) | Q(description__icontains=q)
    if conn.vendor != "sqlite" or len(q) < MIN_INDEXED_LENGTH or not SQLITE_INDEX.ready(conn):
        return plain
    return Q(FtsMatch(fts_phrase(q))) & plain


class FtsMatch(Expression):
    """``tickets_ticket.id IN (the FTS5 match of ``phrase``)``, planned for the query it is in.

    SQLite cannot know how many tickets a phrase matches, and the two ways to run it cost in
    opposite directions: driven by the match (look up each matching ticket) is cheap for a rare
    word and costs every match for a common one (the API's page of "the" joined and sorted 100,000
    rows: 770 ms); walking the list's sort index and probing the matches stops at the 25th hit, cheap
    for a common word, and reads the whole index for a rare one. So an ordered query (a page) walks
    its sort index (the unary ``+`` keeps SQLite from driving by ``id``), an unordered one (the
    paginator's capped count, ``values("pk")[:10001]``) is driven by the match and stops at the cap.
    """

    output_field = BooleanField()
    conditional = True

    def __init__(self, phrase: str):
        super().__init__()
        self.phrase = phrase

    def as_sql(self, compiler, connection):
        fts = SQLITE_INDEX.fts
        column = f"{connection.ops.quote_name(compiler.query.get_initial_alias())}.id"
        query = compiler.query
        ordered = query.order_by or (query.default_ordering and query.get_meta().ordering)
        probe = "+" if ordered else ""
        # Only constants are formatted into the SQL; the phrase is a bound parameter.
        return f"{probe}{column} IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s)", [self.phrase]  # nosec B608  # noqa: S608


def install_search_index(conn=None, *, rebuild: bool = False) -> str:
    """Create the search index where missing (idempotent); with ``rebuild``, re-index every ticket
    (SQLite; PostgreSQL's indexes are always current). Returns what was done, for the operator."""
    conn = conn or connection
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            # Checked first: DDL is refused in a transaction with pending deferred constraint checks
            # (tests flush and re-send post_migrate).
            cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname = ANY(%s)", [list(PG_INDEXES)])
            present = {row[0] for row in cursor.fetchall()}
            missing = [name for name in PG_INDEXES if name not in present]
            if not missing:
                return "postgres: trigram indexes present (always current)"
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            for name in missing:
                cursor.execute(pg_index_ddl(name, PG_INDEXES[name]))
            return f"postgres: {', '.join(missing)} created"
        if conn.vendor != "sqlite":
            return f"{conn.vendor}: no search index (plain matching)"
        return SQLITE_INDEX.install(cursor, rebuild=rebuild)


def uninstall_search_index(conn=None) -> None:
    conn = conn or connection
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            for name in PG_INDEXES:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
        elif conn.vendor == "sqlite":
            SQLITE_INDEX.uninstall(cursor)
