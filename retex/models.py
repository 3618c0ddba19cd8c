"""Site-wide pages and settings: the home page, standard content pages, footer."""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from retex.blocks import RICH_TEXT_FEATURES, BodyBlock, LinkBlock

_PAGE_LINK = re.compile(r"<a\b[^>]*\blinktype=\"page\"[^>]*>")
_LINK_ID = re.compile(r"\bid=\"(\d+)\"")


def linked_page_ids(stream) -> set[int]:
    """The pages a StreamField value links to (link blocks, rich text)."""
    found: set[int] = set()

    def walk(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "page" and isinstance(item, int):
                    found.add(item)
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str) and "linktype" in value:
            for tag in _PAGE_LINK.findall(value):
                if match := _LINK_ID.search(tag):
                    found.add(int(match.group(1)))

    walk(list(stream.raw_data))
    return found


class HomePage(Page):
    """The root of the site: what Retex is, the latest resources, the next events."""

    hero_title = models.CharField(_("accroche"), max_length=200, blank=True)
    hero_text = models.TextField(_("texte d'introduction"), blank=True, max_length=1000)
    body = StreamField(BodyBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("hero_title"), FieldPanel("hero_text")], heading=_("Bandeau")
        ),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("hero_text")]
    # Alike for every anonymous visitor, and for every signed-in person who may
    # see the same pages: kept in the page cache (retex/page_cache.py).
    anonymous_page_cache = True
    signed_in_page_cache = True

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("page d'accueil")
        verbose_name_plural = _("pages d'accueil")

    def cache_dependencies(self):
        """The page, the pages its body links to, and what each section shows
        as its app declares it (`home_cache_dependencies`,
        `retex.declarations`): a registration or a new member's request leaves
        it in the cache. None (every write makes it out of date) if a section
        declares nothing: the safety net."""
        from retex.declarations import declared

        dependencies = declared("home_cache_dependencies")
        sections = declared("home_sections")
        if set(sections) - set(dependencies):
            return None
        return (
            f"page:{self.pk}",
            *(f"page:{pk}" for pk in linked_page_ids(self.body)),
            *(tag for name in sections for tag in dependencies[name]()),
        )

    def get_context(self, request, *args, **kwargs):
        from retex.home import home_sections

        context = super().get_context(request, *args, **kwargs)
        context.update(home_sections(user=request.user))
        return context


class StandardPage(Page):
    """A page of editorial content: about, legal notice, accessibility statement…"""

    lead = models.TextField(_("chapô"), blank=True, max_length=600)
    body = StreamField(BodyBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("lead"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("lead"),
        index.SearchField("body"),
    ]
    anonymous_page_cache = True
    signed_in_page_cache = True

    class Meta:
        verbose_name = _("page standard")
        verbose_name_plural = _("pages standard")


@register_setting(icon="site")
class SiteSettings(BaseGenericSetting):
    """What the footer shows: how to reach the association and useful links."""

    association_name = models.CharField(
        _("nom de l'association"), max_length=200, default="Réseau Retex"
    )
    footer_text = RichTextField(
        _("présentation en pied de page"), blank=True, features=RICH_TEXT_FEATURES
    )
    contact_email = models.EmailField(_("courriel de contact"), blank=True)
    contact_phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    postal_address = models.TextField(_("adresse postale"), blank=True, max_length=500)
    footer_links = StreamField(
        [("link", LinkBlock())],
        verbose_name=_("liens du pied de page"),
        blank=True,
        help_text=_("Mentions légales, accessibilité, données personnelles…"),
    )

    panels = [
        FieldPanel("association_name"),
        FieldPanel("footer_text"),
        MultiFieldPanel(
            [
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
                FieldPanel("postal_address"),
            ],
            heading=_("Contact"),
        ),
        FieldPanel("footer_links"),
    ]

    class Meta:
        verbose_name = _("réglages du site")


class ThemeColour(models.TextChoices):
    """The palette of theme colours. Each one is a pair in retex.css
    (`.theme--<value>`: `--theme-ink` on `--theme-tint`, at least 4.5:1, checked by
    tests/retex/test_theme_colours.py). A colour only decorates: the theme's name
    is always written."""

    BLUE = "blue", _("Bleu")
    GREEN = "green", _("Vert")
    PURPLE = "purple", _("Violet")
    ORANGE = "orange", _("Orange")
    RASPBERRY = "raspberry", _("Framboise")
    TEAL = "teal", _("Sarcelle")
    OCHRE = "ochre", _("Ocre")
    SLATE = "slate", _("Ardoise")


def next_theme_colour() -> str:
    """A new theme's colour: the palette's next one after the existing themes'
    (the rule the data migration applied to the first themes, by creation order)."""
    palette = ThemeColour.values
    return palette[Theme.objects.count() % len(palette)]


class Theme(models.Model):
    """The shared taxonomy of articles, practices, events and member profiles."""

    name = models.CharField(_("nom"), max_length=80, unique=True)
    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=500)
    colour = models.CharField(
        _("couleur"),
        max_length=20,
        choices=ThemeColour.choices,
        default=next_theme_colour,
        help_text=_(
            "Couleur des étiquettes du thème sur les cartes, les pages et les "
            "filtres. Le nom du thème est toujours écrit."
        ),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("colour"),
    ]

    class Meta:
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def css_class(self) -> str:
        """Classes of the theme's tags: `theme theme--<colour>` (retex.css)."""
        return f"theme theme--{self.colour or ThemeColour.BLUE}"
