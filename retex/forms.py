import re

from django import forms
from django.forms.renderers import DjangoTemplates

# Ids are 64-bit integers in every database; a larger one makes the driver
# raise OverflowError (SQLite) or DataError (PostgreSQL) instead of "no such row".
_INTEGER = re.compile(r"[+-]?[0-9]+")


def beyond_ids(value) -> bool:
    """Whether `value`, as typed, is an integer no database id can be."""
    text = str(value).strip()
    return bool(_INTEGER.fullmatch(text)) and abs(int(text)) >= 2**63


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, where an id beyond 64 bits is an unknown choice (the
    field's French error) rather than a server error."""

    def clean(self, value):
        if self.to_field_name is None and isinstance(value, (list, tuple)):
            for choice in value:
                if beyond_ids(choice):
                    raise forms.ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": choice},
                    )
        return super().clean(value)


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
