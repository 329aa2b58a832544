"""Forms for accounts. They parse and validate input; the services do the writing."""

from __future__ import annotations

import zoneinfo
from functools import cache

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from accounts.models import Organization, Role, User, name_validator
from accounts.selectors import ROLE_FILTERS, STATUS_FILTERS


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    names = sorted(z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/")))
    return [("", _("Site default")), ("UTC", "UTC"), *[(z, z.replace("_", " ")) for z in names]]


def _name_field(label):
    return forms.CharField(label=label, max_length=100, validators=[name_validator],
                           widget=forms.TextInput(attrs={"autocomplete": "given-name" if "first" in str(label)
                                                         else "family-name"}))


def _phone_field(required=False):
    return PhoneNumberField(
        label=_("Phone number"), required=required, region=None,
        help_text=_("International format, e.g. +44 7911 123456. Needed for engineers and technicians."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )


class EmailAuthenticationForm(AuthenticationForm):
    """Log in with the e-mail address; says plainly when the address still needs confirming."""

    username = forms.EmailField(label=_("E-mail address"), max_length=254,
                                widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("That e-mail address and password do not match an active account. "
                           "Check both; the password is case-sensitive."),
    }

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            self._explain_unconfirmed()
            raise

    def _explain_unconfirmed(self):
        # Only somebody who knows the password learns that the account waits for confirmation.
        if getattr(self.request, "axes_locked_out", False):
            return
        email, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        user = User.objects.filter(email__iexact=email or "", is_active=True, email_confirmed_at__isnull=True).first()
        if user is not None and password and user.check_password(password):
            raise forms.ValidationError(format_html(
                '{} <a href="{}">{}</a>',
                _("Your e-mail address is not confirmed yet: open the link we sent you."),
                reverse("accounts:resend_confirmation"), _("Send the link again"),
            ), code="unconfirmed")


class SignupForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    first_name = _name_field(_("First name"))
    last_name = _name_field(_("Last name"))
    password = forms.CharField(
        label=_("Password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters; not a common password, not only digits, not like your name."),
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password:
            probe = User(email=cleaned.get("email", ""), first_name=cleaned.get("first_name", ""),
                         last_name=cleaned.get("last_name", ""))
            try:
                password_validation.validate_password(password, probe)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return cleaned


class EmailOnlyForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class MailingPasswordResetForm(PasswordResetForm):
    """Django's reset form with the e-mail field labelled like the others."""

    email = forms.EmailField(label=_("E-mail address"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class EmailChangeForm(forms.Form):
    new_email = forms.EmailField(label=_("New e-mail address"), max_length=254,
                                 widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(label=_("Your current password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class ProfileForm(forms.Form):
    first_name = _name_field(_("First name"))
    last_name = _name_field(_("Last name"))
    phone = _phone_field()
    time_zone = forms.ChoiceField(label=_("Time zone"), required=False, choices=time_zone_choices,
                                  help_text=_("Dates and times are shown in this zone."))

    def __init__(self, *args, role: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.role = role
        if role in (Role.ENGINEER, Role.TECHNICIAN):
            self.fields["phone"].required = True

    @classmethod
    def initial_for(cls, user: User) -> dict:
        return {"first_name": user.first_name, "last_name": user.last_name, "phone": user.phone,
                "time_zone": user.time_zone}


class PersonForm(ProfileForm):
    """What an admin edits on somebody else's page (the role has its own form)."""

    organization = forms.ModelChoiceField(label=_("Organisation"), queryset=Organization.objects.all(),
                                          required=False, empty_label=_("(none)"))

    @classmethod
    def initial_for(cls, user: User) -> dict:
        return {**super().initial_for(user), "organization": user.organization_id}


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    first_name = _name_field(_("First name"))
    last_name = _name_field(_("Last name"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.CUSTOMER)
    phone = _phone_field()
    organization = forms.ModelChoiceField(label=_("Organisation"), queryset=Organization.objects.all(),
                                          required=False, empty_label=_("(none)"))

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") in (Role.ENGINEER, Role.TECHNICIAN) and not cleaned.get("phone") \
                and "phone" not in self.errors:
            self.add_error("phone", _("Engineers and technicians need a phone number."))
        return cleaned


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class OrganizationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    members_see_all_tickets = forms.BooleanField(
        label=_("Members see each other's tickets"), required=False,
        help_text=_("When ticked, every member of the organisation follows all of its tickets."),
    )


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.SearchInput(attrs={"placeholder": _("Name, e-mail or phone")}))
    who = forms.ChoiceField(label=_("Who"), required=False, choices=[
        ("", _("Everybody")), ("customers", _("Customers")), ("field", _("Field staff")),
        ("engineer", _("Engineers")), ("technician", _("Technicians")), ("admins", _("Admins")),
    ])
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[
        ("", _("Any status")), ("active", _("Active")), ("unconfirmed", _("Not confirmed yet")),
        ("inactive", _("Deactivated")),
    ])
    organization = forms.ChoiceField(label=_("Organisation"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = [("", _("Any organisation")), ("none", _("No organisation")),
                                               *[(str(o.pk), o.name) for o in Organization.objects.all()]]

    def filters(self) -> dict:
        self.is_valid()  # an unknown organisation must not throw away a valid search term
        data = getattr(self, "cleaned_data", {})
        who, status = data.get("who", ""), data.get("status", "")
        return {"query": data.get("q", ""), "who": who if who in ROLE_FILTERS else "",
                "status": status if status in STATUS_FILTERS else "", "organization": data.get("organization", "")}
