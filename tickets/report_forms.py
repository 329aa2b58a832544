"""Forms of the service report pages. They parse input; tickets/services/reports.py decides and writes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tickets.forms import MultipleFileInput
from tickets.report_models import CodeKind, ReportCode
from tickets.services.reports import MAX_REPORT_PHOTOS, report_photo_validate

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class CodeField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.label


def _codes(kind, current=None):
    """Active codes of one list, plus the one already on the report (even if made inactive since)."""
    qs = ReportCode.objects.filter(kind=kind)
    if current is not None:
        return qs.filter(active=True) | qs.filter(pk=getattr(current, "pk", current))
    return qs.filter(active=True)


class ReportPhotoField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if len(files) > MAX_REPORT_PHOTOS:
            raise forms.ValidationError(_("At most %(n)s photos per report.") % {"n": MAX_REPORT_PHOTOS})
        errors = []
        for f in files:
            super().clean(f, initial)
            try:
                report_photo_validate(f)
            except forms.ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise forms.ValidationError(errors)
        return files


class ReportForm(forms.Form):
    arrived_at = forms.DateTimeField(label=_("Arrived"), widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS)
    departed_at = forms.DateTimeField(label=_("Left"), widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS)
    travel_distance_km = forms.DecimalField(label=_("Travel distance (km)"), required=False, min_value=0,
                                            max_digits=7, decimal_places=1,
                                            widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}))
    travel_minutes = forms.IntegerField(label=_("Travel time (minutes)"), required=False, min_value=0,
                                        max_value=2880, widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    labour_minutes = forms.IntegerField(label=_("Labour time (minutes)"), min_value=0, max_value=10080,
                                        widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    symptom = CodeField(label=_("Symptom found"), queryset=ReportCode.objects.none())
    symptom_text = forms.CharField(label=_("Symptom details"), required=False, max_length=10_000,
                                   widget=forms.Textarea(attrs={"rows": 2}))
    cause = CodeField(label=_("Cause"), queryset=ReportCode.objects.none())
    cause_text = forms.CharField(label=_("Cause details"), required=False, max_length=10_000,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    action = CodeField(label=_("Action taken"), queryset=ReportCode.objects.none())
    action_text = forms.CharField(label=_("Work done"), required=False, max_length=10_000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    follow_up_needed = forms.BooleanField(label=_("Another visit is needed"), required=False)
    follow_up_note = forms.CharField(label=_("What is left for the next visit"), required=False, max_length=10_000,
                                     widget=forms.Textarea(attrs={"rows": 2}))
    photos = ReportPhotoField(label=_("Add photos"), help_text=_("JPEG, PNG or WebP, 10 MB each, 10 per report."),
                              widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp",
                                                              "multiple": True}))
    remove_photos = forms.MultipleChoiceField(label=_("Remove photos"), required=False,
                                              widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, report=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, kind in (("symptom", CodeKind.SYMPTOM), ("cause", CodeKind.CAUSE), ("action", CodeKind.ACTION)):
            current = getattr(report, f"{name}_id", None)
            self.fields[name].queryset = _codes(kind, current).order_by("sort_order", "label")
            self.fields[name].empty_label = _("Choose…")
        if report is not None:
            self.fields["remove_photos"].choices = [(str(p.pk), p.original_name or p.pk) for p in report.photos.all()]
        else:
            del self.fields["remove_photos"]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        keys = ("arrived_at", "departed_at", "travel_distance_km", "travel_minutes", "labour_minutes", "symptom",
                "symptom_text", "cause", "cause_text", "action", "action_text", "follow_up_needed", "follow_up_note")
        return {k: data.get(k) for k in keys}


class PartForm(forms.Form):
    part_number = forms.CharField(label=_("Part number"), max_length=60, required=False)
    description = forms.CharField(label=_("Part"), max_length=200, required=False)
    quantity = forms.DecimalField(label=_("Qty"), required=False, min_value=0, max_digits=9, decimal_places=2,
                                  widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}))

    def clean(self):
        data = super().clean()
        if (data.get("description") or data.get("part_number")) and not data.get("quantity"):
            self.add_error("quantity", _("How many?"))
        if data.get("quantity") and not (data.get("description") or data.get("part_number")):
            self.add_error("description", _("Which part?"))
        return data


PartFormSet = forms.formset_factory(PartForm, extra=3, max_num=50, validate_max=True)


def part_lines(formset) -> list[dict]:
    return [f.cleaned_data for f in formset.forms
            if f.cleaned_data and (f.cleaned_data.get("description") or f.cleaned_data.get("part_number"))]


class SignForm(forms.Form):
    signer_name = forms.CharField(label=_("Your full name (signature)"), max_length=150,
                                  widget=forms.TextInput(attrs={"autocomplete": "name"}))
    password = forms.CharField(label=_("Your password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
                               help_text=_("Being signed in is not enough: confirm it is you."))
    agree = forms.BooleanField(label=_("I confirm the work described in this report was done."))


class RefuseForm(forms.Form):
    reason = forms.CharField(label=_("What is not right?"), max_length=10_000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("Why is the signature voided?"), max_length=10_000,
                             widget=forms.Textarea(attrs={"rows": 2}))
