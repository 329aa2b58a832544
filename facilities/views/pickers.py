"""htmx pickers of the report form (contracts.md): ``<option>`` fragments, for every signed-in user."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from facilities import selectors
from facilities.views._common import pickers


@require_safe
@pickers
def pick_locations(request):
    """``?site=<id>`` -> the site's locations as options (empty list for an unknown or inactive site)."""
    locations = selectors.pick_locations(request.GET.get("site"))
    return render(request, "facilities/includes/options_locations.html",
                  {"locations": locations, "selected": request.GET.get("location", "")})


@require_safe
@pickers
def pick_equipment(request):
    """``?site=<id>&location=<id>`` -> equipment there (not retired) as options."""
    equipment = selectors.pick_equipment(request.GET.get("site"), request.GET.get("location") or None)
    return render(request, "facilities/includes/options_equipment.html",
                  {"equipment": equipment, "selected": request.GET.get("equipment", "")})
