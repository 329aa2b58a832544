from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("demo/<str:role>/", views.demo_login, name="demo_login"),
    path("signup/", views.signup, name="signup"),
    path("signup/done/", views.signup_done, name="signup_done"),
    path("confirm/resend/", views.resend_confirmation, name="resend_confirmation"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("invite/<uidb64>/<token>/", views.InviteAcceptView.as_view(), name="invite_accept"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("profile/", views.profile, name="profile"),
    path("profile/email/", views.email_change, name="email_change"),
    path("profile/email/<str:token>/", views.email_change_confirm, name="email_change_confirm"),
    path("people/", views.people, name="people"),
    path("people/invite/", views.people_invite, name="people_invite"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/role/", views.person_role, name="person_role"),
    path("people/<int:pk>/deactivate/", views.person_active, {"action": "deactivate"}, name="person_deactivate"),
    path("people/<int:pk>/reactivate/", views.person_active, {"action": "reactivate"}, name="person_reactivate"),
    path("people/<int:pk>/invitation/", views.person_resend_invitation, name="person_resend_invitation"),
    path("organisations/", views.organizations, name="organizations"),
    path("organisations/<int:pk>/", views.organization_edit, name="organization_edit"),
    path("profile/api-token/", views.api_token, name="api_token"),
]
