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
    path("<int:pk>/timeline/", views.ticket_timeline, name="timeline"),
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

# Service reports and sign-off.
from tickets import views_reports  # noqa: E402

urlpatterns += [
    path("<int:pk>/reports/new/", views_reports.report_create, name="report_create"),
    path("<int:pk>/reports/<int:report_pk>/", views_reports.report_detail, name="report_detail"),
    path("<int:pk>/reports/<int:report_pk>/edit/", views_reports.report_edit, name="report_edit"),
    path("<int:pk>/reports/<int:report_pk>/submit/", views_reports.report_submit, name="report_submit"),
    path("<int:pk>/reports/<int:report_pk>/sign/", views_reports.report_sign, name="report_sign"),
    path("<int:pk>/reports/<int:report_pk>/refuse/", views_reports.report_refuse, name="report_refuse"),
    path("<int:pk>/reports/<int:report_pk>/void/", views_reports.report_void, name="report_void"),
    path("<int:pk>/reports/<int:report_pk>/print/", views_reports.report_print, name="report_print"),
    path("<int:pk>/reports/<int:report_pk>/pdf/", views_reports.report_pdf, name="report_pdf"),
    path("<int:pk>/reports/<int:report_pk>/photos/<int:photo_pk>/", views_reports.report_photo,
         name="report_photo"),
    path("<int:pk>/reports/<int:report_pk>/photos/<int:photo_pk>/thumb/", views_reports.report_photo,
         {"kind": "thumb"}, name="report_photo_thumb"),
]
