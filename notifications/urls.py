from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("bell/", views.bell, name="bell"),
    path("<int:pk>/open/", views.notification_open, name="open"),
    path("<int:pk>/read/", views.notification_read, name="read"),
    path("read-all/", views.notification_read_all, name="read_all"),
    path("settings/", views.preferences, name="preferences"),
    path("settings/<int:user_id>/", views.preferences, name="user_preferences"),
    path("messages/", views.inbox, name="inbox"),
    path("messages/new/", views.contacts, name="contacts"),
    path("messages/with/<int:user_id>/", views.conversation, name="conversation"),
    path("messages/with/<int:user_id>/read/", views.conversation_read, name="conversation_read"),
    path("messages/<int:pk>/edit/", views.message_edit, name="message_edit"),
    path("messages/<int:pk>/delete/", views.message_delete, name="message_delete"),
]
