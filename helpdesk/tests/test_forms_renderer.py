"""The fast <select> renderer writes exactly what Django's templates write."""

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from accounts.forms import ProfileForm
from helpdesk.forms_renderer import FastSelectRenderer

CHOICES = [
    ("", "---------"),
    ("a", "Plain"),
    ("<b>", 'Needs "escaping" & <more>'),
    (3, gettext_lazy("Lazy label")),
    ("Group & co", [("g1", "In a group"), ("g2", mark_safe("<i>safe</i>"))]),
]


class Sample(forms.Form):
    single = forms.ChoiceField(choices=CHOICES, required=False)
    required = forms.ChoiceField(choices=CHOICES[1:], widget=forms.Select(attrs={
        "class": "form-select", "aria-describedby": 'x "y"', "data-on": True, "data-off": False}))
    many = forms.MultipleChoiceField(choices=CHOICES[1:], required=False)
    disabled = forms.ChoiceField(choices=CHOICES, disabled=True, required=False)


class FancyOption(forms.Select):
    option_template_name = "django/forms/widgets/input_option.html"


def _both(form_class, data=None, **kwargs):
    fast = form_class(data, renderer=FastSelectRenderer(), **kwargs)
    slow = form_class(data, renderer=DjangoTemplates(), **kwargs)
    return fast, slow


def test_same_markup_unbound_and_bound():
    for data in (None, {"single": "<b>", "required": "3", "many": ["a", "g2"]}, {"single": "nope"}):
        fast, slow = _both(Sample, data)
        for name in fast.fields:
            assert str(fast[name]) == str(slow[name]), name
        assert "<option" in str(fast["single"])


def test_selected_and_escaped():
    fast, _slow = _both(Sample, {"single": "<b>"})
    html = str(fast["single"])
    assert '<option value="&lt;b&gt;" selected>Needs &quot;escaping&quot; &amp; &lt;more&gt;</option>' in html
    assert '<optgroup label="Group &amp; co">' in html
    assert "<i>safe</i>" in html


def test_the_project_renderer_is_the_fast_one_and_matches_on_a_real_form():
    form = ProfileForm(initial={"time_zone": "Europe/Paris"})
    assert isinstance(form.renderer, FastSelectRenderer)
    slow = ProfileForm(initial={"time_zone": "Europe/Paris"}, renderer=DjangoTemplates())
    assert str(form["time_zone"]) == str(slow["time_zone"])
    assert '<option value="Europe/Paris" selected>' in str(form["time_zone"])


def test_a_widget_with_its_own_option_template_goes_through_the_templates():
    class F(forms.Form):
        pick = forms.ChoiceField(choices=CHOICES[1:3], widget=FancyOption)

    fast, slow = _both(F)
    assert str(fast["pick"]) == str(slow["pick"])
    assert "<input" in str(fast["pick"])
