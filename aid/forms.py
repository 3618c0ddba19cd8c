import uuid

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from aid.models import REASON_MAX, TEXT_MAX, TITLE_MAX, QuestionStatus
from members.models import CollectivityKind
from members.territories import Region
from retex.forms import ListingFilterForm, ModelMultipleChoiceField
from retex.models import Theme

TOKEN_ERROR = _(
    "Ce formulaire n'est plus valable\u00a0: rechargez la page, puis envoyez-le à nouveau."
)
TOO_LONG = _(
    "Ce texte est trop long\u00a0: %(limit_value)d caractères au plus "
    "(il en compte %(show_value)d)."
)
TEXT_HELP = _(
    "Du texte simple\u00a0: une ligne vide entre deux paragraphes, **gras**, "
    "*italique*, des listes (lignes commençant par «\u00a0-\u00a0») et des liens "
    "[texte](https://exemple.fr)."
)


class TokenForm(forms.Form):
    """A form whose hidden token makes a double submit post once (`questions.py`)."""

    token = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={"required": TOKEN_ERROR, "invalid": TOKEN_ERROR},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("token", uuid.uuid4())
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if "token" in self.errors:
            # Shown above the form: the hidden field has no place of its own.
            self.add_error(None, self.errors.pop("token"))
        return cleaned


class QuestionForm(TokenForm):
    title = forms.CharField(
        label=_("Votre question"),
        max_length=TITLE_MAX,
        min_length=10,
        help_text=_(
            "Une phrase qui dit ce que vous cherchez, par exemple\u00a0: «\u00a0Comment "
            "avez-vous organisé l'accueil des usagers éloignés du numérique\u00a0?\u00a0»"
        ),
        error_messages={
            "required": _("Écrivez votre question."),
            "min_length": _("Votre question est trop courte (10 caractères au moins)."),
            "max_length": TOO_LONG,
        },
    )
    details = forms.CharField(
        label=_("Précisions"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=TEXT_HELP,
        error_messages={
            "required": _(
                "Donnez quelques précisions\u00a0: votre contexte, ce que vous avez "
                "déjà essayé."
            ),
            "max_length": TOO_LONG,
        },
    )
    themes = ModelMultipleChoiceField(
        label=_("Thèmes"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Ce thème n'existe pas.")},
    )

    consent = forms.BooleanField(
        label=_("J'accepte que ma question soit reprise"),
        required=False,
        help_text=_(
            "Dans une ressource de Retex ou un fil rendu public par l'équipe du "
            "réseau. Vous pourrez changer d'avis."
        ),
    )

    field_order = ["title", "details", "themes", "consent", "token"]


class AnswerForm(TokenForm):
    body = forms.CharField(
        label=_("Votre réponse"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=TEXT_HELP,
        error_messages={
            "required": _("Écrivez votre réponse."),
            "max_length": TOO_LONG,
        },
    )
    consent = forms.BooleanField(
        label=_("J'accepte que ma réponse soit reprise"),
        required=False,
        help_text=_(
            "Dans une ressource de Retex ou un fil rendu public par l'équipe du "
            "réseau. Vous pourrez changer d'avis."
        ),
    )


class ConsentForm(forms.Form):
    consent = forms.BooleanField(required=False)


class SolicitForm(forms.Form):
    collectivity = forms.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        error_messages={
            "required": _("Choisissez une collectivité."),
            "invalid": _("Choisissez une collectivité."),
            "min_value": _("Choisissez une collectivité."),
            "max_value": _("Choisissez une collectivité."),
        },
    )


class AnswerEditForm(forms.Form):
    body = AnswerForm.base_fields["body"]


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du signalement"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Ce qui pose problème\u00a0: propos déplacés, données personnelles…"
        ),
        error_messages={
            "required": _("Dites ce qui pose problème."),
            "max_length": TOO_LONG,
        },
    )

    def __init__(self, *args, prefix_id: str = "signalement", **kwargs):
        super().__init__(*args, **kwargs)
        # Several report forms on one page: each its own ids.
        self.auto_id = f"{prefix_id}-%s"


class FilterSelect(forms.Select):
    """Django's select, its HTML written here rather than by a template per
    option: the listing's four filters hold about fifty options, and rendering
    them through the form renderer cost more than the listing's twenty
    questions. Same markup (name, attributes, `selected`)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (
                    option["value"],
                    mark_safe(" selected") if option["selected"] else "",
                    option["label"],
                )
                for _group, group_options, _index in widget["optgroups"]
                for option in group_options
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(widget["attrs"]), options
        )


class QuestionFilterForm(ListingFilterForm):
    """The filters of `/entraide/`, all optional; an invalid value is reported
    in French next to its field and ignored."""

    theme = forms.ModelChoiceField(
        label=_("Thème"),
        required=False,
        queryset=Theme.objects.all(),
        to_field_name="slug",
        empty_label=_("Tous"),
        widget=FilterSelect,
        error_messages={"invalid_choice": _("Ce thème n'existe pas.")},
    )
    status = forms.ChoiceField(
        label=_("État"),
        required=False,
        choices=[("", _("Tous")), *QuestionStatus.choices],
        widget=FilterSelect,
    )
    collectivity_kind = forms.ChoiceField(
        label=_("Type de collectivité"),
        required=False,
        choices=[("", _("Toutes")), *CollectivityKind.choices],
        widget=FilterSelect,
    )
    region = forms.ChoiceField(
        label=_("Région"),
        required=False,
        choices=[("", _("Toutes")), *Region.choices],
        widget=FilterSelect,
    )
