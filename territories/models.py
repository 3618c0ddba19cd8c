"""The French administrative referential: regions, departments, EPCI and communes.

Loaded from the extract shipped in `territories/data/` by `load_territories`
(see that folder's README for the source and licence). Rows are never deleted by
the loader: a commune merged into another, or a dissolved EPCI, stays with
`is_current=False` so that whatever references it keeps working.

`search_name` is the name normalised by `territories.text.normalize_name`, set on
save and by the loader; `territories.selectors` searches it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from territories.text import normalize_name


class TerritoryKind(models.TextChoices):
    REGION = "region", _("Région")
    DEPARTMENT = "department", _("Département")
    EPCI = "epci", _("Intercommunalité")
    COMMUNE = "commune", _("Commune")


class EpciKind(models.TextChoices):
    """Legal nature, with the codes the DGCL and the source package use."""

    CC = "CC", _("Communauté de communes")
    CA = "CA", _("Communauté d'agglomération")
    CU = "CU", _("Communauté urbaine")
    METRO = "METRO", _("Métropole")
    MET69 = "MET69", _("Métropole de Lyon")
    EPT = "EPT", _("Établissement public territorial")


class Territory(models.Model):
    name = models.CharField(_("nom"), max_length=200)
    search_name = models.CharField(
        _("nom normalisé"),
        max_length=200,
        editable=False,
        help_text=_("Minuscules, sans accents ni tirets : sert à la recherche."),
    )
    population = models.PositiveIntegerField(
        _("population municipale"), null=True, blank=True
    )
    is_current = models.BooleanField(
        _("en vigueur"),
        default=True,
        help_text=_("Faux si le territoire a disparu du référentiel (fusion…)."),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.search_name = normalize_name(self.name)
        super().save(*args, **kwargs)


class Region(Territory):
    code = models.CharField(_("code INSEE"), max_length=3, unique=True)

    class Meta:
        verbose_name = _("région")
        verbose_name_plural = _("régions")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["search_name"], name="territories_region_search")
        ]

    def __str__(self):
        return self.name


class Department(Territory):
    code = models.CharField(_("code INSEE"), max_length=3, unique=True)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="departments",
        verbose_name=_("région"),
    )

    class Meta:
        verbose_name = _("département")
        verbose_name_plural = _("départements")
        ordering = ["code"]
        indexes = [models.Index(fields=["search_name"], name="territories_dept_search")]

    def __str__(self):
        return f"{self.name} ({self.code})"


class Epci(Territory):
    """An EPCI à fiscalité propre, or a Grand Paris établissement public territorial.

    Communes of the Métropole du Grand Paris belong to both: `Commune.epci` is the
    EPCI à fiscalité propre, `Commune.ept` the EPT.
    """

    siren = models.CharField(_("SIREN"), max_length=9, unique=True)
    kind = models.CharField(_("nature juridique"), max_length=5, choices=EpciKind)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="epcis",
        verbose_name=_("département principal"),
        help_text=_("Celui où vit la plus grande partie de sa population."),
    )

    class Meta:
        verbose_name = _("intercommunalité")
        verbose_name_plural = _("intercommunalités")
        ordering = ["name"]
        indexes = [models.Index(fields=["search_name"], name="territories_epci_search")]

    def __str__(self):
        return self.name

    @property
    def members(self) -> models.QuerySet["Commune"]:
        """Its communes (for an EPT, those of its territory)."""
        if self.kind == EpciKind.EPT:
            return self.ept_communes.all()
        return self.communes.all()


class Commune(Territory):
    insee_code = models.CharField(_("code INSEE"), max_length=5, unique=True)
    siren = models.CharField(_("SIREN"), max_length=9, blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="communes",
        verbose_name=_("département"),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="communes",
        verbose_name=_("région"),
    )
    epci = models.ForeignKey(
        Epci,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="communes",
        verbose_name=_("intercommunalité"),
        help_text=_("L'EPCI à fiscalité propre dont la commune est membre."),
    )
    ept = models.ForeignKey(
        Epci,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ept_communes",
        limit_choices_to={"kind": EpciKind.EPT},
        verbose_name=_("établissement public territorial"),
        help_text=_("Pour les communes de la Métropole du Grand Paris."),
    )
    postcodes = models.CharField(
        _("codes postaux"),
        max_length=200,
        blank=True,
        help_text=_("Séparés par des espaces (base officielle de La Poste)."),
    )

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["name", "insee_code"]
        indexes = [
            models.Index(fields=["search_name"], name="territories_commune_search")
        ]

    def __str__(self):
        return f"{self.name} ({self.department_code})"

    @property
    def department_code(self) -> str:
        # The INSEE code starts with the department's, without a query:
        # "22113" → "22", "2A004" → "2A", "97411" → "974".
        prefix_length = 3 if self.insee_code.startswith("97") else 2
        return self.insee_code[:prefix_length]
