import re

from django import forms
from django.utils.translation import gettext_lazy as _


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Rechercher"),
        max_length=200,
        required=False,
        error_messages={
            "max_length": _(
                "Votre recherche est trop longue (%(limit_value)d caractères au plus)."
            )
        },
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autocomplete": "off",
                "placeholder": _("ex. : feuille de route inclusion"),
            }
        ),
    )

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())

    def clean(self):
        cleaned = super().clean()
        # Only words reach the search backend: quotes and operators have a meaning
        # in SQLite FTS5's query syntax and would make it fail.
        cleaned["terms"] = " ".join(
            re.findall(r"\w[\w-]*\w|\w", cleaned.get("q") or "")
        )
        return cleaned
