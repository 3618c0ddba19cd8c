from django import forms
from django.utils.translation import gettext_lazy as _

from search.query import MAX_QUERY_LENGTH


class SearchForm(forms.Form):
    """The query string of `/recherche/` and `/api/search/`.

    Lenient by design: a value that is not understood is reported and ignored, a
    search box is never an error page.
    """

    q = forms.CharField(
        label=_("Rechercher"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": _(
                "Votre recherche est trop longue (%(limit_value)d caractères au plus)."
            )
        },
    )
    kind = forms.CharField(required=False, max_length=20)
    theme = forms.SlugField(required=False, max_length=80)
    region = forms.RegexField(required=False, regex=r"^\d{2}$")
    collectivity_kind = forms.SlugField(required=False, max_length=20)
    year = forms.IntegerField(required=False, min_value=1900, max_value=2200)
    sort = forms.ChoiceField(
        required=False,
        choices=[("relevance", _("Pertinence")), ("date", _("Date"))],
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=1000)
    # The words as typed, never corrected (the link offered after a correction).
    exact = forms.BooleanField(required=False)

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())

    def values(self) -> dict:
        """Cleaned values of the valid fields; defaults for the others."""
        if not self.is_bound:
            return {"q": "", "sort": "relevance", "page": 1}
        self.is_valid()
        data = {
            name: self.cleaned_data.get(name)
            for name in self.fields
            if name not in self.errors
        }
        data["q"] = data.get("q") or ""
        data["sort"] = data.get("sort") or "relevance"
        data["page"] = data.get("page") or 1
        return data

    def filters(self) -> dict:
        values = self.values()
        return {
            name: values.get(name)
            for name in ("kind", "theme", "region", "collectivity_kind", "year")
            if values.get(name) not in (None, "")
        }
