"""Pagination that never counts more than ``COUNT_CAP`` rows.

At 100,000 tickets the paginator's ``COUNT(*)`` over every visible ticket costs tens of
milliseconds per page and grows with the table (docs/bench.md). ``CappedPaginator`` counts at
most ``COUNT_CAP + 1`` rows (``SELECT COUNT(*) FROM (... LIMIT cap+1)``): below the cap it
behaves exactly like Django's paginator; above it the total shows as "10,000+", any page number
stays reachable, and "Next" is known by fetching one row more than the page.
"""

from __future__ import annotations

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination

COUNT_CAP = 10_000


class CappedPage(Page):
    def __init__(self, object_list, number, paginator, *, has_next: bool):
        super().__init__(object_list, number, paginator)
        self._has_next = has_next

    def has_next(self) -> bool:
        return self._has_next

    def end_index(self) -> int:
        return self.start_index() + len(self.object_list) - 1 if self.object_list else 0


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, *args, cap: int = COUNT_CAP, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.cap = cap

    @cached_property
    def count(self) -> int:
        """The number of rows, or ``cap + 1`` when there are more than ``cap``."""
        object_list = self.object_list
        if hasattr(object_list, "query") and hasattr(object_list, "count"):
            # Order and annotations do not change how many rows there are: count bare ids.
            return object_list.order_by().values("pk")[: self.cap + 1].count()
        return min(len(object_list), self.cap + 1)

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    @property
    def count_display(self) -> str:
        return f"{self.cap:,}+" if self.capped else f"{self.count:,}"

    def validate_number(self, number):
        if not self.capped:
            return super().validate_number(number)
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def page(self, number):
        if not self.capped:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom: bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return CappedPage(rows[: self.per_page], number, self, has_next=len(rows) > self.per_page)

    def get_page(self, number):
        try:
            return super().get_page(number)
        except EmptyPage:  # beyond the end of a capped list: back to the first page
            return self.page(1)


class CappedPageNumberPagination(PageNumberPagination):
    """The API's page-number pagination with the capped count: ``count`` is at most 10,001
    (meaning "more than 10,000"), ``next`` is exact."""

    django_paginator_class = CappedPaginator
