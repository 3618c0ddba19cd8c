from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from knowledge.models import KnowledgeKind
from members.models import CollectivityKind
from members.territories import Region
from retex.forms import ListingFilterForm
from retex.models import Theme


class KnowledgeFilterForm(ListingFilterForm):
    """The filters of `/ressources/`, all optional and combinable in the query string.

    An invalid value is reported in French next to its field and ignored: the
    listing still answers with the other filters.
    """

    kind = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("Tous")), *KnowledgeKind.choices],
    )
    theme = forms.ModelChoiceField(
        label=_("Thème"),
        required=False,
        queryset=Theme.objects.all(),
        to_field_name="slug",
        empty_label=_("Tous"),
    )
    collectivity_kind = forms.ChoiceField(
        label=_("Type de collectivité"),
        required=False,
        choices=[("", _("Toutes")), *CollectivityKind.choices],
    )
    region = forms.ChoiceField(
        label=_("Région"), required=False, choices=[("", _("Toutes")), *Region.choices]
    )
    year = forms.TypedChoiceField(
        label=_("Année"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Toutes"))] + [
            (str(year), str(year)) for year in years
        ]
        self.fields["theme"].error_messages["invalid_choice"] = _(
            "Ce thème n'existe pas."
        )

    @staticmethod
    def year_range():
        return range(timezone.localdate().year, 1999, -1)
