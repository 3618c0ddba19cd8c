"""Follows, email preferences, sent digests and suppressed addresses.

Followed things are named by a kind and an id (`Follow.key`, e.g. "theme:12"),
never by a foreign key to another app's model: the apps whose content can be
followed do not know about this one, and this one reads them through
`django.apps.apps.get_model` (see `following.kinds`).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    IMMEDIATE = "immediat", _("Immédiatement")
    DAILY = "quotidien", _("Quotidien")
    WEEKLY = "hebdomadaire", _("Hebdomadaire")
    NEVER = "jamais", _("Jamais")


class Category(models.TextChoices):
    """The kinds of email a person can stop receiving, one by one."""

    DIGEST = "digest", _("Ce que je suis (résumés et alertes)")
    LETTER = "letter", _("La lettre du réseau")
    AID = "aid", _("Entraide (réponses à mes questions)")
    EVENTS = "events", _("Événements (annonces et rappels)")


class EmailPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="email_preference",
        verbose_name=_("personne"),
    )
    frequency = models.CharField(
        _("fréquence des alertes"),
        max_length=12,
        choices=Frequency.choices,
        default=Frequency.WEEKLY,
    )
    letter = models.BooleanField(_("lettre du réseau"), default=False)
    aid = models.BooleanField(_("entraide"), default=True)
    events = models.BooleanField(_("événements"), default=True)
    updated_at = models.DateTimeField(_("modifiées le"), auto_now=True)

    class Meta:
        verbose_name = _("préférences de courriel")
        verbose_name_plural = _("préférences de courriel")

    def __str__(self):
        return str(self.user)


class FollowKind(models.TextChoices):
    THEME = "theme", _("Thème")
    COLLECTIVITY = "collectivity", _("Collectivité")
    QUESTION = "question", _("Question de l'entraide")
    SEARCH = "search", _("Recherche enregistrée")


class Follow(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="follows",
        verbose_name=_("personne"),
    )
    kind = models.CharField(_("type"), max_length=12, choices=FollowKind.choices)
    # The followed object's id (themes, collectivities, questions); None for a search.
    object_id = models.BigIntegerField(null=True, blank=True)
    # A saved search: its text and filters (`search.forms.SearchForm.filters()`).
    query = models.CharField(_("recherche"), max_length=200, blank=True)
    filters = models.JSONField(_("filtres"), default=dict, blank=True)
    # "theme:12", "search:<digest of query and filters>": one follow per thing.
    key = models.CharField(max_length=80)
    created_at = models.DateTimeField(_("suivi depuis"), auto_now_add=True)

    class Meta:
        verbose_name = _("abonnement")
        verbose_name_plural = _("abonnements")
        ordering = ["kind", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], name="following_one_follow_per_thing"
            )
        ]
        indexes = [models.Index(fields=["kind", "object_id"])]

    def __str__(self):
        return self.key


class DigestStatus(models.TextChoices):
    PENDING = "en-attente", _("En attente")
    SENT = "envoye", _("Envoyé")
    EMPTY = "vide", _("Rien de nouveau")
    SKIPPED = "ignore", _("Non envoyé (désabonné ou adresse bloquée)")
    FAILED = "echec", _("Échec")


class Digest(models.Model):
    """One email of what a person follows, for one period: claimed once.

    `period` is "quotidien:2026-12-04", "hebdomadaire:2026-W49" or, for an
    immediate alert, "immediat:<kind>:<id>"; the unique constraint on (user,
    period) is what makes two concurrent `send_digests` runs send it once.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests"
    )
    period = models.CharField(max_length=60)
    since = models.DateTimeField()
    until = models.DateTimeField()
    status = models.CharField(
        max_length=12, choices=DigestStatus.choices, default=DigestStatus.PENDING
    )
    item_count = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    claim = models.UUIDField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("résumé envoyé")
        verbose_name_plural = _("résumés envoyés")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "period"], name="following_one_digest_per_period"
            )
        ]

    def __str__(self):
        return f"{self.user_id} {self.period}"


class SuppressionReason(models.TextChoices):
    BOUNCE = "rejet", _("Adresse rejetée (bounce)")
    COMPLAINT = "plainte", _("Plainte (signalé comme indésirable)")


class Suppression(models.Model):
    """An address nothing is sent to any more (bounces, complaints)."""

    email = models.EmailField(_("adresse"), unique=True)
    reason = models.CharField(
        _("motif"), max_length=10, choices=SuppressionReason.choices
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("enregistrée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("adresse bloquée")
        verbose_name_plural = _("adresses bloquées")

    def __str__(self):
        return self.email
