from django import forms
from django.forms.renderers import DjangoTemplates


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


class BoundField(forms.BoundField):
    """A group of choices (radio buttons, checkboxes: a fieldset) gets its
    errors linked: Django describes such a fieldset by its help text only and
    leaves the error list referenced by nothing, so a screen reader on a choice
    marked invalid does not hear why. Each choice is described by the help text
    and the errors, as a single field is."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        described = self.aria_describedby if self.use_fieldset and self.errors else ""
        if described and not attrs.get("aria-describedby"):
            attrs["aria-describedby"] = described
        return attrs


class FormRenderer(DjangoTemplates):
    """The site's forms: Django's templates, `BoundField` above."""

    bound_field_class = BoundField
