from django import forms
from django.utils.translation import gettext_lazy as _


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"), max_length=5000, strip=True,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("Write a message")}),
    )
