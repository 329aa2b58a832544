from django.urls import path

from facilities import views

app_name = "facilities"

urlpatterns = [
    path("", views.site_list, name="index"),
    path("sites/", views.site_list, name="site_list"),
    path("sites/new/", views.site_create, name="site_create"),
    path("sites/<int:pk>/", views.site_detail, name="site_detail"),
    path("sites/<int:pk>/edit/", views.site_edit, name="site_edit"),
    path("sites/<int:pk>/labels/", views.site_labels, name="site_labels"),
    path("sites/<int:site_pk>/locations/new/", views.location_create, name="location_create"),
    path("locations/<int:pk>/", views.location_detail, name="location_detail"),
    path("locations/<int:pk>/edit/", views.location_edit, name="location_edit"),
    path("locations/<int:pk>/delete/", views.location_delete, name="location_delete"),
    path("locations/<int:pk>/labels/", views.location_labels, name="location_labels"),
    path("equipment/", views.equipment_list, name="equipment_list"),
    path("equipment/new/", views.equipment_create, name="equipment_create"),
    path("equipment/<int:pk>/", views.equipment_detail, name="equipment_detail"),
    path("equipment/<int:pk>/edit/", views.equipment_edit, name="equipment_edit"),
    path("equipment/<int:pk>/photo/", views.equipment_photo, name="equipment_photo"),
    path("equipment/<int:pk>/label/", views.equipment_label, name="equipment_label"),
    path("models/", views.model_list, name="model_list"),
    path("models/new/", views.model_create, name="model_create"),
    path("models/<int:pk>/edit/", views.model_edit, name="model_edit"),
    path("vehicles/", views.vehicle_list, name="vehicle_list"),
    path("vehicles/new/", views.vehicle_create, name="vehicle_create"),
    path("vehicles/<int:pk>/edit/", views.vehicle_edit, name="vehicle_edit"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/new/", views.staff_create, name="staff_create"),
    path("staff/<int:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("export/<slug:kind>.csv", views.export_csv, name="export_csv"),
    path("import/", views.import_csv, name="import_csv"),
    # htmx pickers (contracts.md)
    path("pick/locations/", views.pick_locations, name="pick_locations"),
    path("pick/equipment/", views.pick_equipment, name="pick_equipment"),
]
