"""The knowledge base: articles, interviews and shared practices.

`KnowledgePage` is a concrete page model, parent of the three kinds: the listing,
the feed, related content and search work on one table ordered by publication
date, and each kind adds only what is its own.
"""

import math
import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.documents import get_document_model_string
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model_string
from wagtail.models import Orderable, Page
from wagtail.search import index

from knowledge.admin_forms import PracticePageForm
from knowledge.blocks import KnowledgeBodyBlock
from retex.blocks import RICH_TEXT_FEATURES
from retex.images import alternative_text, check_alternative
from retex.page_cache import depends_on
from retex.plain_text import html_to_text
from retex.visibility import sees_members_content

WORDS_PER_MINUTE = 200


class KnowledgeKind(models.TextChoices):
    ARTICLE = "article", _("Article")
    INTERVIEW = "entretien", _("Entretien")
    PRACTICE = "pratique", _("Retour d'expérience")


class KnowledgeIndexPage(Page):
    """`/ressources/`: every article, interview and practice, newest first."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["retex.HomePage"]
    # Each filter and page number is kept apart (retex/page_cache/).
    anonymous_page_cache = True
    signed_in_page_cache = True
    subpage_types = [
        "knowledge.ArticlePage",
        "knowledge.InterviewPage",
        "knowledge.PracticePage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("index des ressources")
        verbose_name_plural = _("index des ressources")

    def cache_dependencies(self):
        """Lists knowledge pages (`retex.page_cache.invalidation`); the
        collectivities their cards name are added as they are shown
        (`knowledge.listing`)."""
        return (f"page:{self.pk}", "kind:knowledge.knowledgepage")

    def get_context(self, request, *args, **kwargs):
        from knowledge.listing import listing_context

        context = super().get_context(request, *args, **kwargs)
        context.update(listing_context(request, index_page=self))
        return context


class KnowledgePage(Page):
    """What every knowledge page has; never created on its own."""

    KIND = None

    kind = models.CharField(
        _("type"), max_length=20, choices=KnowledgeKind.choices, editable=False
    )
    lead = models.TextField(_("chapô"), max_length=600)
    hero_image = models.ForeignKey(
        get_image_model_string(),
        verbose_name=_("image principale"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_image_alt = models.CharField(
        _("texte alternatif de l'image"),
        max_length=300,
        blank=True,
        help_text=_(
            "Obligatoire avec une image, sauf image décorative : décrivez ce "
            "qu'elle montre."
        ),
    )
    hero_image_decorative = models.BooleanField(
        _("image décorative"),
        default=False,
        help_text=_(
            "Cochez si l'image n'apporte aucune information (texte alternatif vide)."
        ),
    )
    hero_image_caption = models.CharField(
        _("légende de l'image"), max_length=300, blank=True
    )
    hero_image_credit = models.CharField(
        _("crédit de l'image"),
        max_length=200,
        blank=True,
        help_text=_("Auteur ou source de l'image, par exemple © Ville de Lannion."),
    )
    themes = ParentalManyToManyField(
        "retex.Theme", verbose_name=_("thèmes"), blank=True, related_name="+"
    )
    related_collectivities = ParentalManyToManyField(
        "members.CollectivityPage",
        verbose_name=_("collectivités concernées"),
        blank=True,
        related_name="knowledge_pages",
    )
    publication_date = models.DateField(
        _("date de publication"), default=timezone.localdate, db_index=True
    )
    credits = models.CharField(_("crédits"), max_length=300, blank=True)
    body = StreamField(KnowledgeBodyBlock(), verbose_name=_("contenu"), blank=True)
    reading_minutes = models.PositiveSmallIntegerField(
        _("temps de lecture (minutes)"), default=1, editable=False
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("lead"),
        MultiFieldPanel(
            [
                FieldPanel("hero_image"),
                FieldPanel("hero_image_alt"),
                FieldPanel("hero_image_decorative"),
                FieldRowPanel(
                    [FieldPanel("hero_image_caption"), FieldPanel("hero_image_credit")]
                ),
            ],
            heading=_("Illustration"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("publication_date"), FieldPanel("credits")]),
                FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
                FieldPanel("related_collectivities"),
            ],
            heading=_("Classement"),
        ),
        FieldPanel("body"),
        InlinePanel("attached_documents", label=_("Documents joints")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("lead"),
        index.SearchField("body"),
        index.FilterField("kind"),
        index.FilterField("publication_date"),
    ]

    is_creatable = False
    # Contacts of practices are shown to members only: signed-in people are
    # served the copy of those who may see the same (retex/page_cache.py).
    anonymous_page_cache = True
    signed_in_page_cache = True
    parent_page_types = ["knowledge.KnowledgeIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("ressource")
        verbose_name_plural = _("ressources")

    def save(self, *args, **kwargs):
        if self.KIND:
            self.kind = self.KIND
        self.reading_minutes = reading_minutes(self.reading_text())
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        check_alternative(
            self.hero_image_id,
            self.hero_image_alt,
            self.hero_image_decorative,
            alt_field="hero_image_alt",
        )

    @property
    def hero_alt(self) -> str:
        """The illustration's `alt`: "" when it is decorative."""
        return alternative_text(
            self.hero_image_id, self.hero_image_alt, self.hero_image_decorative
        )

    def get_context(self, request, *args, **kwargs):
        from knowledge.selectors import knowledge_related

        context = super().get_context(request, *args, **kwargs)
        context["related"] = knowledge_related(
            self,
            user=request.user,
            stored=not getattr(request, "is_preview", False),
            request=request,
        )
        # The related cards' tags are added as they are rendered (`knowledge.cards`).
        # Whether an event names this page as its synthesis: one look-up down the
        # foreign key's index (most pages are no synthesis); which of those events
        # the person may see is asked only then (`event_synthesis`). Which events
        # chose this page is `selection:events.eventpage`.
        depends_on(request, "selection:events.eventpage")
        context["is_a_synthesis"] = self.pk is not None and self.synthesis_of.exists()
        context["index_url"] = self.get_parent().get_url(request)
        context["can_see_contact"] = sees_members_content(request.user)
        # Through .all(): a preview holds its relations in memory, not in the DB.
        collectivities = list(self.related_collectivities.all())
        context["related_collectivities"] = [c for c in collectivities if c.live]
        # Each collectivity named, live or not (publishing it shows its link).
        depends_on(
            request,
            *(f"page:{pk}" for pk in self.named_collectivity_ids(collectivities)),
        )
        return context

    def named_collectivity_ids(self, related_collectivities) -> set[int]:
        """The collectivities this page names (their title, link, card)."""
        return {c.pk for c in related_collectivities}

    # What decides which pages show this one as related content
    # (`knowledge.related`, which stores each page's choice when pages are
    # written; view restrictions start a new generation).
    cache_selection_fields = ("live", "publication_date", "themes")

    def cache_dependencies(self):
        """The page, its stored choice of related pages (bumped when the choice
        changes, `knowledge.related`; each chosen page's own tag is added as it
        is shown, and the collectivities named, `get_context`)."""
        return (f"page:{self.pk}", f"related:{self.pk}")

    @property
    def theme_names(self) -> str:
        return ", ".join(theme.name for theme in self.themes.all())

    def reading_text(self) -> str:
        """The text a reader goes through, for the reading time and search."""
        parts = [self.title, self.lead, *block_texts(self.body)]
        parts.extend(self.extra_reading_text())
        return "\n".join(part for part in parts if part)

    def extra_reading_text(self) -> list[str]:
        return []


# Struct block fields that hold settings, not words a reader reads.
_NON_TEXT_FIELDS = {"level", "kind", "decorative", "alt_text"}


def _text_of(value) -> list[str]:
    if hasattr(value, "source"):  # RichText
        return [html_to_text(value.source)]
    if isinstance(value, str):
        return [value]
    if hasattr(value, "items"):  # StructValue
        return [
            text
            for name, item in value.items()
            if name not in _NON_TEXT_FIELDS
            for text in _text_of(item)
        ]
    return []


def block_texts(stream) -> list[str]:
    """Plain text of every block of a StreamField value."""
    return [text for block in stream for text in _text_of(block.value)]


def reading_minutes(text: str) -> int:
    words = len(re.findall(r"\w+", text))
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


class KnowledgePageDocument(Orderable):
    """A document attached to a knowledge page (e.g. a feuille de route PDF).

    Its text is extracted in the background so that search finds what is inside.
    """

    page = ParentalKey(
        KnowledgePage, on_delete=models.CASCADE, related_name="attached_documents"
    )
    document = models.ForeignKey(
        get_document_model_string(),
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(
        _("intitulé"),
        max_length=200,
        blank=True,
        help_text=_("Par défaut, le titre du document."),
    )

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("document joint")
        verbose_name_plural = _("documents joints")

    @property
    def label(self) -> str:
        return self.title or self.document.title


class ArticlePage(KnowledgePage):
    """An analysis or best-practice piece written by the association's editors."""

    KIND = KnowledgeKind.ARTICLE

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")


class InterviewPage(KnowledgePage):
    """An interview of a mayor, an élu or a digital director."""

    KIND = KnowledgeKind.INTERVIEW

    interviewer = models.CharField(
        _("propos recueillis par"), max_length=200, blank=True
    )

    content_panels = [
        *KnowledgePage.content_panels[:2],
        InlinePanel("interviewees", label=_("Personnes interviewées"), min_num=1),
        FieldPanel("interviewer"),
        *KnowledgePage.content_panels[2:],
    ]

    class Meta:
        verbose_name = _("entretien")
        verbose_name_plural = _("entretiens")

    def extra_reading_text(self) -> list[str]:
        return [
            f"{person.name} {person.function} {person.collectivity_label}"
            for person in self.interviewees.all()
        ]

    def get_context(self, request, *args, **kwargs):
        # The people are read once for the render, with their collectivity and
        # portrait (the aside, the collectivities named); in memory for a preview.
        people = list(
            self.interviewees.all().select_related("collectivity", "portrait")
        )
        self._rendered_people = people
        try:
            context = super().get_context(request, *args, **kwargs)
        finally:
            del self._rendered_people
        context["interviewees"] = people
        return context

    def named_collectivity_ids(self, related_collectivities) -> set[int]:
        named = super().named_collectivity_ids(related_collectivities)
        people = getattr(self, "_rendered_people", None)
        if people is None:
            people = self.interviewees.all()
        return named | {
            person.collectivity_id for person in people if person.collectivity_id
        }


class Interviewee(Orderable):
    page = ParentalKey(
        InterviewPage, on_delete=models.CASCADE, related_name="interviewees"
    )
    name = models.CharField(_("nom"), max_length=200)
    function = models.CharField(_("fonction"), max_length=200)
    collectivity = models.ForeignKey(
        "members.CollectivityPage",
        verbose_name=_("collectivité membre"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Si la collectivité est membre : son profil sera lié."),
    )
    collectivity_name = models.CharField(
        _("collectivité (non membre)"), max_length=200, blank=True
    )
    # Shown beside the person's name, which says who it is: alt="" (decorative).
    portrait = models.ForeignKey(
        get_image_model_string(),
        verbose_name=_("portrait"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Une photo du visage ; placez le point focal sur le visage pour le "
            "recadrage."
        ),
    )
    portrait_credit = models.CharField(
        _("crédit du portrait"), max_length=200, blank=True
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("function"),
        FieldPanel("collectivity"),
        FieldPanel("collectivity_name"),
        FieldRowPanel([FieldPanel("portrait"), FieldPanel("portrait_credit")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("personne interviewée")
        verbose_name_plural = _("personnes interviewées")

    def __str__(self):
        return self.name

    @property
    def collectivity_label(self) -> str:
        return (
            self.collectivity.title if self.collectivity_id else self.collectivity_name
        )


class PracticeStatus(models.TextChoices):
    PLANNED = "en-projet", _("En projet")
    ONGOING = "en-cours", _("En cours")
    DONE = "termine", _("Terminé")
    ABANDONED = "abandonne", _("Abandonné")


class BudgetRange(models.TextChoices):
    UNDER_10K = "moins-10k", _("Moins de 10 000 €")
    FROM_10K = "10k-50k", _("De 10 000 à 50 000 €")
    FROM_50K = "50k-200k", _("De 50 000 à 200 000 €")
    FROM_200K = "200k-1m", _("De 200 000 € à 1 million d'euros")
    OVER_1M = "plus-1m", _("Plus d'un million d'euros")
    UNKNOWN = "nc", _("Non communiqué")


def _current_year_plus_five() -> int:
    return timezone.localdate().year + 5


class PracticePage(KnowledgePage):
    """A practice shared by a member collectivity ("retour d'expérience").

    Proposed by the collectivity's representatives, published only after an
    editor's review (the "Relecture" workflow). Its contact is shown to members only.
    """

    KIND = KnowledgeKind.PRACTICE

    collectivity = models.ForeignKey(
        "members.CollectivityPage",
        verbose_name=_("collectivité"),
        null=True,
        blank=False,
        on_delete=models.SET_NULL,
        related_name="practices",
    )
    status = models.CharField(
        _("état d'avancement"),
        max_length=20,
        choices=PracticeStatus.choices,
        default=PracticeStatus.ONGOING,
    )
    start_year = models.PositiveSmallIntegerField(
        _("année de lancement"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1980), MaxValueValidator(2100)],
    )
    budget_range = models.CharField(
        _("budget"),
        max_length=20,
        choices=BudgetRange.choices,
        default=BudgetRange.UNKNOWN,
    )
    partners = models.TextField(_("partenaires"), blank=True, max_length=1000)
    context = RichTextField(_("contexte"), blank=True, features=RICH_TEXT_FEATURES)
    objectives = RichTextField(_("objectifs"), blank=True, features=RICH_TEXT_FEATURES)
    actions = RichTextField(_("actions"), blank=True, features=RICH_TEXT_FEATURES)
    results = RichTextField(_("résultats"), blank=True, features=RICH_TEXT_FEATURES)
    lessons = RichTextField(_("enseignements"), blank=True, features=RICH_TEXT_FEATURES)
    contact_name = models.CharField(_("nom du contact"), max_length=200, blank=True)
    contact_function = models.CharField(
        _("fonction du contact"), max_length=200, blank=True
    )
    contact_email = models.EmailField(_("courriel du contact"), blank=True)
    contact_phone = models.CharField(
        _("téléphone du contact"), max_length=30, blank=True
    )

    SECTIONS = ("context", "objectives", "actions", "results", "lessons")
    base_form_class = PracticePageForm

    content_panels = [
        *KnowledgePage.content_panels[:2],
        MultiFieldPanel(
            [
                FieldPanel("collectivity"),
                FieldRowPanel([FieldPanel("status"), FieldPanel("start_year")]),
                FieldPanel("budget_range"),
                FieldPanel("partners"),
            ],
            heading=_("Le projet"),
        ),
        *[FieldPanel(name) for name in SECTIONS],
        MultiFieldPanel(
            [
                FieldPanel("contact_name"),
                FieldPanel("contact_function"),
                FieldRowPanel(
                    [FieldPanel("contact_email"), FieldPanel("contact_phone")]
                ),
            ],
            heading=_("Contact (visible des seuls membres)"),
        ),
        *KnowledgePage.content_panels[2:],
    ]
    search_fields = [
        *KnowledgePage.search_fields,
        *[index.SearchField(name) for name in SECTIONS],
        index.SearchField("partners"),
    ]

    class Meta:
        verbose_name = _("retour d'expérience")
        verbose_name_plural = _("retours d'expérience")

    def clean(self):
        super().clean()
        limit = _current_year_plus_five()
        if self.start_year and self.start_year > limit:
            raise ValidationError(
                {
                    "start_year": _(
                        "L'année de lancement ne peut pas dépasser %(year)s."
                    )
                    % {"year": limit}
                }
            )

    def extra_reading_text(self) -> list[str]:
        return [html_to_text(getattr(self, name)) for name in self.SECTIONS]

    def named_collectivity_ids(self, related_collectivities) -> set[int]:
        named = super().named_collectivity_ids(related_collectivities)
        return named | ({self.collectivity_id} if self.collectivity_id else set())

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_name or self.contact_email or self.contact_phone)


class DocumentText(models.Model):
    """The text inside an uploaded document, extracted in the background so that
    search can find what a feuille de route PDF says."""

    document = models.OneToOneField(
        get_document_model_string(),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="extracted_text",
    )
    text = models.TextField(_("texte extrait"), blank=True)
    file_hash = models.CharField(max_length=40, blank=True)
    extracted_at = models.DateTimeField(_("extrait le"), auto_now=True)

    class Meta:
        verbose_name = _("texte d'un document")
        verbose_name_plural = _("textes des documents")

    def __str__(self):
        return str(self.document)


class PracticeProposal(models.Model):
    """A practice a member proposed from Mon espace (`knowledge/proposals.py`).

    Who proposed which page, for « Mes propositions » and for who may change it
    from the front office; its `token` (one per form shown) makes a double
    submit create one page.
    """

    page = models.OneToOneField(
        PracticePage, on_delete=models.CASCADE, related_name="proposal"
    )
    author = models.ForeignKey(
        "members.User",
        verbose_name=_("auteur"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="practice_proposals",
    )
    token = models.UUIDField(unique=True, editable=False)
    created_at = models.DateTimeField(_("proposée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("proposition de retour d'expérience")
        verbose_name_plural = _("propositions de retours d'expérience")
        ordering = ("-created_at", "-pk")

    def __str__(self):
        return str(self.page)


class RelatedPage(models.Model):
    """One page of a knowledge page's related content, chosen when pages are
    written rather than on every render (`knowledge.related`).

    A page's rows are the ranking of the other live pages (most shared themes,
    then newest, then smallest id) down to the `RELATED_LIMIT`-th page under no
    view restriction: whoever reads the page, its first visible rows are what
    ranking only the pages this person may see would give.
    """

    page = models.ForeignKey(KnowledgePage, on_delete=models.CASCADE, related_name="+")
    related = models.ForeignKey(
        KnowledgePage, on_delete=models.CASCADE, related_name="related_of"
    )
    rank = models.PositiveSmallIntegerField()
    shared = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page", "rank"], name="related_page_rank")
        ]

    def __str__(self):
        return f"{self.page_id} → {self.related_id}"


class RelatedSelection(models.Model):
    """That a page's related content has been chosen (`RelatedPage`), even
    when nothing was: without it, the page chooses on each render."""

    page = models.OneToOneField(
        KnowledgePage,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    chosen_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return str(self.page_id)
