from django.contrib import admin
from django.urls import include, path

from helpdesk import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("facilities/", include("facilities.urls")),
    path("tickets/", include("tickets.urls")),
    path("kb/", include("knowledge.urls")),
    path("notifications/", include("notifications.urls")),
    path("api/", include("helpdesk.api.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "helpdesk.views.permission_denied"
handler404 = "helpdesk.views.page_not_found"
handler500 = "helpdesk.views.server_error"
