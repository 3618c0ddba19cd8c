"""People and member collectivities.

The user model is ours from the very first migration: its login is the email
address (élus and agents have no username), and swapping a user model later is
one of the few changes Django makes truly expensive.
"""

import re

from django import forms
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from stdnum import exceptions as stdnum_exceptions
from stdnum.fr import siren
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.documents import get_document_model_string
from wagtail.fields import RichTextField
from wagtail.images import get_image_model_string
from wagtail.models import Orderable, Page
from wagtail.search import index

from members.territories import (
    Region,
    clean_email_domains,
    department_label,
    department_region,
)
from retex.blocks import RICH_TEXT_FEATURES
from retex.page_cache import depends_on
from retex.visibility import sees_members_content


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser must have is_staff and is_superuser.")
        return self._create_user(email, password, **extra_fields)


class PersonStatus(models.TextChoices):
    ELECTED = "elu", _("Élu ou élue")
    AGENT = "agent", _("Agent")
    OTHER = "autre", _("Autre")


class User(AbstractUser):
    username = None
    email = models.EmailField(_("adresse électronique"), unique=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=PersonStatus.choices, blank=True
    )
    function_title = models.CharField(
        _("fonction"),
        max_length=200,
        blank=True,
        help_text=_("Par exemple : adjointe au numérique, DSI, chargé de mission."),
    )
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        ordering = ["last_name", "first_name", "email"]

    def __str__(self):
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        # One account per mailbox, whatever the case people type it in.
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class MemberIndexPage(Page):
    """`/membres/`: the directory of member collectivities."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["retex.HomePage"]
    subpage_types = ["members.CollectivityPage"]
    # Each filter and page number is kept apart (retex/page_cache/).
    anonymous_page_cache = True
    signed_in_page_cache = True
    max_count = 1

    def cache_dependencies(self):
        """Lists collectivities (`retex.page_cache.invalidation`)."""
        return (f"page:{self.pk}", "kind:members.collectivitypage")

    class Meta:
        verbose_name = _("annuaire des membres")
        verbose_name_plural = _("annuaires des membres")

    def get_context(self, request, *args, **kwargs):
        from members.directory import directory_context

        context = super().get_context(request, *args, **kwargs)
        context.update(directory_context(request))
        return context


class CollectivityKind(models.TextChoices):
    COMMUNE = "commune", _("Commune")
    CC = "cc", _("Communauté de communes")
    CA = "ca", _("Communauté d'agglomération")
    CU = "cu", _("Communauté urbaine")
    METROPOLE = "metropole", _("Métropole")
    DEPARTEMENT = "departement", _("Département")
    REGION = "region", _("Région")
    OTHER = "autre", _("Autre organisme public")


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", _("Adhérente")
    PENDING = "pending", _("Adhésion en cours")
    LAPSED = "lapsed", _("Adhésion échue")


class CollectivityPage(Page):
    """A member collectivity's public profile.

    Its official identity (codes, population, department, region, member
    communes) comes from the administrative referential when the profile is
    created from a territory; the rest is the collectivity's own presentation.
    """

    kind = models.CharField(
        _("type de collectivité"), max_length=20, choices=CollectivityKind.choices
    )
    siren = models.CharField(
        _("SIREN"), max_length=9, blank=True, help_text=_("9 chiffres.")
    )
    insee_code = models.CharField(
        _("code INSEE"),
        max_length=5,
        blank=True,
        help_text=_("Pour une commune ou un département."),
    )
    region = models.CharField(_("région"), max_length=2, choices=Region.choices)
    department = models.CharField(
        _("département"),
        max_length=3,
        blank=True,
        help_text=_("Code INSEE du département, par exemple 22 ou 2A."),
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    commune_count = models.PositiveIntegerField(
        _("nombre de communes"),
        null=True,
        blank=True,
        help_text=_("Pour une intercommunalité."),
    )
    member_communes = models.TextField(
        _("communes membres"),
        blank=True,
        help_text=_("Une commune par ligne (rempli depuis le référentiel)."),
    )
    website = models.URLField(_("site internet"), blank=True)
    logo = models.ForeignKey(
        get_image_model_string(),
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    presentation = RichTextField(
        _("présentation"), blank=True, features=RICH_TEXT_FEATURES
    )
    roadmap_adopted = models.BooleanField(
        _("feuille de route numérique adoptée"), default=False
    )
    roadmap_date = models.DateField(_("date d'adoption"), null=True, blank=True)
    roadmap_document = models.ForeignKey(
        get_document_model_string(),
        verbose_name=_("document de la feuille de route"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    themes = ParentalManyToManyField(
        "retex.Theme", verbose_name=_("thèmes"), blank=True, related_name="+"
    )
    email_domains = models.TextField(
        _("domaines de messagerie"),
        blank=True,
        help_text=_(
            "Un domaine par ligne, par exemple ville-exemple.fr : une personne dont "
            "l'adresse vérifiée utilise l'un d'eux est rattachée sans validation."
        ),
    )
    membership_status = models.CharField(
        _("adhésion"),
        max_length=10,
        choices=MembershipStatus.choices,
        default=MembershipStatus.PENDING,
    )
    member_since = models.DateField(_("membre depuis"), null=True, blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldRowPanel([FieldPanel("siren"), FieldPanel("insee_code")]),
                FieldRowPanel([FieldPanel("region"), FieldPanel("department")]),
                FieldRowPanel([FieldPanel("population"), FieldPanel("commune_count")]),
                FieldPanel("member_communes"),
            ],
            heading=_("Identité officielle"),
        ),
        FieldPanel("website"),
        FieldPanel("logo"),
        FieldPanel("presentation"),
        MultiFieldPanel(
            [
                FieldPanel("roadmap_adopted"),
                FieldPanel("roadmap_date"),
                FieldPanel("roadmap_document"),
            ],
            heading=_("Feuille de route numérique"),
        ),
        FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
        InlinePanel("contacts", label=_("Contacts (visibles des seuls membres)")),
        MultiFieldPanel(
            [
                # The permission on each field (not only on the group) drops
                # the fields from a representative's form: a hidden required
                # field would make every save of theirs fail.
                FieldPanel("membership_status", permission="members.manage_membership"),
                FieldPanel("member_since", permission="members.manage_membership"),
                FieldPanel("email_domains", permission="members.manage_membership"),
            ],
            heading=_("Adhésion"),
            permission="members.manage_membership",
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("presentation"),
        index.FilterField("kind"),
        index.FilterField("region"),
    ]
    parent_page_types = ["members.MemberIndexPage"]
    subpage_types = []
    # Contacts are shown to members only: signed-in people are served the copy
    # of those who may see the same (retex/page_cache/), never anonymous ones.
    anonymous_page_cache = True
    signed_in_page_cache = True
    # What the comparable collectivities are chosen on (`members.comparables`):
    # a save changing none of them leaves the stored choices alone.
    cache_selection_fields = (
        "live",
        "kind",
        "population",
        "title",
        "membership_status",
        "themes",
    )

    class Meta:
        verbose_name = _("collectivité")
        verbose_name_plural = _("collectivités")
        permissions = [
            ("manage_membership", _("Peut gérer l'adhésion des collectivités")),
        ]

    def cache_dependencies(self):
        """The collectivity and the others (comparable ones), the knowledge
        pages naming it (`cites:<id>`, bumped by knowledge when a page naming
        it, before or after the write, is published, unpublished, deleted or
        changes what it names: its practices, the articles and interviews
        citing it; the comparable collectivities' practices, `practices:<id>`,
        added as they are shown, `get_context`), and what other apps declare for their sections
        (`collectivity_cache_dependencies`: the events it hosts;
        `retex.page_cache.invalidation`). Other counts they show
        (registrations, mutual-aid questions) are not dependencies: they are
        refreshed when the stored page expires."""
        from retex.declarations import declared

        return (
            f"page:{self.pk}",
            "kind:members.collectivitypage",
            f"cites:{self.pk}",
            # Its stored choice of comparables (`members.comparables`).
            f"comparables:{self.pk}",
            # What other apps' sections depend on (the events it hosts…).
            *(
                tag
                for tags in declared("collectivity_cache_dependencies").values()
                for tag in tags(self)
            ),
        )

    def clean_fields(self, exclude=None):
        # "212 201 131" is how people write a SIREN: store it compact.
        if self.siren:
            self.siren = siren.compact(self.siren)
        super().clean_fields(exclude=exclude)

    def clean(self):
        super().clean()
        errors = {}
        if self.siren:
            try:
                self.siren = siren.validate(self.siren)
            except stdnum_exceptions.ValidationError:
                errors["siren"] = _(
                    "Ce numéro SIREN n'est pas valide : 9 chiffres, dont le dernier "
                    "est une clé de contrôle."
                )
        if self.insee_code and not re.fullmatch(r"\d[\dAB]\d{0,3}", self.insee_code):
            errors["insee_code"] = _("Ce code INSEE n'est pas valide.")
        if self.department:
            expected_region = department_region(self.department)
            if expected_region is None:
                errors["department"] = _("Ce département n'existe pas.")
            elif self.region and expected_region != self.region:
                errors["department"] = _(
                    "Ce département n'appartient pas à la région choisie."
                )
        if self.roadmap_date and not self.roadmap_adopted:
            errors["roadmap_adopted"] = _(
                "Cochez « feuille de route adoptée » si elle a une date d'adoption."
            )
        try:
            self.email_domains = "\n".join(clean_email_domains(self.email_domains))
        except ValidationError as error:
            errors["email_domains"] = error.messages
        if errors:
            raise ValidationError(errors)

    @classmethod
    def practice_model(cls):
        """The practice page model, found through the relation the knowledge app
        declares to collectivities: members never imports knowledge, which
        depends on it."""
        return cls._meta.get_field("practices").related_model

    def get_context(self, request, *args, **kwargs):
        from members.referential import intercommunality_of
        from members.selectors import comparable_collectivities, visible_among

        context = super().get_context(request, *args, **kwargs)
        context["can_see_contacts"] = sees_members_content(request.user)
        context["practices"] = visible_among(
            self.practice_model()
            .objects.filter(collectivity=self, live=True)
            .order_by("-publication_date", "pk"),
            user=request.user,
        )
        context["cited_in"] = self.cited_in(user=request.user)
        context["sections"] = self.story_sections(user=request.user)
        context["comparables"] = comparable_collectivities(
            self, user=request.user, preview=getattr(request, "is_preview", False)
        )
        # Their practices are shown too (bumped by knowledge).
        depends_on(
            request, *(f"practices:{other.pk}" for other in context["comparables"])
        )
        context["intercommunality"] = intercommunality_of(self, user=request.user)
        return context

    def cited_in(self, *, user) -> list[dict]:
        """Articles, interviews and other knowledge pages (not its own practices,
        listed apart) that name this collectivity, grouped by kind, as `user`
        may see them: [{"label", "pages"}]. One query, whatever their number
        and kinds."""
        from members.selectors import visible_among

        practice_model = self.practice_model()
        pages = visible_among(
            Page.objects.filter(pk__in=self.knowledge_pages.values("pk"), live=True)
            .not_type(practice_model)
            # Their title and URL are the base page's: no query per page type
            # for the specific rows (the kind comes from the content type,
            # cached).
            .order_by("-first_published_at", "pk"),
            user=user,
        )
        groups: dict[str, list] = {}
        for page in pages:
            groups.setdefault(page.specific_class._meta.verbose_name_plural, []).append(
                page
            )
        return [
            {"label": str(label).capitalize(), "pages": found}
            for label, found in groups.items()
        ]

    def story_sections(self, *, user) -> list[dict]:
        """What other apps tell about this collectivity (events it took part in,
        its questions in the mutual-aid space…), declared as
        `collectivity_sections` (`retex.declarations`): each returns None or
        {"template", "context"} and shows only what `user` may see."""
        from retex.declarations import declared

        sections = (
            provider(self, user=user)
            for provider in declared("collectivity_sections").values()
        )
        return [section for section in sections if section]

    @property
    def department_label(self) -> str:
        """« Côtes-d'Armor (22) »."""
        return department_label(self.department)

    @property
    def email_domain_list(self) -> list[str]:
        return [line for line in self.email_domains.splitlines() if line]

    @property
    def is_active_member(self) -> bool:
        return self.live and self.membership_status == MembershipStatus.ACTIVE


class CollectivityContact(Orderable):
    """A person to contact at a member collectivity: shown to members only."""

    page = ParentalKey(
        CollectivityPage, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("nom"), max_length=200)
    function = models.CharField(_("fonction"), max_length=200)
    email = models.EmailField(_("courriel"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("function"),
        FieldPanel("email"),
        FieldPanel("phone"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self):
        return f"{self.name} ({self.function})"


class StoredComparables(models.Model):
    """A collectivity's comparable collectivities, chosen when collectivities
    are written rather than on every render (`members.comparables`): the ids
    of the live active members most like it, best first, down to the fourth
    under no view restriction. Without a row, the profile chooses on each
    render."""

    collectivity = models.OneToOneField(
        CollectivityPage,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    ranking = models.JSONField(default=list)

    def __str__(self):
        return f"{self.collectivity_id} → {self.ranking}"


class AffiliationStatus(models.TextChoices):
    PENDING = "en-attente", _("En attente de validation")
    APPROVED = "acceptee", _("Acceptée")
    REFUSED = "refusee", _("Refusée")
    ENDED = "terminee", _("Terminée")


class AffiliationRole(models.TextChoices):
    MEMBER = "membre", _("Membre")
    REPRESENTATIVE = "representant", _("Représentant ou représentante")


OPEN_AFFILIATION_STATUSES = (AffiliationStatus.PENDING, AffiliationStatus.APPROVED)


class Affiliation(models.Model):
    """A person's attachment ("rattachement") to a collectivity.

    A person is a *member* of the network while an approved affiliation ties
    them to an active member collectivity. One open (pending or approved)
    affiliation per person at a time.
    """

    user = models.ForeignKey(
        User,
        verbose_name=_("personne"),
        on_delete=models.CASCADE,
        related_name="affiliations",
    )
    collectivity = models.ForeignKey(
        CollectivityPage,
        verbose_name=_("collectivité"),
        on_delete=models.CASCADE,
        related_name="affiliations",
    )
    status = models.CharField(
        _("état"),
        max_length=12,
        choices=AffiliationStatus.choices,
        default=AffiliationStatus.PENDING,
    )
    role = models.CharField(
        _("rôle"),
        max_length=14,
        choices=AffiliationRole.choices,
        default=AffiliationRole.MEMBER,
    )
    message = models.TextField(_("message"), blank=True, max_length=1000)
    requested_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("décidé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    refusal_reason = models.TextField(_("motif du refus"), blank=True, max_length=1000)

    class Meta:
        verbose_name = _("rattachement")
        verbose_name_plural = _("rattachements")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status__in=OPEN_AFFILIATION_STATUSES),
                name="one_open_affiliation_per_user",
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.collectivity}"
