"""The front-office form of a practice proposal (`knowledge/proposals.py`).

Plain Django forms, no JavaScript: the sections are textareas taking the
members' little Markdown (`retex.member_rich_text`); files are checked when
stored, by Wagtail's own forms."""

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from knowledge.models import BudgetRange, PracticeStatus
from knowledge.proposals import MAX_DOCUMENTS
from retex.forms import ModelMultipleChoiceField
from retex.member_rich_text import without_control_characters
from retex.models import Theme

TEXT_HELP = _(
    "Du texte simple : une ligne vide entre deux paragraphes, des listes (lignes "
    "commençant par « - ») et des liens [texte](https://exemple.fr)."
)
TOKEN_ERROR = _(
    "Le formulaire a expiré : rechargez la page, puis envoyez-le à nouveau."
)
SECTION_MAX = 10_000


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one `<input type="file" multiple>`."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        clean_one = super().clean
        if isinstance(data, list | tuple):
            return [clean_one(item, initial) for item in data if item]
        return [clean_one(data, initial)] if data else []


def _section(label, help_text=""):
    return forms.CharField(
        label=label,
        required=False,
        max_length=SECTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=help_text,
    )


class PracticeProposalForm(forms.Form):
    token = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={"required": TOKEN_ERROR, "invalid": TOKEN_ERROR},
    )
    title = forms.CharField(
        label=_("Titre"),
        max_length=200,
        help_text=_("Ce que vous avez fait, en une phrase."),
    )
    lead = forms.CharField(
        label=_("Résumé"),
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Deux ou trois phrases : ce que le lecteur va apprendre."),
    )
    collectivity = forms.ModelChoiceField(
        label=_("Collectivité"),
        queryset=None,
        empty_label=None,
        error_messages={
            "invalid_choice": _(
                "Choisissez l'une des collectivités auxquelles vous êtes rattaché·e."
            )
        },
    )
    status = forms.ChoiceField(
        label=_("État d'avancement"),
        choices=PracticeStatus.choices,
        initial=PracticeStatus.ONGOING,
    )
    start_year = forms.IntegerField(
        label=_("Année de lancement"),
        required=False,
        min_value=1980,
        help_text=_("Par exemple 2023."),
    )
    budget_range = forms.ChoiceField(
        label=_("Budget"), choices=BudgetRange.choices, initial=BudgetRange.UNKNOWN
    )
    partners = forms.CharField(
        label=_("Partenaires"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    context = _section(_("Contexte"), TEXT_HELP)
    objectives = _section(_("Objectifs"), TEXT_HELP)
    actions = _section(_("Actions"), TEXT_HELP)
    results = _section(_("Résultats"), TEXT_HELP)
    lessons = _section(_("Enseignements"), TEXT_HELP)
    themes = ModelMultipleChoiceField(
        label=_("Thèmes"),
        required=False,
        queryset=Theme.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
    )
    contact_name = forms.CharField(
        label=_("Nom du contact"), max_length=200, required=False
    )
    contact_function = forms.CharField(
        label=_("Fonction du contact"), max_length=200, required=False
    )
    contact_email = forms.EmailField(
        label=_("Courriel du contact"),
        required=False,
        error_messages={"invalid": _("Indiquez une adresse électronique valide.")},
    )
    contact_phone = forms.CharField(
        label=_("Téléphone du contact"), max_length=30, required=False
    )
    hero_image = forms.FileField(
        label=_("Image d'illustration"),
        required=False,
        help_text=_("Image JPEG, PNG ou WebP."),
    )
    remove_hero_image = forms.BooleanField(
        label=_("Retirer l'image actuelle"), required=False
    )
    hero_image_alt = forms.CharField(
        label=_("Texte alternatif de l'image"),
        max_length=300,
        required=False,
        help_text=_("Décrivez ce que l'image montre, pour qui ne la voit pas."),
    )
    hero_image_decorative = forms.BooleanField(
        label=_("Image décorative (elle n'apporte aucune information)"),
        required=False,
    )
    hero_image_caption = forms.CharField(
        label=_("Légende de l'image"), max_length=300, required=False
    )
    hero_image_credit = forms.CharField(
        label=_("Crédit de l'image"),
        max_length=200,
        required=False,
        help_text=_("Auteur ou source, par exemple © Ville de Lannion."),
    )
    documents = MultipleFileField(
        label=_("Documents à joindre"),
        required=False,
        help_text=_(
            "PDF, document bureautique ou texte ; plusieurs à la fois si besoin "
            "(%(count)s au plus)."
        )
        % {"count": MAX_DOCUMENTS},
    )
    kept_documents = forms.TypedMultipleChoiceField(
        label=_("Documents joints (décochez pour retirer)"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args,
        collectivities,
        attached=(),
        has_image=False,
        creating=True,
        **kwargs,
    ):
        if creating:
            kwargs.setdefault("initial", {}).setdefault("token", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.fields["collectivity"].queryset = collectivities
        self.has_image = has_image
        if not creating:
            del self.fields["token"]
        if not has_image:
            del self.fields["remove_hero_image"]
        if attached:
            self.fields["kept_documents"].choices = [
                (item.document_id, item.label) for item in attached
            ]
        else:
            del self.fields["kept_documents"]

    def clean_start_year(self):
        year = self.cleaned_data.get("start_year")
        limit = timezone.localdate().year + 5
        if year and year > limit:
            raise forms.ValidationError(
                _("L'année de lancement ne peut pas dépasser %(year)s.")
                % {"year": limit}
            )
        return year

    def clean(self):
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str):
                cleaned[name] = without_control_characters(value)
        if "token" in self.errors:
            # Shown above the form: the hidden field has no place of its own.
            self.add_error(None, self.errors.pop("token"))
        sections = ("context", "objectives", "actions", "results", "lessons")
        if not any((cleaned.get(name) or "").strip() for name in sections):
            self.add_error(
                "actions",
                _("Décrivez au moins ce que vous avez fait (actions) ou le contexte."),
            )
        image = cleaned.get("hero_image") or (
            self.has_image and not cleaned.get("remove_hero_image")
        )
        if (
            image
            and not cleaned.get("hero_image_decorative")
            and not (cleaned.get("hero_image_alt") or "").strip()
        ):
            self.add_error(
                "hero_image_alt",
                _(
                    "Décrivez l'image, ou cochez « image décorative » si elle "
                    "n'apporte aucune information."
                ),
            )
        return cleaned
