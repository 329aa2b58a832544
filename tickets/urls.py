from django.urls import path

from tickets import macro_views, views

app_name = "tickets"

urlpatterns = [
    path("", views.ticket_list, name="list"),
    path("new/", views.ticket_create, name="create"),
    path("queue/", views.queue, name="queue"),
    path("queue/bulk/", views.queue_bulk, name="bulk"),
    path("jobs/", views.jobs, name="jobs"),
    path("<int:pk>/", views.ticket_detail, name="detail"),
    path("<int:pk>/edit/", views.ticket_edit, name="edit"),
    path("<int:pk>/delete/", views.ticket_delete, name="delete"),
    path("<int:pk>/do/<slug:action>/", views.ticket_action, name="action"),
    path("<int:pk>/comments/", views.comment_create, name="comment"),
    path("<int:pk>/photos/", views.photo_upload, name="photo_upload"),
    path("<int:pk>/photos/<int:photo_pk>/", views.photo_file, name="photo"),
    path("<int:pk>/photos/<int:photo_pk>/thumb/", views.photo_file, {"kind": "thumb"}, name="photo_thumb"),
    path("macros/", macro_views.macro_list, name="macros"),
    path("macros/new/", macro_views.macro_edit, name="macro_create"),
    path("macros/<int:pk>/", macro_views.macro_edit, name="macro_edit"),
    path("macros/<int:pk>/delete/", macro_views.macro_delete, name="macro_delete"),
]
