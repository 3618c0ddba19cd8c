from django import forms
from django.utils.translation import gettext_lazy as _

from following.kinds import SEARCH_QUERY_MAX
from following.models import EmailPreference, FollowKind


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = EmailPreference
        fields = ["frequency", "letter", "aid", "events"]
        labels = {
            "frequency": _("Recevoir ce que je suis"),
            "letter": _("La lettre du réseau"),
            "aid": _("Les réponses de l'entraide à mes questions"),
            "events": _("Les annonces et rappels des événements"),
        }
        widgets = {"frequency": forms.RadioSelect}


class FollowForm(forms.Form):
    """The follow button's hidden fields: what to follow, and the way back."""

    kind = forms.ChoiceField(choices=FollowKind.choices)
    action = forms.ChoiceField(choices=[("suivre", "suivre"), ("ne-plus-suivre", "x")])
    object_id = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    q = forms.CharField(required=False, max_length=SEARCH_QUERY_MAX)
    f_kind = forms.CharField(required=False, max_length=80)
    f_theme = forms.CharField(required=False, max_length=80)
    f_region = forms.CharField(required=False, max_length=80)
    f_collectivity_kind = forms.CharField(required=False, max_length=80)
    f_year = forms.CharField(required=False, max_length=80)
    next = forms.CharField(required=False, max_length=2000)

    def search_filters(self) -> dict:
        return {
            name[2:]: value
            for name, value in self.cleaned_data.items()
            if name.startswith("f_") and value
        }
