"""Forms of the ticket pages. They parse input; the services decide and write."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from accounts.models import Role
from facilities.forms import PlaceChoiceField
from facilities.models import Equipment, Location, Site, Vehicle
from helpdesk.widgets import ValuesModelChoiceField
from tickets.models import Category, Priority, Status
from tickets.selectors import SORTS
from tickets.services import BULK_ACTIONS, MAX_PHOTOS, photo_validate


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several image files; each is decoded by ``photo_validate`` (errors keep the other fields)."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        files = [f for f in files if f]
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(_("At most %(n)s photos per ticket.") % {"n": MAX_PHOTOS})
        errors = []
        for f in files:
            super().clean(f, initial)
            try:
                photo_validate(f)
            except forms.ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise forms.ValidationError(errors)
        return files


def _staff_queryset():
    from facilities.selectors import staff_for_assignment

    return staff_for_assignment()


class StaffChoiceField(ValuesModelChoiceField):
    """Engineers and technicians, labelled "Name (Role, N open, ~M min away)": the open jobs when the
    queryset counts them (``staff_for_assignment``), the travel time from the person's home site when
    ``site`` is set. The options are read as rows, with no User, profile or phone number built per
    person; validation is the queryset's, as for any ModelChoiceField."""

    site = None

    def choice_rows(self, queryset):
        roles = {value: str(label) for value, label in Role.choices}
        fields = ["pk", "first_name", "last_name", "role"]
        if "open_jobs" in queryset.query.annotations:
            fields.append("open_jobs")
        if self.site is not None:
            fields += ["staff_profile__home_site__latitude", "staff_profile__home_site__longitude"]
        open_jobs = str(_("%(n)s open"))  # translated once, not per person
        for row in queryset.prefetch_related(None).values(*fields):
            row["role_label"] = roles.get(row["role"], row["role"])
            row["open_label"] = open_jobs
            yield row

    def label_from_row(self, row) -> str:
        parts = [row["role_label"]]
        if row.get("open_jobs") is not None:
            parts.append(row["open_label"] % {"n": row["open_jobs"]})
        if self.site is not None:
            from facilities.routing import estimate

            home = (row["staff_profile__home_site__latitude"], row["staff_profile__home_site__longitude"])
            travel = estimate(home, self.site)
            if travel is not None:
                parts.append(str(_("~%(min)s min away")) % {"min": travel.duration_min})
        name = f"{row['first_name']} {row['last_name']}".strip()
        return f"{name} ({', '.join(parts)})"


class TicketForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200,
                            help_text=_("A few words: what is wrong and where."))
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20_000)
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.filter(active=True),
                                      required=False)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL)
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.filter(active=True), required=False)
    location = PlaceChoiceField(label=_("Location"), queryset=Location.objects.select_related("site"),
                                required=False)
    equipment = PlaceChoiceField(label=_("Equipment"), required=False,
                                 queryset=Equipment.objects.select_related("model__manufacturer"))
    affected_item = forms.CharField(label=_("Affected item"), max_length=200, required=False,
                                    help_text=_("When there is no equipment record: what is broken?"))
    contact_phone = PhoneNumberField(label=_("Contact number"), required=False,
                                     help_text=_("Leave empty to use the number on your profile."))
    photos = MultipleImageField(label=_("Photos"), help_text=_(
        "Up to 10 JPEG, PNG or WebP photos, 10 MB each."),
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp", "multiple": True}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, with_photos=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_photos:
            del self.fields["photos"]
        site = self.data.get("site") or self.initial.get("site")
        site_id = getattr(site, "pk", site)
        # Without JavaScript the lists are narrowed to the chosen site when there is one.
        narrowed = bool(site_id and str(site_id).isdigit())
        if narrowed:
            self.fields["location"].queryset = Location.objects.filter(site_id=site_id)
            self.fields["equipment"].queryset = self.fields["equipment"].queryset.filter(site_id=site_id)
        for name in ("location", "equipment"):
            value = self.data.get(name) if self.is_bound else self.initial.get(name)
            self.fields[name].follow(narrowed=narrowed, value=value)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        keys = ("title", "description", "category", "priority", "site", "location", "equipment", "affected_item",
                "contact_phone")
        out = {k: data.get(k) for k in keys}
        out["contact_phone"] = out["contact_phone"] or ""
        return out


class ActionForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                              max_length=10_000)
    assignee = StaffChoiceField(label=_("Assign to"), queryset=get_user_model().objects.none(), required=False)
    vehicle = forms.ModelChoiceField(label=_("Vehicle"), queryset=Vehicle.objects.none(), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, ticket=None, transition=None, **kwargs):
        super().__init__(*args, **kwargs)
        from facilities.selectors import vehicles_free

        # Fields the transition does not use go before their querysets are built.
        if transition is not None:
            if transition.comment_label:
                self.fields["comment"].label = transition.comment_label
            self.fields["comment"].required = transition.comment_required
            if not transition.needs_assignee:
                del self.fields["assignee"]
            if transition.action not in ("assign", "take"):
                del self.fields["vehicle"]
        if "assignee" in self.fields:
            self.fields["assignee"].queryset = _staff_queryset()
            self.fields["assignee"].site = getattr(ticket, "site", None)
        if "vehicle" in self.fields:
            self.fields["vehicle"].queryset = vehicles_free(for_ticket=ticket)


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000)
    is_internal = forms.BooleanField(label=_("Internal note (staff only)"), required=False)
    macro = forms.IntegerField(widget=forms.HiddenInput, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, staff=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not staff:
            del self.fields["is_internal"]
            del self.fields["macro"]


class PhotoForm(forms.Form):
    photos = MultipleImageField(label=_("Add photos"), widget=MultipleFileInput(
        attrs={"accept": "image/jpeg,image/png,image/webp", "multiple": True}))

    def clean_photos(self):
        photos = self.cleaned_data["photos"]
        if not photos:
            raise forms.ValidationError(_("Choose at least one photo."))
        return photos


STATUS_FILTERS = [("", _("All")), ("open", _("Open")), ("closed", _("Finished"))] + list(Status.choices)
SORT_CHOICES = [
    ("-created", _("Newest first")), ("created", _("Oldest first")), ("-updated", _("Recently updated")),
    ("-priority", _("Highest priority")), ("priority", _("Lowest priority")), ("status", _("Status")),
    ("title", _("Title")), ("due", _("Resolution due first")),
]
assert {k for k, _label in SORT_CHOICES} <= set(SORTS)


def _due_soon_text() -> str:
    from django.conf import settings

    return str(_("Due within %(n)s hours") % {"n": f"{settings.FIXDESK_SLA_DUE_SOON_HOURS:g}"})


_due_soon_label = lazy(_due_soon_text, str)  # read at render time: follows FIXDESK_SLA_DUE_SOON_HOURS


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200,
                        widget=forms.TextInput(attrs={"placeholder": _("FD-000123, title or description"),
                                                      "type": "search"}))
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_FILTERS, required=False)
    priority = forms.ChoiceField(label=_("Priority"), choices=[("", _("Any"))] + list(Priority.choices),
                                 required=False)
    category = ValuesModelChoiceField(label=_("Category"), queryset=Category.objects.all(), required=False,
                                      empty_label=_("Any"))
    site = ValuesModelChoiceField(label=_("Site"), queryset=Site.objects.all(), required=False, empty_label=_("Any"))
    assignee = StaffChoiceField(label=_("Assignee"), queryset=get_user_model().objects.none(), required=False,
                                empty_label=_("Anyone"))
    unassigned = forms.BooleanField(label=_("Unassigned"), required=False)
    escalated = forms.BooleanField(label=_("Escalated"), required=False)
    sla = forms.ChoiceField(label=_("Deadline"), required=False, choices=[
        ("", _("Any")), ("breached", _("Breached")), ("due_soon", _due_soon_label())])
    sort = forms.ChoiceField(label=_("Sort"), choices=SORT_CHOICES, required=False)

    QUEUE_ONLY = ("category", "site", "assignee", "unassigned", "escalated")

    def __init__(self, *args, queue=False, **kwargs):
        super().__init__(*args, **kwargs)
        if queue:
            self.fields["assignee"].queryset = get_user_model().objects.filter(
                role__in=("engineer", "technician"), is_active=True)
        else:
            for name in self.QUEUE_ONLY:
                del self.fields[name]
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(field.widget, forms.Select):
                field.widget.attrs.setdefault("class", "form-select")
            else:
                field.widget.attrs.setdefault("class", "form-control")

    def filters(self) -> dict:
        """Cleaned filters; invalid values are dropped rather than failing the page."""
        if self.is_valid():
            return self.cleaned_data
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors}


class BulkForm(forms.Form):
    action = forms.ChoiceField(label=_("Bulk action"), choices=[(a, a) for a in BULK_ACTIONS])
    tickets = forms.TypedMultipleChoiceField(coerce=int, choices=(), required=True)
    # The queue shows it next to the filter form's own assignee select, hence the id.
    assignee = StaffChoiceField(label=_("Assign to"), queryset=get_user_model().objects.none(), required=False,
                                widget=forms.Select(attrs={"id": "id_bulk_assignee", "class": "form-select"}))
    comment = forms.CharField(label=_("Comment"), required=False, max_length=10_000)

    def __init__(self, *args, ticket_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        from tickets.workflow import TRANSITIONS

        self.fields["action"].choices = [(a, TRANSITIONS[a].label) for a in BULK_ACTIONS]
        self.fields["tickets"].choices = [(pk, pk) for pk in ticket_ids]
        self.fields["assignee"].queryset = _staff_queryset()

    def clean(self):
        data = super().clean()
        if data.get("action") == "assign" and not data.get("assignee"):
            self.add_error("assignee", _("Choose who gets the tickets."))
        return data


class MacroForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10_000)
    set_priority = forms.ChoiceField(label=_("Set priority"), choices=[("", "-")] + list(Priority.choices),
                                     required=False)
    action = forms.ChoiceField(label=_("Workflow action"), required=False)
    assign_to = StaffChoiceField(label=_("Assign to"), queryset=get_user_model().objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from tickets.workflow import TRANSITIONS

        self.fields["action"].choices = [("", "-")] + [
            (a, t.label) for a, t in TRANSITIONS.items() if not t.service_only]
        self.fields["assign_to"].queryset = _staff_queryset()
