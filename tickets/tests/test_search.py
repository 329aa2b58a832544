"""The lists' search (``q=``): the same tickets as a plain ``icontains``, found through an index."""

import pytest
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tickets import search, selectors
from tickets.models import Ticket
from tickets.services.tickets import ticket_delete, ticket_restore, ticket_update
from tickets.tests.conftest import make_ticket

SQLITE = connection.vendor == "sqlite"

TEXTS = [
    ("Water LEAK under sink", "Dripping since Monday. Leek soup, lake, KALE."),
    ("Boiler pressure low", "Gauge shows 0.5 bar; 100% sure it is the valve."),
    ("Printer jams", 'Error "13.A2" on every job, tray_2 empty.'),
    ("Noise", "Rattle 50%_off the fan? Use \\ backslash."),
    ("Café lights flicker", "Die Straße vor dem Büro ist dunkel. ÉCLAIRAGE éteint."),
    ("Door", "It's stuck; the O'Brien office."),
    ("Lift", "Ascenseur en panne 日本語のテキスト"),
    ("leaky tap", "tap LEAKS a little"),
]

QUERIES = [
    "leak", "LEAK", "Leak", "lea", "le", "k", "eak under", "water leak",  # case, short, phrases
    "100%", "%", "50%_", "_", "tray_2", "tray%2", "0.5 bar",           # LIKE wildcards are literal
    '"13.A2"', '"', "O'Brien", "it's", "\\", "\\ back",                # quotes and escapes
    "café", "CAFÉ", "straße", "büro", "BÜRO", "éclairage", "日本語", "本語",  # unicode
    "zzzz-not-there", "NEAR(leak)", "leak OR boiler", "leak*", "{title}: leak",  # FTS syntax is text
]


@pytest.fixture
def tickets(users):
    return [make_ticket(requester=users["customer"], title=title, description=text) for title, text in TEXTS]


def found(q):
    return set(Ticket.objects.filter(search.text_match(q)).values_list("pk", flat=True))


def plain(q):
    return set(Ticket.objects.filter(Q(title__icontains=q) | Q(description__icontains=q)).values_list("pk", flat=True))


def test_sqlite_has_the_fts5_index(db):
    if not SQLITE:
        pytest.skip("SQLite only")
    assert search.SQLITE_INDEX.ready(connection)


@pytest.mark.parametrize("q", QUERIES)
def test_search_finds_exactly_what_icontains_finds(tickets, q):
    expected = plain(q)
    assert found(q) == expected
    # ... through the selector, ordered as the list is
    listed = selectors.ticket_list(user=tickets[0].requester, filters={"q": q})
    assert {t.pk for t in listed} == expected
    assert listed.order_by().values("pk")[:10001].count() == len(expected)


def test_the_data_set_exercises_the_cases(tickets):
    assert len(plain("leak")) == 2 and len(plain("100%")) == 1 and len(plain("%")) == 2
    assert len(plain("_")) == 2 and plain("tray%2") == set() and len(plain('"13.A2"')) == 1
    assert len(plain("日本語")) == 1 and plain("zzzz-not-there") == set()


def test_the_index_serves_queries_of_three_characters_or_more(tickets):
    with CaptureQueriesContext(connection) as probed:
        sql = str(Ticket.objects.filter(search.text_match("leak")).query)
    with CaptureQueriesContext(connection) as not_probed:
        short = str(Ticket.objects.filter(search.text_match("le")).query)
    assert len(not_probed) == 0 and "tickets_ticket_fts" not in short
    if SQLITE:
        # the bounded probe, then the filter by the ids it found
        assert len(probed) == 1 and "tickets_ticket_fts MATCH" in probed[0]["sql"]
        assert f'"tickets_ticket".id IN ({tickets[0].pk}, {tickets[7].pk})' in sql
    else:
        assert len(probed) == 0 and "tickets_ticket_fts" not in sql  # PostgreSQL: the plain filter, served by pg_trgm


def test_the_probe_is_bounded(tickets):
    if not SQLITE:
        pytest.skip("SQLite only")
    assert sorted(search.candidates('"leak"')) == [tickets[0].pk, tickets[7].pk]
    assert search.candidates('"leak"', limit=2) is not None
    assert search.candidates('"leak"', limit=1) is None  # more than the limit: a common phrase
    assert search.candidates('"zzzz-not-there"') == []


def common(q):
    """``text_match(q)`` as it is for a phrase with more than ``CANDIDATE_LIMIT`` matches."""
    return Q(search.FtsMatch(search.fts_phrase(q))) & (Q(title__icontains=q) | Q(description__icontains=q))


def _plan(qs) -> str:
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        if SQLITE:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            return "\n".join(str(row[-1]) for row in cursor.fetchall())
        # A handful of rows: rule out the table scan and plain index walks to prove the index can be used.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_count_and_the_page_use_the_index(tickets, users):
    listed = selectors.ticket_list(user=users["admin"], filters={"q": "leak"})
    count, page = _plan(listed.order_by().values("pk")[:10001]), _plan(listed[:25])
    if SQLITE:
        # a rare phrase (at most CANDIDATE_LIMIT matches): page and count look up its ids
        assert "SEARCH tickets_ticket USING INTEGER PRIMARY KEY" in count
        assert "SEARCH tickets_ticket USING INTEGER PRIMARY KEY" in page
        # a common one: the count is driven by the match and stops at the cap ...
        base = Ticket.objects.filter(common("leak"))
        count = _plan(base.order_by().values("pk")[:10001])
        assert "VIRTUAL TABLE INDEX" in count and "SEARCH tickets_ticket USING INTEGER PRIMARY KEY" in count
        # ... and a page is the plain list's with icontains alone (Meta.ordering sorts too): it walks
        # the sort index and meets a match often (at 100k; these 8 tickets are simply sorted)
        for page in (base.order_by("-created_at", "-id")[:25], base[:25]):
            assert "tickets_ticket_fts" not in str(page.query) and "LIST SUBQUERY" not in _plan(page)
    else:
        plan = _plan(Ticket.objects.filter(search.text_match("leak")).values("pk"))
        assert "ticket_title_trgm_idx" in plan and "ticket_description_trgm_idx" in plan


@pytest.mark.parametrize("q", [q for q in QUERIES if len(q) >= search.MIN_INDEXED_LENGTH])
def test_a_common_phrase_finds_exactly_what_icontains_finds(tickets, q):
    if not SQLITE:
        pytest.skip("SQLite only (PostgreSQL has no FtsMatch)")
    expected = plain(q)
    assert set(Ticket.objects.filter(common(q)).values_list("pk", flat=True)) == expected  # the page's form
    assert set(Ticket.objects.filter(common(q)).order_by().values_list("pk", flat=True)) == expected  # the count's


@pytest.mark.django_db(transaction=True)
def test_triggers_keep_the_index_in_step(users):
    admin = users["admin"]
    ticket = make_ticket(requester=users["customer"], title="Flickering lamp", description="In the hall.")
    assert found("flicker") == {ticket.pk}
    ticket = ticket_update(actor=admin, ticket=ticket, version=ticket.version, title="Broken window",
                           description="Glass cracked.")
    assert found("flicker") == set() and found("cracked") == {ticket.pk}
    Ticket.objects.filter(pk=ticket.pk).update(status="in_progress")  # not the text: nothing to re-index
    assert found("window") == {ticket.pk}
    ticket = ticket_delete(actor=admin, ticket=ticket)  # soft: still indexed, hidden by visibility
    assert found("window") == {ticket.pk}
    assert not selectors.ticket_list(user=admin, filters={"q": "window"}).exists()
    ticket_restore(actor=admin, ticket=ticket)
    assert selectors.ticket_list(user=admin, filters={"q": "window"}).get().pk == ticket.pk
    Ticket.objects.filter(pk=ticket.pk).delete()
    if SQLITE:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM tickets_ticket_fts WHERE tickets_ticket_fts MATCH %s", ['"window"'])
            assert cursor.fetchone()[0] == 0
    assert found("window") == set()


@pytest.mark.django_db(transaction=True)
def test_post_migrate_puts_back_dropped_triggers(users):
    if not SQLITE:
        pytest.skip("SQLite re-creates tables and drops triggers; PostgreSQL's indexes stay")
    with connection.cursor() as cursor:
        search.SQLITE_INDEX.drop_triggers(cursor)
    missed = make_ticket(requester=users["customer"], title="Gutter overflowing", description="Roof.")
    assert found("gutter") == set()  # not indexed while the triggers were gone
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'tickets_ticket_fts%'")
        assert {row[0] for row in cursor.fetchall()} == set(search.SQLITE_INDEX.triggers)
    assert found("gutter") == {missed.pk}  # re-indexed
    later = make_ticket(requester=users["customer"], title="Gutter blocked", description="Leaves.")
    assert found("gutter") == {missed.pk, later.pk}


def test_postgres_indexes_match_the_icontains_expression(db):
    if SQLITE:
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname = ANY(%s)",
                       [list(search.PG_INDEXES)])
        defs = dict(cursor.fetchall())
    assert set(defs) == set(search.PG_INDEXES)
    assert "upper((title)::text) gin_trgm_ops" in defs["ticket_title_trgm_idx"]
    assert "upper(description) gin_trgm_ops" in defs["ticket_description_trgm_idx"]
    assert search.install_search_index() == "postgres: trigram indexes present (always current)"


def test_fts_phrase_quotes_everything():
    assert search.fts_phrase('say "hi" OR x*') == '"say ""hi"" OR x*"'


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["tickets:queue", "tickets:list", "api:ticket-list"])
def test_a_search_costs_one_query_more_than_the_plain_list(client_for, api, users, url):
    """On SQLite the bounded probe of the index (``search.candidates``) is one query more; a query
    too short for the index, and PostgreSQL, cost the plain list's queries."""
    for i in range(30):
        make_ticket(requester=users["customer"], title=f"Leaking pipe {i}", description="Wet floor.")
    client = client_for(users["admin"]) if url.startswith("tickets") else api(users["admin"])
    base = reverse(url)
    plain_list = _count(client, base)
    assert _count(client, base + "?q=leaking") == plain_list + (1 if SQLITE else 0)
    assert _count(client, base + "?q=le") == plain_list


@pytest.mark.django_db(transaction=True)
def test_rebuild_search_index_command_re_indexes_tickets(users):
    import io

    from django.core.management import call_command

    if SQLITE:
        with connection.cursor() as cursor:
            search.SQLITE_INDEX.drop_triggers(cursor)
    ticket = make_ticket(requester=users["customer"], title="Skylight leaking", description="Atrium.")
    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "tickets: " in out.getvalue() and "articles: " in out.getvalue()
    assert found("skylight") == {ticket.pk}


def test_a_reference_finds_its_ticket_besides_the_text(tickets, users):
    by_ref = selectors.ticket_list(user=users["admin"], filters={"q": tickets[3].reference})
    assert {t.pk for t in by_ref} == {tickets[3].pk}
    number = str(tickets[1].pk)  # "2": a reference and a substring ("100%" is in ticket 2's text too)
    listed = {t.pk for t in selectors.ticket_list(user=users["admin"], filters={"q": number})}
    assert listed == plain(number) | {tickets[1].pk}


@pytest.mark.django_db(transaction=True)
def test_without_the_fts5_table_the_plain_filter_answers(users):
    if not SQLITE:
        pytest.skip("SQLite only")
    ticket = make_ticket(requester=users["customer"], title="Draughty corridor", description="Cold air.")
    search.uninstall_search_index()
    try:
        assert not search.SQLITE_INDEX.ready(connection)
        assert "tickets_ticket_fts" not in str(Ticket.objects.filter(search.text_match("draught")).query)
        assert found("DRAUGHT") == {ticket.pk}
    finally:
        search.install_search_index()
    assert search.SQLITE_INDEX.ready(connection) and found("draught") == {ticket.pk}


ALPHABET = "aAeElLkK %_\"'\\éÉß日本 .-"


@given(q=st.text(alphabet=ALPHABET, min_size=1, max_size=6))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_query_finds_what_icontains_finds(tickets, q):
    assert found(q) == plain(q)
    if SQLITE and len(q) >= search.MIN_INDEXED_LENGTH:  # and as it is for a common phrase, page and count
        assert set(Ticket.objects.filter(common(q)).values_list("pk", flat=True)) == plain(q)
        assert set(Ticket.objects.filter(common(q)).order_by().values_list("pk", flat=True)) == plain(q)
