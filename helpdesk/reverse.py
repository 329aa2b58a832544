"""URLs of list rows reversed once per list, not once per row."""

from collections.abc import Callable

from django.urls import reverse

_MARK = "987654321"


def pk_url_maker(name: str) -> Callable[[int], str]:
    """``pk -> reverse(name, args=[pk])`` for a URL whose one argument is a primary key: reversed once."""
    head, _mark, tail = reverse(name, args=[int(_MARK)]).partition(_MARK)
    return lambda pk: f"{head}{pk}{tail}"
