"""Logging in and out, the demo log-in, sign-up and e-mail confirmation, password reset, invitations."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts import services
from accounts.demo import demo_login_user
from accounts.forms import EmailAuthenticationForm, EmailOnlyForm, MailingPasswordResetForm, SignupForm
from accounts.models import Role
from accounts.throttle import mail_form_allowed
from accounts.tokens import ConfirmationError, confirmation_token_user, invitation_token_generator
from accounts.views._common import BACKEND, ErrorMessageMixin, _apply_errors, _demo_context

# --- logging in and out ----------------------------------------------------------------------

class LoginView(ErrorMessageMixin, auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True
    error_message = _lazy("Log-in failed: see the message below.")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **_demo_context()}

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Welcome back, %(name)s.") % {"name": form.get_user().first_name})
        return response


class LogoutView(auth_views.LogoutView):
    """POST only (Django refuses GET): a link prefetcher cannot log anybody out."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You have logged out."))
        return response


@require_POST
def demo_login(request, role: str):
    """Log in as the demo user of ``role``; exists only while FIXDESK_DEMO is on."""
    if not settings.FIXDESK_DEMO or role not in Role.values:
        raise Http404
    user = demo_login_user(role)
    if user is None:  # an admin deactivated this demo account: it stays deactivated
        messages.error(request, _("The demo %(role)s account was deactivated by an admin, so it cannot be used. "
                                  "Try another role, or ask an admin to reactivate it.")
                       % {"role": Role(role).label.lower()})
        return redirect("accounts:login")
    login(request, user, backend=BACKEND)
    messages.success(request, _("You are trying Fixdesk as the demo %(role)s.") % {"role": user.get_role_display()})
    return redirect("dashboard")


# --- sign-up and confirmation ----------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, _("Please correct the errors below."))
        elif not mail_form_allowed(request, "signup", form.cleaned_data["email"]):
            # Counted only when a mail would go out: typos do not use up the budget.
            messages.error(request, _("Too many sign-ups from here. Please wait an hour and try again."))
        else:
            data = form.cleaned_data
            try:
                services.user_signup(email=data["email"], first_name=data["first_name"],
                                     last_name=data["last_name"], password=data["password"])
            except ValidationError as exc:
                _apply_errors(form, exc)
                messages.error(request, _("Please correct the errors below."))
            else:
                request.session["accounts_signup_email"] = data["email"]
                return redirect("accounts:signup_done")
    return render(request, "accounts/signup.html", {"form": form, **_demo_context()})


def signup_done(request):
    return render(request, "accounts/signup_done.html", {"email": request.session.get("accounts_signup_email", "")})


@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    """GET shows a button (mail scanners prefetch links); the POST confirms and logs in."""
    if request.method == "GET":
        try:
            user = confirmation_token_user(token)
        except ConfirmationError as exc:
            return render(request, "accounts/confirm_invalid.html", {"reason": exc.reason}, status=400)
        return render(request, "accounts/confirm.html", {"confirm_user": user})
    try:
        user = services.user_confirm_email(token=token)
    except ConfirmationError as exc:
        if exc.reason == "used":
            messages.info(request, _("Your e-mail address is already confirmed. Please log in."))
            return redirect("accounts:login")
        return render(request, "accounts/confirm_invalid.html", {"reason": exc.reason}, status=400)
    login(request, user, backend=BACKEND)
    messages.success(request, _("Thank you, your e-mail address is confirmed. Welcome to Fixdesk!"))
    return redirect("dashboard")


@require_http_methods(["GET", "POST"])
def resend_confirmation(request):
    form = EmailOnlyForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if not mail_form_allowed(request, "resend", email):
            messages.error(request, _("Too many requests. Please wait an hour and try again."))
        else:
            services.user_resend_confirmation(email=email)
            messages.success(request, _("If %(email)s has an account waiting for confirmation, a new link is on "
                                        "its way. Check your inbox and spam folder.") % {"email": email})
            return redirect("accounts:login")
    elif request.method == "POST":
        messages.error(request, _("Please correct the errors below."))
    return render(request, "accounts/resend_confirmation.html", {"form": form})


# --- passwords --------------------------------------------------------------------------------

class PasswordResetView(ErrorMessageMixin, auth_views.PasswordResetView):
    form_class = MailingPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset_body.txt"
    html_email_template_name = "accounts/email/password_reset_body.html"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def get_extra_email_context(self):
        return {"site_url": settings.FIXDESK_SITE_URL}

    def form_valid(self, form):
        if not mail_form_allowed(self.request, "reset", form.cleaned_data["email"]):
            messages.error(self.request, _("Too many requests. Please wait an hour and try again."))
            return self.render_to_response(self.get_context_data(form=form))
        self.extra_email_context = self.get_extra_email_context()
        response = super().form_valid(form)
        messages.info(self.request, _("If %(email)s has an account, a reset link is on its way.") % {
            "email": form.cleaned_data["email"]})
        return response


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(ErrorMessageMixin, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:login")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.user_password_reset_completed(user=form.user)
        messages.success(self.request, _("Your password is changed. Log in with the new one."))
        return response


class InviteAcceptView(ErrorMessageMixin, auth_views.PasswordResetConfirmView):
    """The invitation link: the invited person chooses a password and is logged in."""

    template_name = "accounts/invite_accept.html"
    token_generator = invitation_token_generator
    success_url = reverse_lazy("dashboard")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        # A deactivated person's old invitation must not let them in.
        return user if user is not None and user.is_active else None

    def form_valid(self, form):
        user = services.user_accept_invitation(user=form.user, password=form.cleaned_data["new_password1"])
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        login(self.request, user, backend=BACKEND)
        messages.success(self.request, _("Welcome to Fixdesk, %(name)s. Your password is set.") % {
            "name": user.first_name})
        return redirect(self.success_url)
