"""The requester signs and refuses the same report at the same moment: the row locks let exactly one win."""

import threading

import pytest
from django.db import connection, connections
from django.test import RequestFactory

from tickets import services
from tickets.errors import TicketError
from tickets.models import ReportSignOff, ServiceReport, Status, Ticket
from tickets.tests.report_helpers import ensure_codes, make_job, report_fields


@pytest.mark.django_db(transaction=True)
def test_simultaneous_sign_and_refuse_one_wins(users, password):
    if connection.vendor != "postgresql":
        pytest.skip("needs a server database where threads have their own connections")
    ensure_codes()
    job = make_job(requester=users["customer"], assignee=users["technician"])
    report = services.report_create(actor=users["technician"], ticket=job, **report_fields())
    report = services.report_submit(actor=users["technician"], report=report)
    barrier = threading.Barrier(2)
    results = {}

    def act(what):
        request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.1")
        request.user = users["customer"]
        try:
            barrier.wait()
            fresh = ServiceReport.objects.select_related("ticket").get(pk=report.pk)
            if what == "sign":
                services.report_sign_off(actor=users["customer"], report=fresh, password=password,
                                         signer_name="Cara", request=request)
            else:
                services.report_refuse(actor=users["customer"], report=fresh, reason="Not done")
            results[what] = "ok"
        except TicketError as exc:
            results[what] = exc.message
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=(w,)) for w in ("sign", "refuse")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert list(results.values()).count("ok") == 1, results
    assert ReportSignOff.objects.count() == 1
    status = Ticket.objects.get(pk=job.pk).status
    assert status == (Status.RESOLVED if results["sign"] == "ok" else Status.IN_PROGRESS)
