"""Forms of the knowledge pages. They parse input; the services decide and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from facilities.models import EquipmentModel, Site
from knowledge.models import ArticleStatus, Visibility
from knowledge.reliability import GROUPINGS


def equipment_categories() -> list[tuple[str, str]]:
    names = (EquipmentModel.objects.exclude(category="").order_by("category")
             .values_list("category", flat=True).distinct())
    return [("", _("Any category"))] + [(n, n) for n in names]


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Article"), widget=forms.Textarea(attrs={"rows": 14}), max_length=100_000,
                           help_text=_("Markdown: **bold**, lists, `code`, [links](https://…). HTML is shown as text."))
    visibility = forms.ChoiceField(label=_("Who may read it"), choices=Visibility.choices, initial=Visibility.STAFF)
    tags = forms.CharField(label=_("Tags"), required=False, max_length=600,
                           help_text=_("Separated by commas, e.g. leak, compressor."))
    equipment_models = forms.ModelMultipleChoiceField(
        label=_("Equipment models"), required=False,
        queryset=EquipmentModel.objects.select_related("manufacturer"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    categories = forms.CharField(label=_("Equipment categories"), required=False, max_length=400,
                                 help_text=_("Separated by commas, e.g. HVAC, lifts."))

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {k: data[k] for k in ("title", "body", "visibility", "tags", "equipment_models", "categories")}


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status"))] + list(ArticleStatus.choices))
    model = forms.ModelChoiceField(label=_("Equipment model"), required=False,
                                   queryset=EquipmentModel.objects.select_related("manufacturer"))
    tag = forms.CharField(label=_("Tag"), required=False, max_length=50)
    mine = forms.BooleanField(label=_("Mine"), required=False)

    def filters(self) -> dict:
        if not self.is_valid():
            # A bad parameter never breaks the page: keep the valid ones, drop the rest.
            data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        else:
            data = self.cleaned_data
        return {"q": data.get("q") or "", "status": data.get("status") or "", "equipment_model": data.get("model"),
                "tag": data.get("tag") or "", "mine": bool(data.get("mine"))}


class VoteForm(forms.Form):
    helpful = forms.TypedChoiceField(choices=[("yes", _("Yes")), ("no", _("No"))],
                                     coerce=lambda v: v == "yes")


class ReliabilityFilterForm(forms.Form):
    group = forms.ChoiceField(label=_("Per"), required=False, initial="model", choices=[
        ("model", _("Equipment model")), ("manufacturer", _("Manufacturer")),
        ("equipment", _("Equipment")), ("site", _("Site")),
    ])
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    site = forms.ModelChoiceField(label=_("Site"), required=False, queryset=Site.objects.all())
    category = forms.ChoiceField(label=_("Category"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = equipment_categories()

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end comes before the start."))
        return data

    def filters(self) -> dict:
        valid = self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if valid or k not in self.errors}
        group = data.get("group") or "model"
        return {"grouping": group if group in GROUPINGS else "model", "start": data.get("start"),
                "end": data.get("end"), "site": data.get("site"), "category": data.get("category") or ""}
