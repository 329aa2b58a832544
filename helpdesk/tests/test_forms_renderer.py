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


class Inputs(forms.Form):
    text = forms.CharField(required=False, widget=forms.TextInput(attrs={"class": "form-control", "data-x": 'a "b"'}))
    email = forms.EmailField(required=False)
    number = forms.IntegerField(required=False)
    decimal = forms.DecimalField(required=False)
    hidden = forms.IntegerField(widget=forms.HiddenInput, required=False)
    date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    file = forms.FileField(required=False, widget=forms.FileInput(attrs={"accept": "image/png", "multiple": False}))
    body = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3, "required": True}))


def test_inputs_and_textareas_same_markup_unbound_initial_and_bound():
    initial = {"text": mark_safe("<i>safe</i>"), "number": 7, "decimal": "1.50", "hidden": 3,
               "date": "2026-01-02", "body": "line 1\n<b>& line 2</b>"}
    bound = {"text": '<script>"x"</script>', "email": "a&b@example.com", "number": "12", "decimal": "x",
             "hidden": "", "date": "02/01/2026", "body": ""}
    for data, init in ((None, None), (None, initial), (bound, None), ({}, None)):
        fast = Inputs(data, initial=init, renderer=FastSelectRenderer())
        slow = Inputs(data, initial=init, renderer=DjangoTemplates())
        for name in fast.fields:
            assert str(fast[name]) == str(slow[name]), (name, data, init)
    html = str(Inputs({"text": '<script>"x"</script>'}, renderer=FastSelectRenderer())["text"])
    assert 'value="&lt;script&gt;&quot;x&quot;&lt;/script&gt;"' in html


def test_a_textarea_with_a_value_that_is_not_text_goes_through_the_template():
    class F(forms.Form):
        body = forms.CharField(widget=forms.Textarea)

    fast = F(initial={"body": 1234.5}, renderer=FastSelectRenderer())
    slow = F(initial={"body": 1234.5}, renderer=DjangoTemplates())
    assert str(fast["body"]) == str(slow["body"])
