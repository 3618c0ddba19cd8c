from django import forms


class ListingFilterForm(forms.Form):
    """The filters of a listing (`/ressources/`, `/membres/`, `/entraide/`…), all
    optional and combinable in the query string: an invalid value is reported in
    French next to its field and ignored, the listing still answers with the
    others. Fields are `filtre-<name>` in the page, apart from other forms'
    fields (`auto_id`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "filtre-%s")
        super().__init__(*args, **kwargs)

    def valid_filters(self) -> dict:
        """The filters that passed validation; the others are left out."""
        self.is_valid()
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if value not in (None, "") and name not in self.errors
        }
