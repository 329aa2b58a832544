"""Forms of the facilities pages: they parse and validate; the services write."""

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from accounts.models import Role, User, name_validator
from facilities.models import Equipment, EquipmentModel, Location, Site, Trade, Vehicle

FIELD_ROLE_CHOICES = [(Role.ENGINEER.value, Role.ENGINEER.label), (Role.TECHNICIAN.value, Role.TECHNICIAN.label)]
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# Above this many, the location and equipment lists wait for a site (the htmx pickers, or the
# narrowed lists after a submit without JavaScript) instead of sending every row of the estate.
PLACE_LIST_MAX = 200


class PlaceChoiceIterator(ModelChoiceIterator):
    """A place list that is short enough to send whole; otherwise only the value already chosen.

    A ``<select>`` walks its choices twice a render (``use_required_attribute`` reads the first,
    ``optgroups`` all of them): the list is worked out once per iterator, that is once per form,
    and worked out again only if the field is told to follow another site or value.
    """

    def __iter__(self):
        key = (self.field.narrowed, self.field.keep)
        cached = getattr(self, "_cached", None)
        if cached is None or cached[0] != key:
            self._cached = cached = (key, list(self._choices()))
        return iter(cached[1])

    def _choices(self):
        field = self.field
        # One light query (no rows, no joins) tells a long list from a short one; only a short
        # list, or a chosen site's, is fetched whole.
        if field.narrowed or not self.queryset[PLACE_LIST_MAX:].exists():
            if field.empty_label is not None:
                yield ("", field.empty_label)
            yield from (self.choice(obj) for obj in self.queryset.iterator(chunk_size=500))
            return
        yield ("", _("Choose a site first"))
        chosen = [v for v in field.keep if str(v).isdigit()]
        if chosen:
            yield from (self.choice(obj) for obj in self.queryset.filter(pk__in=chosen))


class PlaceChoiceField(forms.ModelChoiceField):
    """A location or equipment field: validates against every row, lists at most PLACE_LIST_MAX."""

    iterator = PlaceChoiceIterator
    narrowed = False
    keep: tuple = ()

    def follow(self, *, narrowed: bool, value) -> None:
        """``narrowed``: the queryset holds one site's rows; ``value``: what is chosen now."""
        self.narrowed = narrowed
        value = getattr(value, "pk", value)
        self.keep = (value,) if value not in (None, "") else ()


class SiteForm(forms.ModelForm):
    class Meta:
        model = Site
        fields = ["name", "address", "latitude", "longitude", "active"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"latitude": _("Decimal degrees, e.g. 51.507400. Needed for travel estimates.")}

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        return data


class LocationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    parent = forms.ModelChoiceField(label=_("Inside"), queryset=Location.objects.none(), required=False,
                                    empty_label=_("(top level of the site)"))

    def __init__(self, *args, site: Site, exclude: Location | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Location.objects.filter(site=site).order_by("path")
        if exclude is not None:
            from facilities.selectors import location_subtree

            qs = qs.exclude(pk__in=location_subtree(exclude).values("pk"))
        self.fields["parent"].queryset = qs


class EquipmentModelForm(forms.Form):
    manufacturer = forms.CharField(label=_("Manufacturer"), max_length=200,
                                   help_text=_("A new name creates the manufacturer."))
    name = forms.CharField(label=_("Model name"), max_length=200)
    category = forms.CharField(label=_("Category"), max_length=100, required=False,
                               help_text=_("e.g. HVAC, lift, printer, boiler"))


class EquipmentForm(forms.ModelForm):
    class Meta:
        model = Equipment
        fields = ["asset_tag", "serial_number", "model", "site", "location", "install_date", "warranty_end",
                  "status", "notes", "photo"]
        widgets = {"install_date": DATE_WIDGET, "warranty_end": DATE_WIDGET, "notes": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"location": PlaceChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].queryset = EquipmentModel.objects.select_related("manufacturer")
        self.fields["site"].queryset = Site.objects.all()
        self.fields["location"].queryset = Location.objects.select_related("site").order_by("path")
        narrowed = False
        if not self.is_bound:
            # Offer the locations of the site already chosen; the htmx picker refreshes them on change.
            site = self.initial.get("site") or (self.instance.site_id if self.instance.pk else None)
            site_id = getattr(site, "pk", site)
            if site_id:
                self.fields["location"].queryset = self.fields["location"].queryset.filter(site_id=site_id)
                narrowed = True
        self.fields["location"].follow(narrowed=narrowed, value=self["location"].value())
        # The location list follows the chosen site (htmx picker).
        from django.urls import reverse

        self.fields["site"].widget.attrs.update({
            "hx-get": reverse("facilities:pick_locations"), "hx-target": "#id_location", "hx-trigger": "change",
        })
        self.fields["photo"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp"

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and hasattr(photo, "size") and photo.size > 8 * 1024 * 1024:
            raise forms.ValidationError(_("The photo may be at most 8 MB."))
        return photo

    def clean(self):
        data = super().clean()
        site, location = data.get("site"), data.get("location")
        if site and location and location.site_id != site.pk:
            self.add_error("location", _("This location is not on the chosen site."))
        start, end = data.get("install_date"), data.get("warranty_end")
        if start and end and end < start:
            self.add_error("warranty_end", _("The warranty cannot end before the installation date."))
        return data


class VehicleForm(forms.ModelForm):
    class Meta:
        model = Vehicle
        fields = ["name", "plate", "kind", "capacity", "home_site", "active"]


class StaffForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100, validators=[name_validator])
    last_name = forms.CharField(label=_("Last name"), max_length=100, validators=[name_validator])
    email = forms.EmailField(label=_("E-mail address"), max_length=254,
                             help_text=_("They receive an invitation to set their password."))
    phone = PhoneNumberField(label=_("Phone number"), required=True,
                             help_text=_("Mobile number for job SMS, e.g. +44 7911 123456"))
    role = forms.ChoiceField(label=_("Role"), choices=FIELD_ROLE_CHOICES)
    trades = forms.ModelMultipleChoiceField(label=_("Trades"), queryset=Trade.objects.all(), required=False,
                                            widget=forms.CheckboxSelectMultiple)
    new_trades = forms.CharField(label=_("Other trades"), required=False, max_length=300,
                                 help_text=_("Comma-separated; new trades are added to the list."))
    home_site = forms.ModelChoiceField(label=_("Home site"), queryset=Site.objects.filter(active=True),
                                       required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, user: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user is not None:
            # The e-mail address is the login: changed by the person or on the People page, not here.
            self.fields["email"].disabled = True
            self.fields["email"].help_text = ""
        else:
            del self.fields["is_active"]

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        clash = User.objects.filter(email__iexact=email)
        if self.user is not None:
            clash = clash.exclude(pk=self.user.pk)
        if clash.exists():
            raise forms.ValidationError(_("Someone already has an account with this e-mail address."))
        return email

    def clean_new_trades(self):
        names = [n.strip() for n in self.cleaned_data.get("new_trades", "").split(",") if n.strip()]
        for name in names:
            if len(name) > 100:
                raise forms.ValidationError(_("A trade name may be at most 100 characters."))
        return names


class ImportForm(forms.Form):
    KIND_CHOICES = [("sites", _("Sites")), ("locations", _("Locations")), ("models", _("Equipment models")),
                    ("equipment", _("Equipment"))]
    MAX_BYTES = 5 * 1024 * 1024

    kind = forms.ChoiceField(label=_("What the file holds"), choices=KIND_CHOICES)
    file = forms.FileField(label=_("CSV file (UTF-8, header row)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}))
    dry_run = forms.BooleanField(label=_("Dry run: check every row, write nothing"), required=False, initial=True)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file may be at most 5 MB; use the import_registry command for more."))
        return upload
