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
  A bounded probe first reads at most ``CANDIDATE_LIMIT + 1`` matches (one query, under 1 ms): a
  rarer phrase is filtered by those ids, a commoner one as ``FtsMatch`` says (see there).
  Shorter queries (trigrams cannot index them) and a SQLite without FTS5 use the plain filter.
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection
from django.db.models import BooleanField, Expression, Q

from helpdesk.fts import Fts5Index

TABLE = "tickets_ticket"
SQLITE_INDEX = Fts5Index(TABLE, ("title", "description"), "trigram")
# name -> indexed column; the expression is the one Django's icontains emits on PostgreSQL.
PG_INDEXES = {"ticket_title_trgm_idx": "title", "ticket_description_trgm_idx": "description"}
MIN_INDEXED_LENGTH = 3  # a trigram index cannot find a shorter substring
# A phrase matching at most this many tickets is filtered by their ids (at most this many lookups by
# id and a sort of as many rows, for the page and the count alike); one matching more (1 % of 100,000
# tickets or more) has a match every 100 rows or closer, so a page's walk in sort order ends soon.
CANDIDATE_LIMIT = 1000


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
    phrase = fts_phrase(q)
    return Q(FtsMatch(phrase, candidates(phrase, conn))) & plain


def candidates(phrase: str, conn=None, limit: int = CANDIDATE_LIMIT) -> list[int] | None:
    """The ids of the tickets matching ``phrase`` if there are at most ``limit``; None if more.
    One query that reads at most ``limit + 1`` entries of the index (SQLite)."""
    conn = conn or connection
    fts = SQLITE_INDEX.fts
    with conn.cursor() as cursor:
        # Only constants are formatted into the SQL; the phrase and the limit are bound parameters.
        cursor.execute(f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s LIMIT %s", [phrase, limit + 1])  # nosec B608  # noqa: S608
        ids = [row[0] for row in cursor.fetchall()]
    return ids if len(ids) <= limit else None


class FtsMatch(Expression):
    """``tickets_ticket.id`` among the FTS5 matches of ``phrase``, in the form that costs least.

    ``candidates`` (``candidates()``): the ids of all matches when there are at most
    ``CANDIDATE_LIMIT``, else None. With the ids, ``id IN (the ids)``: SQLite looks up each one
    (page and count alike; a word in 3 tickets costs 3 lookups, where walking the list's sort index
    and probing the match read all 100,000 entries of that index). Without (a common phrase):

    - an ordered query (a page) adds nothing: the plain ``icontains`` walk of the list's sort index
      meets a match every ``N / CANDIDATE_LIMIT`` rows or closer on average and stops at the page's
      end (a word in every ticket: 25 rows), where probing the match first read all of it (100,000
      ids for "the": 10 ms). The exception, left open: a list whose own tickets hold few of the
      matches is walked to its end, testing each row's text (docs/bench.md);
    - an unordered one (the paginator's capped count, ``values("pk")[:10001]``) is driven by the
      match: it reads the match, then looks up matching tickets until the cap, instead of reading
      every ticket's text.
    """

    output_field = BooleanField()
    conditional = True

    def __init__(self, phrase: str, candidates: list[int] | None = None):
        super().__init__()
        self.phrase = phrase
        self.candidates = candidates

    def as_sql(self, compiler, connection):
        fts = SQLITE_INDEX.fts
        column = f"{connection.ops.quote_name(compiler.query.get_initial_alias())}.id"
        if self.candidates is not None:
            if not self.candidates:
                raise EmptyResultSet
            # Integers read from the index, formatted as literals (no parameter per id).
            return f"{column} IN ({', '.join(str(int(pk)) for pk in self.candidates)})", []
        query = compiler.query
        if query.order_by or (query.default_ordering and query.get_meta().ordering):
            raise FullResultSet  # the icontains filter next to this one does it all
        # Only constants are formatted into the SQL; the phrase is a bound parameter.
        return f"{column} IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s)", [self.phrase]  # nosec B608  # noqa: S608


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
