"""Ranked full-text search over articles, one contract on every database.

``search_articles(qs, text, match_all=True)`` filters ``qs`` to the articles matching ``text`` and
returns it annotated with ``rank`` (higher is better; a title hit outweighs a body hit), ordered
by rank then newest first. Backends:

- ``postgres``: ``to_tsvector`` of title (weight A) and body (weight B), stored by the database in
  the generated column ``search_tsv`` with the GIN index ``knowledge_article_search_gin``;
  ``ts_rank`` orders.
- ``fts5``: SQLite's FTS5 table ``knowledge_article_fts`` (external content, kept in sync by
  triggers, Porter stemming); ``bm25`` with the title weighted 10 to the body's 1 orders.
- ``basic``: ``icontains`` per word, ranked 10 per title hit and 1 per body hit, for SQLite
  builds without FTS5 (or ``KNOWLEDGE_SEARCH_BACKEND = "basic"``).

Only words (``\\w+``) of what users type reach a query, so no search syntax can be injected.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from helpdesk.fts import Fts5Index

TABLE = "knowledge_article"
FTS_TABLE = f"{TABLE}_fts"
GIN_INDEX = "knowledge_article_search_gin"
# PostgreSQL: a stored generated column holding the weighted vector (not a Django field: the
# database keeps it current on every insert and update), so ranking reads it instead of
# re-parsing every matching article's text.
PG_COLUMN = "search_tsv"
MAX_TERMS = 12
MAX_TERM_LENGTH = 40
TOKEN_RE = re.compile(r"\w+", re.UNICODE)

PG_VECTOR = (
    "(setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'B'))"
)

# Words too common to tell articles apart (PostgreSQL's english config drops them itself; the
# SQLite backends would otherwise let "the" or "my" match every article).
STOP_WORDS = frozenset("""
a about above after again against all am an and any are as at be because been before being below between
both but by can could did do does doing down during each few for from further had has have having he her
here hers him his how i if in into is it its just me more most my no nor not now of off on once only or
other our ours out over own same she should so some such than that the their them then there these they
this those through to too under until up very was we were what when where which while who whom why will
with would you your yours
""".split())

def candidates() -> int:
    """How many matches at most are ranked for one search (``KNOWLEDGE_SEARCH_CANDIDATES``):
    a results page shows the best of those and counts at most that many."""
    return int(getattr(settings, "KNOWLEDGE_SEARCH_CANDIDATES", 1000))


def terms(text: str) -> list[str]:
    """The words of ``text`` worth searching (lower case, no stop words unless only those were
    typed, at most MAX_TERMS, each at most MAX_TERM_LENGTH)."""
    words = [w.lower()[:MAX_TERM_LENGTH] for w in TOKEN_RE.findall(text or "")]
    # The last word is kept even if common: it may be the start of a longer one being typed.
    meaningful = [w for i, w in enumerate(words) if w not in STOP_WORDS or i == len(words) - 1]
    if len(meaningful) > 1 and meaningful[-1] in STOP_WORDS:
        meaningful.pop()
    words = meaningful or words
    seen, out = set(), []
    for w in words:
        if w not in seen:
            seen.add(w)
            out.append(w)
    return out[:MAX_TERMS]


def backend_name(conn=None) -> str:
    conn = conn or connection
    if getattr(settings, "KNOWLEDGE_SEARCH_BACKEND", "auto") == "basic":
        return "basic"
    if conn.vendor == "postgresql":
        return "postgres"
    if conn.vendor == "sqlite" and SQLITE_INDEX.ready(conn):
        return "fts5"
    return "basic"


def search_articles(qs: QuerySet, text: str, *, match_all: bool = True, title_only: bool = False) -> QuerySet:
    """``qs`` narrowed to articles matching ``text``, annotated with ``rank``, best first.

    ``match_all``: every word must match (search); otherwise any word may (suggestions).
    The last word matches as a prefix, so results follow what is being typed.
    ``title_only``: match titles only (SQLite backends; PostgreSQL ignores it and searches both),
    a much smaller set to rank for the suggestions shown while typing.
    """
    words = terms(text)
    if not words:
        return qs.none()
    name = backend_name()
    if name == "postgres":
        return _postgres(qs, words, match_all)
    if name == "fts5":
        return _fts5(qs, words, match_all, title_only)
    return _basic(qs, words, match_all, title_only)


def more_matches_than_ranked(text: str) -> bool:
    """Whether more articles match ``text`` (every word, before visibility) than one search ranks
    (``candidates()``): the page then says the best ones are shown rather than a total. A count
    of at most ``candidates() + 1`` index entries."""
    words = terms(text)
    name = backend_name()
    if not words or name == "basic":
        return False
    limit = candidates()
    with connection.cursor() as cursor:
        if name == "postgres":
            query = " & ".join(words[:-1] + [words[-1] + ":*"])
            cursor.execute(f"SELECT COUNT(*) FROM (SELECT 1 FROM {TABLE} WHERE {PG_COLUMN} @@ "  # nosec B608  # noqa: S608
                           f"to_tsquery('english'::regconfig, %s) LIMIT {limit + 1:d}) AS hits", [query])
        else:
            quoted = [f'"{w}"' for w in words]
            quoted[-1] += "*"
            cursor.execute(f"SELECT COUNT(*) FROM (SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "  # nosec B608  # noqa: S608
                           f"LIMIT {limit + 1:d})", [" ".join(quoted)])
        return cursor.fetchone()[0] > limit


def _postgres(qs, words, match_all):
    joiner = " & " if match_all else " | "
    query = joiner.join(words[:-1] + [words[-1] + ":*"])
    vector = f"{connection.ops.quote_name(TABLE)}.{PG_COLUMN}"
    tsquery = "to_tsquery('english'::regconfig, %s)"
    # Only constants are formatted into the SQL; what the user typed is a bound parameter.
    # Ranking reads every match's vector: for a word in most articles that is most of the table.
    # Only the newest ``candidates()`` matches are ranked (found along the primary key or the GIN
    # index, whichever the planner prefers), so the work stays bounded however common the word.
    limit = candidates()
    newest = f"{TABLE}.id IN (SELECT id FROM {TABLE} WHERE {PG_COLUMN} @@ {tsquery} ORDER BY id DESC LIMIT {limit:d})"  # nosec B608  # noqa: S608, E501
    return (qs.extra(where=[f"{vector} @@ {tsquery}", newest], params=[query, query])  # nosec B610  # noqa: S610
            .annotate(rank=RawSQL(f"ts_rank({vector}, {tsquery})", [query]))  # nosec B611  # noqa: S611
            .order_by("-rank", "-id"))


def _fts5(qs, words, match_all, title_only=False):
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    query = (" " if match_all else " OR ").join(quoted)
    if title_only:
        query = f"{{title}} : ({query})"
    # Only constants are formatted into the SQL; the MATCH expression is a bound parameter.
    # The unary ``+`` keeps SQLite from probing the FTS table once per article row (the planner
    # would otherwise start from an article index, e.g. status): the full-text match drives the
    # join and articles are fetched by primary key (13 s -> 4 ms for a count at 100,000 articles).
    # Only the newest ``candidates()`` matches are joined and ranked: the rowid of the N-th newest
    # match comes from FTS5 alone (its doclists are in rowid order), and the match is then read
    # from that rowid on, so a word found in most articles costs what a rarer one does. (An
    # ``IN (... ORDER BY bm25 LIMIT N)`` list instead made SQLite re-run the MATCH once per id.)
    limit, fts = candidates(), FTS_TABLE
    newest = f"{fts}.rowid >= COALESCE((SELECT rowid FROM {fts} WHERE {fts} MATCH %s ORDER BY rowid DESC LIMIT 1 OFFSET {limit - 1:d}), 0)"  # nosec B608  # noqa: S608, E501
    return (qs.extra(  # nosec B610  # noqa: S610
        tables=[FTS_TABLE],
        where=[f"{TABLE}.id = +{FTS_TABLE}.rowid", f"{FTS_TABLE} MATCH %s", newest], params=[query, query],
        select={"rank": f"-bm25({FTS_TABLE}, 10.0, 1.0)"},
    ).order_by("-rank", "-id"))


def _basic(qs, words, match_all, title_only=False):
    match = Q()
    score = Value(0)
    for word in words:
        hit = Q(title__icontains=word) if title_only else Q(title__icontains=word) | Q(body__icontains=word)
        match = (match & hit) if match_all else (match | hit)
        score = score + Case(When(title__icontains=word, then=Value(10)), default=Value(0),
                             output_field=IntegerField())
        score = score + Case(When(body__icontains=word, then=Value(1)), default=Value(0),
                             output_field=IntegerField())
    return qs.filter(match).annotate(rank=score).order_by(F("rank").desc(), "-id")


# Index maintenance --------------------------------------------------------------------------

SQLITE_INDEX = Fts5Index(TABLE, ("title", "body"), "porter unicode61 remove_diacritics 2")


def install_search_index(conn=None, *, rebuild: bool = False) -> str:
    """Create what the backend needs if missing (idempotent); with ``rebuild``, re-index all.

    Returns what was done, for the operator. Called by the migration, after every ``migrate``
    (SQLite re-creates tables on some schema changes and drops their triggers) and by the
    ``rebuild_search_index`` command.
    """
    conn = conn or connection
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            # The generated column and its index are always current: nothing to rebuild, only to
            # create if missing (checked first: DDL is refused in a transaction with pending
            # deferred constraint checks, as in tests).
            cursor.execute("SELECT 1 FROM information_schema.columns WHERE table_name = %s AND column_name = %s",
                           [TABLE, PG_COLUMN])
            done = []
            if not cursor.fetchone():
                cursor.execute(f"ALTER TABLE {TABLE} ADD COLUMN {PG_COLUMN} tsvector "
                               f"GENERATED ALWAYS AS ({PG_VECTOR}) STORED")
                done.append("column")
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [GIN_INDEX])
            row = cursor.fetchone()
            if row and PG_COLUMN not in row[0]:
                # An earlier build indexed the expression itself: replace it with the column's index.
                cursor.execute(f"DROP INDEX {GIN_INDEX}")
                row = None
            if not row:
                cursor.execute(f"CREATE INDEX {GIN_INDEX} ON {TABLE} USING gin ({PG_COLUMN})")
                done.append("GIN index")
            return f"postgres: {' and '.join(done)} created" if done else "postgres: GIN index present (always current)"
        if conn.vendor != "sqlite":
            return f"{conn.vendor}: no full-text index (basic search)"
        return SQLITE_INDEX.install(cursor, rebuild=rebuild)


def uninstall_search_index(conn=None) -> None:
    conn = conn or connection
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")
            cursor.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS {PG_COLUMN}")
        elif conn.vendor == "sqlite":
            SQLITE_INDEX.uninstall(cursor)
