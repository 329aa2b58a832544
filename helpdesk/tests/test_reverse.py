import pytest
from django.urls import reverse

from helpdesk.reverse import pk_url_maker


@pytest.mark.parametrize("name", ["knowledge:detail", "notifications:open", "tickets:detail"])
def test_pk_url_maker_gives_what_reverse_gives(name):
    url_for = pk_url_maker(name)
    for pk in (1, 9, 987654321, 123456789012):
        assert url_for(pk) == reverse(name, args=[pk])
