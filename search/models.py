"""The database search store: one row per search document.

The analysed columns (`*_terms`) hold `search.analysis.terms_text` of the
original text; SQLite indexes them with FTS5 and PostgreSQL with a weighted
tsvector (both created by migration 0002 for the database in use), so both
match exactly the same terms.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    key = models.CharField(max_length=64, unique=True)
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, db_index=True)
    title = models.TextField()
    lead = models.TextField(blank=True)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    date = models.DateField(null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    region = models.CharField(max_length=3, blank=True)
    collectivity_kind = models.CharField(max_length=20, blank=True)
    visibility = models.CharField(max_length=10, db_index=True)
    theme_names = models.TextField(blank=True)
    # The themes' slugs, sorted, between single spaces (" a b "): filtered with
    # a substring test and counted by combination (see the backend), no join.
    theme_slugs = models.TextField(blank=True)
    title_terms = models.TextField(blank=True)
    lead_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    # The themes' names analysed (they are also at the end of `body_terms`):
    # PostgreSQL's rank vector weighs them apart, as a light signal.
    theme_terms = models.TextField(blank=True)
    suggest_text = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["visibility", "kind", "date"])]

    def __str__(self):
        return self.title


class Synonym(models.Model):
    """Words of the field that mean the same (EPCI ↔ intercommunalité…), applied
    by every search backend when it reads a query."""

    terms = models.CharField(
        _("termes équivalents"),
        max_length=300,
        unique=True,
        help_text=_("Séparés par des virgules : EPCI, intercommunalité"),
    )

    class Meta:
        verbose_name = _("synonyme")
        verbose_name_plural = _("synonymes")
        ordering = ["terms"]

    def __str__(self):
        return self.terms

    def term_list(self) -> list[str]:
        return [term.strip() for term in self.terms.split(",") if term.strip()]


class SearchQueryStat(models.Model):
    """What people search for, per day, without who: for editors to see what is
    sought and missing."""

    day = models.DateField(_("jour"))
    query = models.CharField(_("recherche"), max_length=200)
    searches = models.PositiveIntegerField(_("recherches"), default=0)
    without_results = models.PositiveIntegerField(_("sans résultat"), default=0)

    class Meta:
        verbose_name = _("statistique de recherche")
        verbose_name_plural = _("statistiques de recherche")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "query"], name="unique_query_per_day"
            )
        ]

    def __str__(self):
        return f"{self.day} {self.query}"


class IndexGeneration(models.Model):
    """One row: a new token each time the search index changes, written in the
    same transaction as the change (`search.cache`). Cached search answers are
    kept under the token they were computed at, so that every process, whatever
    its cache, sees what any other process (the task worker) indexed."""

    token = models.CharField(max_length=32)

    def __str__(self):
        return self.token


class SearchWord(models.Model):
    """The index's own vocabulary, per visibility: each word of the entries
    (folded, stop words and numbers left out) and how many entries hold it.

    Kept by the database backend as it writes entries (`search.vocabulary`),
    so corrections and compound splits never read the entries themselves. A
    visitor's corrections come only from the public rows: a word found only in
    members' content is never suggested to someone who may not read it.
    """

    word = models.CharField(max_length=40)
    visibility = models.CharField(max_length=10)
    # The analysed term of the word (`search.analysis.stem`).
    term = models.CharField(max_length=40, db_index=True)
    # The word as first seen in a text, accents kept (shown in "did you mean").
    display = models.CharField(max_length=40)
    initial = models.CharField(max_length=1)
    length = models.PositiveSmallIntegerField()
    entries = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["word", "visibility"], name="unique_word_per_visibility"
            )
        ]
        indexes = [
            models.Index(
                fields=["initial", "length", "visibility"], name="search_word_shape"
            )
        ]

    def __str__(self):
        return self.word
