import datetime

from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.utils import set_form_field_order
from django import forms
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import CollectivityKind, CollectivityPage, PersonStatus, User
from members.selectors import POPULATION_BANDS
from members.territories import Region
from retex.forms import ListingFilterForm, ModelMultipleChoiceField, beyond_ids
from retex.models import Theme

# At sign-up and in Mon espace a person is an élu·e or an agent: "Autre" stays
# for accounts the association creates.
PERSON_STATUS_CHOICES = [
    (PersonStatus.ELECTED, _("Élu ou élue")),
    (PersonStatus.AGENT, _("Agent ou agente")),
]
FUNCTION_LABEL = _("Mandat ou fonction")
FUNCTION_HELP = _(
    "Élu·e : votre mandat (par exemple adjointe au numérique). "
    "Agent : votre fonction et votre service (par exemple DSI, service informatique)."
)


def _person_fields(form) -> None:
    """Name, status and function: required, as representatives decide on them."""
    form.fields["first_name"] = forms.CharField(
        label=_("Prénom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    form.fields["last_name"] = forms.CharField(
        label=_("Nom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    form.fields["status"] = forms.ChoiceField(
        label=_("Vous êtes"),
        choices=PERSON_STATUS_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Indiquez si vous êtes élu·e ou agent.")},
    )
    form.fields["function_title"] = forms.CharField(
        label=FUNCTION_LABEL,
        max_length=200,
        help_text=FUNCTION_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
        error_messages={"required": _("Indiquez votre mandat ou votre fonction.")},
    )
    for name in ("first_name", "last_name"):
        form.fields[name].error_messages["required"] = _(
            "Indiquez votre prénom et votre nom."
        )


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "status", "function_title", "phone"]
        labels = {"first_name": _("Prénom"), "last_name": _("Nom")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _person_fields(self)
        if self.instance.status == PersonStatus.OTHER:
            # An account the association created as "Autre" keeps its status.
            self.fields["status"].choices = [
                *PERSON_STATUS_CHOICES,
                (PersonStatus.OTHER, PersonStatus.OTHER.label),
            ]

    def clean_first_name(self):
        return self.cleaned_data["first_name"].strip()

    def clean_last_name(self):
        return self.cleaned_data["last_name"].strip()

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not all(ch.isdigit() or ch in " +.()-" for ch in phone):
            raise forms.ValidationError(_("Indiquez un numéro de téléphone valide."))
        return phone


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form (`ACCOUNT_FORMS`), with the same answer and the same
    work whether the address already has an account or not.

    With enumeration prevention allauth answers a registered address with the
    same page as a new one ("check your mailbox"), and one email each; but it
    skipped hashing the password for a registered address, the slow part of
    creating an account: its answer came back ten times faster. The password is
    hashed either way.

    Two sign-ups with one new address at the same moment both find it free, and
    the second insert breaks the unique constraint: the account is created in a
    savepoint, and that conflict is answered as for a registered address.

    An address whose account was created minutes ago and is not verified yet
    gets no "account already exists" email: its verification email is on its
    way, and both share allauth's limit of one email per address every few
    minutes, so a double submit (or a race) sending the first would withhold
    the link the person needs.

    It also asks who the person is (first and last name, élu·e or agent, mandate
    or function and service): representatives decide on requests to join with
    them. An address already registered gets the same answer, and nothing of
    what was typed is stored.
    """

    field_order = [
        "first_name",
        "last_name",
        "status",
        "function_title",
        "email",
        "password1",
        "password2",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _person_fields(self)
        set_form_field_order(self, self.field_order)

    def signup(self, request, user):
        """allauth's hook once the account is built (names are set by allauth)."""
        user.first_name = self.cleaned_data["first_name"].strip()
        user.last_name = self.cleaned_data["last_name"].strip()
        user.status = self.cleaned_data["status"]
        user.function_title = self.cleaned_data["function_title"].strip()
        user.save(update_fields=["first_name", "last_name", "status", "function_title"])

    def try_save(self, request):
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1"))
            return self._already_registered(request)
        try:
            with transaction.atomic():
                return super().try_save(request)
        except IntegrityError:
            email = self.cleaned_data.get("email") or ""
            if not User.objects.filter(email__iexact=email).exists():
                raise
        self.account_already_exists = True
        return self._already_registered(request)

    def _already_registered(self, request):
        email = self.cleaned_data.get("email") or ""
        if signed_up_moments_ago(email):
            # allauth's own answer to a sign-up, without a second email.
            return None, redirect("account_email_verification_sent")
        return super().try_save(request)


# How long after a sign-up its unverified address gets no other email from a
# new sign-up (longer than allauth's one-email-per-address limit).
RECENT_SIGN_UP = datetime.timedelta(minutes=10)


def signed_up_moments_ago(email: str) -> bool:
    """Whether an account with this address was created within RECENT_SIGN_UP and
    has no verified address yet."""
    return (
        User.objects.filter(
            email__iexact=email, date_joined__gte=timezone.now() - RECENT_SIGN_UP
        )
        .exclude(emailaddress__verified=True)
        .exists()
    )


class CollectivityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.get_kind_display()})"

    def to_python(self, value):
        # An id beyond 64 bits makes the database driver raise OverflowError
        # (a server error) instead of "no such row": refuse it as invalid.
        if beyond_ids(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class AffiliationRequestForm(forms.Form):
    collectivity = CollectivityChoiceField(
        label=_("Votre collectivité"),
        queryset=CollectivityPage.objects.live().order_by("title"),
        empty_label=_("Choisissez une collectivité"),
        # Chosen from the search results (`affiliation_request_view`).
        widget=forms.HiddenInput,
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


class DirectoryFilterForm(ListingFilterForm):
    """Filters of `/membres/`; invalid values are reported and ignored."""

    kind = forms.ChoiceField(label=_("Type"), required=False)
    region = forms.ChoiceField(label=_("Région"), required=False)
    population = forms.ChoiceField(label=_("Population"), required=False)
    theme = forms.ModelChoiceField(
        label=_("Thème"),
        required=False,
        queryset=Theme.objects.all(),
        to_field_name="slug",
        error_messages={"invalid_choice": _("Ce thème n'existe pas.")},
    )
    roadmap = forms.ChoiceField(label=_("Feuille de route numérique"), required=False)

    def __init__(self, *args, counts=None, **kwargs):
        super().__init__(*args, **kwargs)
        counts = counts or {}

        def with_counts(name, choices, everything):
            numbers = counts.get(name, {})
            return [("", everything)] + [
                (value, f"{label} ({numbers.get(value, 0)})")
                for value, label in choices
            ]

        self.fields["kind"].choices = with_counts(
            "kind", CollectivityKind.choices, _("Tous")
        )
        self.fields["region"].choices = with_counts(
            "region", Region.choices, _("Toutes")
        )
        self.fields["population"].choices = with_counts(
            "population",
            [(slug, label) for slug, label, *_rest in POPULATION_BANDS],
            _("Toutes"),
        )
        self.fields["roadmap"].choices = with_counts(
            "roadmap", [("oui", _("Adoptée")), ("non", _("Pas encore"))], _("Toutes")
        )
        theme_counts = counts.get("theme", {})
        self.fields["theme"].empty_label = _("Tous")
        self.fields["theme"].label_from_instance = lambda theme: (
            f"{theme.name} ({theme_counts.get(theme.slug, 0)})"
        )


class CollectivityProfileForm(forms.Form):
    """What a representative may change on their collectivity's profile (see
    `members.front_office`); uploads are checked when stored."""

    presentation = forms.CharField(
        label=_("Présentation"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Laissez une ligne vide entre deux paragraphes."),
    )
    website = forms.URLField(
        label=_("Site internet"),
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Indiquez une adresse web valide.")},
    )
    themes = ModelMultipleChoiceField(
        label=_("Thèmes"),
        required=False,
        queryset=Theme.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
    )
    roadmap_adopted = forms.BooleanField(
        label=_("Feuille de route numérique adoptée"), required=False
    )
    roadmap_date = forms.DateField(
        label=_("Date d'adoption"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "Au format jj/mm/aaaa si votre navigateur ne propose pas de calendrier."
        ),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={
            "invalid": _("Indiquez une date valide, par exemple 15/03/2025.")
        },
    )
    roadmap_document = forms.FileField(
        label=_("Document de la feuille de route (remplace l'actuel)"),
        required=False,
        help_text=_("PDF, document bureautique ou texte."),
    )
    remove_roadmap_document = forms.BooleanField(
        label=_("Retirer le document actuel"), required=False
    )
    logo = forms.FileField(
        label=_("Logo (remplace l'actuel)"),
        required=False,
        help_text=_("Image PNG, JPEG ou WebP."),
    )
    remove_logo = forms.BooleanField(label=_("Retirer le logo actuel"), required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("roadmap_date") and not cleaned.get("roadmap_adopted"):
            self.add_error(
                "roadmap_adopted",
                _("Cochez « feuille de route adoptée » si elle a une date d'adoption."),
            )
        return cleaned


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Nom"), max_length=200, required=False)
    function = forms.CharField(label=_("Fonction"), max_length=200, required=False)
    email = forms.EmailField(
        label=_("Courriel"),
        required=False,
        error_messages={"invalid": _("Indiquez une adresse électronique valide.")},
    )
    phone = forms.CharField(label=_("Téléphone"), max_length=30, required=False)

    def clean(self):
        cleaned = super().clean()
        filled = any(
            cleaned.get(name) for name in ("name", "function", "email", "phone")
        )
        if filled and not cleaned.get("name"):
            self.add_error("name", _("Indiquez le nom de ce contact."))
        if filled and not cleaned.get("function"):
            self.add_error("function", _("Indiquez la fonction de ce contact."))
        return cleaned


ContactFormSet = forms.formset_factory(
    ContactForm, extra=2, max_num=20, validate_max=True, can_delete=True
)
