import pytest


@pytest.fixture
def wsgi_keeps_connection():
    """Called straight through WSGI (not Django's test client), Django closes the database connection
    after each request; on PostgreSQL that would end the test's transaction. Django's test client
    disconnects the same receivers."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
