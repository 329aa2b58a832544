"""TEMPORARY - REMOVE AT MERGE: a stand-in for ``tickets:detail`` while the tickets branch is apart.

``Ticket.get_absolute_url()`` reverses ``tickets:detail``; the conftest switches to this URLconf
only when that name does not resolve, so once the real tickets URLs are merged it is unused.
"""

from django.http import HttpResponse
from django.urls import include, path

from helpdesk import urls as project_urls


def _detail(request, pk):
    return HttpResponse(f"ticket {pk} (stub page)")


urlpatterns = [
    path("tickets/", include(([path("<int:pk>/", _detail, name="detail")], "tickets"))),
    *[p for p in project_urls.urlpatterns if getattr(p, "namespace", None) != "tickets"],
]
