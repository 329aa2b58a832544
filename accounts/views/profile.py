"""The user's own account: profile, e-mail change, password change and the API token."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts import services
from accounts.forms import EmailChangeForm, ProfileForm
from accounts.throttle import mail_form_allowed
from accounts.tokens import ConfirmationError, email_change_token_read
from accounts.views._common import ErrorMessageMixin, _apply_errors

# --- profile ----------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    form = ProfileForm(request.POST or None, role=user.role, initial=ProfileForm.initial_for(user))
    if request.method == "POST":
        if form.is_valid():
            try:
                services.user_update(actor=user, user=user, **form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Your profile is saved."))
                return redirect("accounts:profile")
        messages.error(request, _("Please correct the errors below."))
    return render(request, "accounts/user_profile.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def email_change(request):
    form = EmailChangeForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            new_email = form.cleaned_data["new_email"]
            if not mail_form_allowed(request, "email_change", new_email):
                messages.error(request, _("Too many requests. Please wait an hour and try again."))
                return render(request, "accounts/email_change.html", {"form": form})
            try:
                services.user_request_email_change(actor=request.user, user=request.user, new_email=new_email,
                                                   password=form.cleaned_data["password"])
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("We sent a link to %(email)s. Your address changes when you open it.")
                                 % {"email": new_email.lower()})
                return redirect("accounts:profile")
        messages.error(request, _("Please correct the errors below."))
    return render(request, "accounts/email_change.html", {"form": form})


@require_http_methods(["GET", "POST"])
def email_change_confirm(request, token: str):
    """GET shows a button (mail scanners prefetch links); the POST moves the account to the new address."""
    try:
        user, new_email = email_change_token_read(token)
    except ConfirmationError as exc:
        return render(request, "accounts/confirm_invalid.html", {"reason": exc.reason, "email_change": True},
                      status=400)
    if request.method == "GET":
        return render(request, "accounts/email_change_confirm.html", {"new_email": new_email})
    try:
        services.user_confirm_email_change(token=token)
    except (ConfirmationError, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [])) or _("This link does not work any more."))
        return redirect("accounts:login")
    messages.success(request, _("Your e-mail address is now %(email)s.") % {"email": new_email})
    return redirect("accounts:profile" if request.user.is_authenticated else "accounts:login")


class PasswordChangeView(ErrorMessageMixin, auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Other sessions end by themselves (their session hash no longer matches); API tokens don't.
        services.user_tokens_revoke(user=form.user)
        messages.success(self.request, _("Your password is changed. Other devices have been logged out."))
        return response


# The profile page's API token: create (or replace) and revoke. The key is shown once, on the
# response to the POST, never put in a message or a cookie.

@never_cache
@login_required
@require_POST
def api_token(request):
    if request.POST.get("action") == "revoke":
        if services.api_token_revoke(actor=request.user):
            messages.success(request, _("Your API token is revoked: scripts using it are refused from now on."))
        return redirect("accounts:profile")
    key = services.api_token_create(actor=request.user)
    return render(request, "accounts/api_token.html", {"token": key})
