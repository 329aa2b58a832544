"""Every allow-listed sort of the ticket lists reads an index (issue 11, migration
0009_sort_indexes): the indexes exist in the (key, -id) order the lists use, the database plans
each sort's first page and its cursor pages (both ways) without sorting the table, numbered pages
(the deep ones read through a deferred join) give exactly the list's rows in order, and the stored
priority rank stays right whatever changes the priority."""

import pytest
from django.db import connection

from tickets import selectors
from tickets.models import SORT_INDEXES, Macro, Priority, Ticket
from tickets.pagination import CappedPaginator, _after, _after_parts, _order_of, queries_per_page
from tickets.services.macros import macro_apply
from tickets.services.tickets import ticket_create, ticket_update
from tickets.tests.conftest import make_ticket
from tickets.tests.test_keyset import many  # noqa: F401 - the fixture with ties on every sort key

pytestmark = pytest.mark.django_db

RANK = {Priority.LOW: 1, Priority.NORMAL: 2, Priority.HIGH: 3, Priority.URGENT: 4}
LISTS = {"all": {}, "open": {"status": "open"}}


def test_the_sort_indexes_exist_in_the_lists_order():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Ticket._meta.db_table)
    for key, name in SORT_INDEXES:
        index = constraints.get(f"ticket_sort_{name}_idx")
        assert index and index["index"], name
        column = Ticket._meta.get_field(key.lstrip("-")).column
        trailing = [] if column == "status" else ["status"]  # the queue's filter, read in the index
        assert index["columns"] == [column, "id", *trailing]
        assert index["orders"][:2] == ["DESC" if key.startswith("-") else "ASC", "DESC"]
    live = constraints["ticket_live_created_idx"]
    assert live["columns"] == ["created_at", "id", "status"] and live["orders"][:2] == ["DESC", "DESC"]


def test_every_sort_has_its_index():
    """A new allow-listed sort needs an index in its order (or is one the table already has)."""
    indexed = {key for key, _name in SORT_INDEXES} | {"-created_at", "id", "-id"}
    for sort, order in selectors.SORTS.items():
        field = order if isinstance(order, str) else order.expression.name
        assert field in indexed, sort


def _plan(qs) -> str:
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            return " / ".join(row[-1] for row in cursor.fetchall())
        # A test table is small enough to sort in memory: ask whether an index can serve the
        # order at all (sorting is then the planner's last resort, not its choice).
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_incremental_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return " / ".join(row[0] for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor not in ("sqlite", "postgresql"), reason="plan wording")
@pytest.mark.parametrize("sort", sorted(selectors.SORTS))
def test_first_and_cursor_pages_read_the_sort_index(many, sort):  # noqa: F811
    if sort in ("id", "-id") and connection.vendor == "sqlite":
        pytest.skip("the rowid order; on 40 rows SQLite prefers sorting a covering index (not at 100,000)")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as on a database that has seen ANALYZE (bench_seed, migration 0009)
    for filters in LISTS.values():
        qs = selectors.ticket_list(user=many, filters=filters, sort=sort)
        row = list(qs[10:11])[0]
        order = _order_of(qs)
        pages = {"first": qs[:26]}
        for direction, backwards in (("next", False), ("previous", True)):
            key = getattr(row, order.field)
            _cond, ordering = _after(order, key, row.pk, backwards)
            ids = qs.order_by(*ordering).values_list("pk", flat=True)
            for part, q in zip(("tie", "rest"), _after_parts(order, key, row.pk, backwards), strict=True):
                if q is not None:
                    pages[f"{direction} ({part})"] = ids.filter(q)[:26]
        for page, page_qs in pages.items():
            plan = _plan(page_qs)
            assert "TEMP B-TREE FOR ORDER BY" not in plan and "Sort" not in plan, (sort, page, plan)
            assert "SCAN tickets_ticket /" not in plan + " /", (sort, page, plan)  # SQLite: a bare table scan


@pytest.mark.parametrize("sort", sorted(selectors.SORTS) + [""])
@pytest.mark.parametrize("listed", sorted(LISTS))
def test_numbered_pages_give_the_list_in_order(many, sort, listed, django_assert_num_queries):  # noqa: F811
    qs = selectors.ticket_list(user=many, filters=LISTS[listed], sort=sort)
    expected = [t.pk for t in qs.all()]
    paginator = CappedPaginator(qs, 4, cap=5)  # capped: deep pages read through the deferred join
    assert paginator.capped
    seen, number = [], 1
    while True:
        with django_assert_num_queries(queries_per_page()):  # whatever the depth (the count is cached)
            page = paginator.page(number)
            seen += [t.pk for t in page]
        if not page.has_next():
            break
        number += 1
    assert seen == expected and number > 3


# The stored priority rank ------------------------------------------------------------------------


def _rank(ticket) -> int:
    return Ticket.objects.values_list("priority_rank", flat=True).get(pk=ticket.pk)


@pytest.mark.parametrize("priority", Priority.values)
def test_rank_is_stored_on_create(users, priority):
    ticket = ticket_create(actor=users["customer"], title="Broken window", description="Glass on the floor.",
                           priority=priority)
    assert _rank(ticket) == RANK[priority]


def test_rank_follows_every_way_the_priority_changes(users, api):
    ticket = make_ticket(requester=users["customer"], priority=Priority.LOW)
    assert _rank(ticket) == 1
    ticket = ticket_update(actor=users["admin"], ticket=ticket, version=None, priority=Priority.URGENT)  # edit page
    assert _rank(ticket) == 4
    response = api(users["admin"]).patch(f"/api/v1/tickets/{ticket.pk}/",
                                         {"priority": "normal", "version": Ticket.objects.get(pk=ticket.pk).version},
                                         content_type="application/json")
    assert response.status_code == 200 and _rank(ticket) == 2
    macro = Macro.objects.create(name="Raise", body="Raised.", set_priority=Priority.HIGH, owner=None)
    macro_apply(actor=users["admin"], ticket=Ticket.objects.get(pk=ticket.pk), macro=macro, body="Raised.")
    assert _rank(ticket) == 3
    Ticket.objects.filter(pk=ticket.pk).update(priority=Priority.LOW)  # bulk updates (imports, scripts)
    assert _rank(ticket) == 1
    bulk = Ticket.objects.bulk_create([Ticket(requester=users["customer"], title=f"Bulk {p}", description="x",
                                              priority=p) for p in Priority.values])  # bench_seed
    assert [_rank(t) for t in bulk] == [RANK[p] for p in Priority.values]


def test_rank_orders_the_priority_sort(users):
    for priority in (Priority.NORMAL, Priority.URGENT, Priority.LOW, Priority.HIGH):
        make_ticket(requester=users["customer"], priority=priority)
    qs = selectors.ticket_list(user=users["admin"], sort="-priority")
    assert [t.priority for t in qs] == [Priority.URGENT, Priority.HIGH, Priority.NORMAL, Priority.LOW]
    assert [t.priority_rank for t in qs] == [4, 3, 2, 1]


def test_the_deleted_list_and_the_vehicle_counts_read_their_indexes(users):
    """Migration 0010: admins' deleted tickets, newest deletion first, and each vehicle's open jobs."""
    from facilities.selectors import vehicle_list

    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Ticket._meta.db_table)
    assert constraints["ticket_deleted_idx"]["columns"] == ["deleted_at", "id"]
    assert constraints["ticket_live_vehicle_idx"]["columns"] == ["vehicle_id", "status"]
    deleted = _plan(selectors.tickets_deleted_for(users["admin"]).select_related(None))
    assert "ticket_deleted_idx" in deleted and "TEMP B-TREE" not in deleted and " Sort " not in deleted
    if connection.vendor == "sqlite":
        # PostgreSQL may as well take the foreign key's own index on a test-sized table.
        assert "ticket_live_vehicle_idx" in _plan(vehicle_list())


@pytest.fixture
def shared(users, other_customer):
    """A customer whose organisation shares its tickets, with a colleague's tickets and others'."""
    from accounts.models import Organization, Role

    org = Organization.objects.create(name="Shared", members_see_all_tickets=True)
    for user in (users["customer"], other_customer):
        user.organization = org
        user.save()
    from accounts.models import User
    from accounts.tests.factories import make_user

    # As on the bench, the organisation's tickets are a small share of the table, raised by
    # fewer people than all requesters together.
    outsiders = [make_user(Role.CUSTOMER) for _ in range(20)]
    for n in range(200):
        make_ticket(requester=outsiders[n % 20])
    tickets = [make_ticket(requester=[users["customer"], other_customer][n % 2]) for n in range(12)]
    return {"user": User.objects.get(pk=users["customer"].pk), "tickets": tickets}


def test_an_organisations_list_is_read_from_its_index_alone(shared):
    """The shared list's count walks ticket_live_requester_idx (one range per member) without
    reading the table, its pages read an index, and a page holds exactly the list's rows. (At
    100,000 tickets SQLite and PostgreSQL read the pages from the members' ranges too.)"""
    qs = selectors.ticket_rows_only(selectors.ticket_list(user=shared["user"]))
    assert [t.pk for t in CappedPaginator(qs, 5).page(2)] == sorted(
        (t.pk for t in shared["tickets"]), reverse=True)[5:10]  # created in order: newest = highest id
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    ids = qs.values("pk")
    count = _plan(ids.order_by().values("pk")[:10001])
    assert "COVERING INDEX ticket_live_requester_idx" in count, count
    for part in (ids[:26], ids[50:76], ids.filter(created_at__lt=shared["tickets"][6].created_at)[:26]):
        plan = _plan(part)  # the members' ranges, or (a small table) the order's own index
        assert "COVERING INDEX ticket_live_requester_idx" in plan or "INDEX ticket_live_created_idx" in plan, plan
