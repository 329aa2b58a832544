"""Thin views: parse the form, call one service or selector, render or redirect with a message."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts import permissions, selectors, services
from accounts.demo import demo_login_user
from accounts.forms import (
    EmailAuthenticationForm,
    EmailChangeForm,
    EmailOnlyForm,
    InviteForm,
    MailingPasswordResetForm,
    OrganizationForm,
    PeopleFilterForm,
    PersonForm,
    ProfileForm,
    RoleForm,
    SignupForm,
)
from accounts.models import Organization, Role
from accounts.throttle import mail_form_allowed
from accounts.tokens import (
    ConfirmationError,
    confirmation_token_user,
    email_change_token_read,
    invitation_token_generator,
)

BACKEND = "accounts.backends.EmailBackend"


def _apply_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError next to the fields it names (else above the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _demo_context() -> dict:
    return {"demo_roles": Role.choices if settings.FIXDESK_DEMO else []}


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


class ErrorMessageMixin:
    """Class-based forms say "please correct the errors" like the function views do."""

    error_message = _lazy("Please correct the errors below.")

    def form_invalid(self, form):
        messages.error(self.request, self.error_message)
        return super().form_invalid(form)


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


class PasswordChangeView(ErrorMessageMixin, auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Other sessions end by themselves (their session hash no longer matches); API tokens don't.
        services.user_tokens_revoke(user=form.user)
        messages.success(self.request, _("Your password is changed. Other devices have been logged out."))
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


# --- people (admins) --------------------------------------------------------------------------

@login_required
def people(request):
    _require(permissions.can_manage_people(request.user))
    filter_form = PeopleFilterForm(request.GET or None)
    filters = filter_form.filters() if request.GET else {}
    page = Paginator(selectors.user_list(actor=request.user, **filters),
                     settings.ACCOUNTS_PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "accounts/user_list.html", {
        "filter_form": filter_form, "page_obj": page, "people": page.object_list,
        "querystring_base": query.urlencode(), "counts": selectors.role_counts(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def people_invite(request):
    _require(permissions.can_manage_people(request.user))
    form = InviteForm(request.POST or None, initial={"role": request.GET.get("role", Role.CUSTOMER)})
    if request.method == "POST":
        if form.is_valid():
            try:
                user = services.user_invite(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("%(name)s is invited; the invitation is on its way to %(email)s.") % {
                    "name": user.get_full_name(), "email": user.email})
                return redirect("accounts:person", pk=user.pk)
        messages.error(request, _("Please correct the errors below."))
    return render(request, "accounts/user_invite.html", {"form": form})


def _person_page(request, person, *, form=None, role_form=None, status=200):
    return render(request, "accounts/user_detail.html", {
        "person": person,
        "form": form or PersonForm(initial=PersonForm.initial_for(person), role=person.role),
        "role_form": role_form or RoleForm(initial={"role": person.role}),
        "can_change_role": permissions.can_change_role(request.user, person),
        "can_deactivate": permissions.can_deactivate(request.user, person),
        "can_reactivate": permissions.can_reactivate(request.user, person),
        "can_resend_invitation": permissions.can_resend_invitation(request.user, person),
        "events": selectors.user_events(actor=request.user, user=person),
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def person(request, pk: int):
    _require(permissions.can_manage_people(request.user))
    target = selectors.user_get_for(actor=request.user, pk=pk)
    if request.method == "GET":
        return _person_page(request, target)
    form = PersonForm(request.POST, role=target.role)
    if form.is_valid():
        try:
            services.user_update(actor=request.user, user=target, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The details of %(name)s are saved.") % {"name": target.get_full_name()})
            return redirect("accounts:person", pk=target.pk)
    messages.error(request, _("Please correct the errors below."))
    return _person_page(request, target, form=form)


@login_required
@require_POST
def person_role(request, pk: int):
    _require(permissions.can_manage_people(request.user))
    target = selectors.user_get_for(actor=request.user, pk=pk)
    _require(permissions.can_change_role(request.user, target))
    role_form = RoleForm(request.POST)
    if role_form.is_valid():
        try:
            services.user_change_role(actor=request.user, user=target, role=role_form.cleaned_data["role"])
        except ValidationError as exc:
            _apply_errors(role_form, exc)
        else:
            target.refresh_from_db()
            messages.success(request, _("%(name)s is now %(role)s.") % {
                "name": target.get_full_name(), "role": target.get_role_display()})
            return redirect("accounts:person", pk=target.pk)
    messages.error(request, _("The role was not changed."))
    return _person_page(request, target, role_form=role_form, status=409 if role_form.is_bound else 200)


@login_required
@require_POST
def person_active(request, pk: int, action: str):
    """Deactivate or reactivate somebody (``action`` is "deactivate" or "reactivate")."""
    _require(permissions.can_manage_people(request.user))
    target = selectors.user_get_for(actor=request.user, pk=pk)
    if action == "deactivate":
        _require(permissions.can_deactivate(request.user, target))
        try:
            services.user_deactivate(actor=request.user, user=target)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("accounts:person", pk=target.pk)
        messages.success(request, _("%(name)s is deactivated and logged out everywhere.") % {
            "name": target.get_full_name()})
    else:
        _require(permissions.can_reactivate(request.user, target))
        services.user_reactivate(actor=request.user, user=target)
        messages.success(request, _("%(name)s can log in again.") % {"name": target.get_full_name()})
    return redirect("accounts:person", pk=target.pk)


@login_required
@require_POST
def person_resend_invitation(request, pk: int):
    _require(permissions.can_manage_people(request.user))
    target = selectors.user_get_for(actor=request.user, pk=pk)
    _require(permissions.can_resend_invitation(request.user, target))
    services.user_resend_invitation(actor=request.user, user=target)
    messages.success(request, _("A new invitation is on its way to %(email)s.") % {"email": target.email})
    return redirect("accounts:person", pk=target.pk)


# --- organisations (admins) -------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def organizations(request):
    _require(permissions.can_manage_organizations(request.user))
    form = OrganizationForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                org = services.organization_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Organisation %(name)s is created.") % {"name": org.name})
                return redirect("accounts:organizations")
        messages.error(request, _("Please correct the errors below."))
    query = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.organization_list(query=query),
                     settings.ACCOUNTS_PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "accounts/organization_list.html", {
        "form": form, "page_obj": page, "organizations": page.object_list, "q": query,
        "querystring_base": f"q={query}" if query else "",
    })


@login_required
@require_http_methods(["GET", "POST"])
def organization_edit(request, pk: int):
    _require(permissions.can_manage_organizations(request.user))
    org = get_object_or_404(Organization, pk=pk)
    form = OrganizationForm(request.POST or None, initial={"name": org.name,
                                                          "members_see_all_tickets": org.members_see_all_tickets})
    if request.method == "POST":
        if form.is_valid():
            try:
                services.organization_update(actor=request.user, organization=org, **form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Organisation saved."))
                return redirect("accounts:organizations")
        messages.error(request, _("Please correct the errors below."))
    members_url = reverse("accounts:people") + f"?organization={org.pk}"
    return render(request, "accounts/organization_form.html", {"form": form, "organization": org,
                                                                "members_url": members_url})
