"""Facilities pages: the registry (sites, locations, models, equipment, vehicles), staff, pickers, labels."""

from facilities.views.equipment import (  # noqa: F401
    equipment_create,
    equipment_detail,
    equipment_edit,
    equipment_list,
    equipment_photo,
    model_create,
    model_edit,
    model_list,
)
from facilities.views.imports import import_csv  # noqa: F401
from facilities.views.labels import equipment_label, location_labels, site_labels  # noqa: F401
from facilities.views.pickers import pick_equipment, pick_locations  # noqa: F401
from facilities.views.sites import (  # noqa: F401
    location_create,
    location_delete,
    location_detail,
    location_edit,
    site_create,
    site_detail,
    site_edit,
    site_list,
)
from facilities.views.staff import staff_create, staff_edit, staff_list  # noqa: F401
from facilities.views.vehicles import export_csv, vehicle_create, vehicle_edit, vehicle_list  # noqa: F401
