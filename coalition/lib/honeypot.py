"""A honeypot field for public forms: hidden from people, filled in by bots that fill every field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

# A realistic name: bots skip fields called "honeypot" but fill one that looks like a fax number.
HONEYPOT_FIELD = "fax_number"


class HoneypotFormMixin(forms.Form):
    """Adds the hidden trap field; the view asks `caught_bot()` before anything else and then shows a
    bot the same page a person would see, storing nothing."""

    fax_number = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1", "class": "trap"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The trap is rendered last so it does not interrupt the visible fields' order.
        trap = self.fields.pop(HONEYPOT_FIELD)
        self.fields[HONEYPOT_FIELD] = trap

    def caught_bot(self) -> bool:
        return bool((self.data.get(HONEYPOT_FIELD) or "").strip())
