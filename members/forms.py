from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import CollectivityPage, User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "status", "function_title", "phone"]
        labels = {"first_name": _("Prénom"), "last_name": _("Nom")}

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not all(ch.isdigit() or ch in " +.()-" for ch in phone):
            raise forms.ValidationError(_("Indiquez un numéro de téléphone valide."))
        return phone


class CollectivityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.get_kind_display()})"


class AffiliationRequestForm(forms.Form):
    collectivity = CollectivityChoiceField(
        label=_("Votre collectivité"),
        queryset=CollectivityPage.objects.live().order_by("title"),
        empty_label=_("Choisissez une collectivité"),
        error_messages={
            "invalid_choice": _("Choisissez une collectivité de la liste.")
        },
    )
    message = forms.CharField(
        label=_("Message aux représentants (facultatif)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Par exemple votre service et votre fonction."),
    )


class RefusalForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du refus (envoyé à la personne)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AccountDeletionForm(forms.Form):
    confirmation = forms.CharField(
        label=_("Pour confirmer, saisissez SUPPRIMER"),
        max_length=20,
    )

    def clean_confirmation(self):
        value = self.cleaned_data["confirmation"].strip()
        if value.upper() != "SUPPRIMER":
            raise forms.ValidationError(
                _("Saisissez SUPPRIMER pour confirmer la suppression de votre compte.")
            )
        return value
