"""Trainings, round tables, webinars and the congress."""

import datetime
import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model_string
from wagtail.models import Orderable, Page
from wagtail.search import index

from members.territories import Region
from retex.blocks import RICH_TEXT_FEATURES, BodyBlock, DocumentLinkBlock, LinkBlock
from retex.images import alternative_text, check_alternative


class EventIndexPage(Page):
    """`/evenements/`: the agenda, upcoming events first."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["retex.HomePage"]
    subpage_types = ["events.EventPage"]
    # Kept until an event or the seats left of any event change
    # (retex/page_cache/).
    anonymous_page_cache = True
    signed_in_page_cache = True
    max_count = 1

    class Meta:
        verbose_name = _("agenda")
        verbose_name_plural = _("agendas")

    def cache_dependencies(self):
        """What the agenda shows (`retex.page_cache.invalidation`); the seats
        of the events on the page shown are added as they are shown
        (`events.agenda.agenda_context`)."""
        return (f"page:{self.pk}", "kind:events.eventpage")

    def get_context(self, request, *args, **kwargs):
        from events.agenda import agenda_context

        context = super().get_context(request, *args, **kwargs)
        context.update(agenda_context(request, self))
        return context


class EventKind(models.TextChoices):
    TRAINING = "formation", _("Formation")
    ROUND_TABLE = "table-ronde", _("Table ronde")
    MEETING = "rencontre", _("Rencontre")
    WEBINAR = "webinaire", _("Webinaire")
    CONGRESS = "congres", _("Congrès")


class Audience(models.TextChoices):
    ELECTED = "elus", _("Élus")
    AGENTS = "agents", _("Agents")
    COMPANIES = "entreprises", _("Entreprises")
    EVERYONE = "tous", _("Tous publics")


class EventPage(RoutablePageMixin, Page):
    """One event of the agenda, with its sessions and its registration settings.

    `start` and `end` are the first session's start and the last session's end,
    kept on the page so the agenda can sort and filter without a join.

    Its URLs are Wagtail routes (`RoutablePageMixin`): the page itself (with the
    person's own parts, `retex.page_cache.serve_with_personal_parts`),
    `inscription/`, `desinscription/` and `evenement.ics`. They are declared with
    their views in `events/views.py`, which imports this model: the model depends
    on no view.
    """

    kind = models.CharField(_("type"), max_length=20, choices=EventKind.choices)
    lead = models.TextField(_("chapô"), max_length=600)
    image = models.ForeignKey(
        get_image_model_string(),
        verbose_name=_("visuel"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    image_alt = models.CharField(
        _("texte alternatif du visuel"),
        max_length=300,
        blank=True,
        help_text=_("Obligatoire avec un visuel, sauf visuel décoratif."),
    )
    image_decorative = models.BooleanField(
        _("visuel décoratif"),
        default=False,
        help_text=_(
            "Cochez si l'image n'apporte aucune information (texte alternatif vide)."
        ),
    )
    image_credit = models.CharField(
        _("crédit du visuel"),
        max_length=200,
        blank=True,
        help_text=_("Auteur ou source de l'image, par exemple © Ville de Lannion."),
    )
    themes = ParentalManyToManyField(
        "retex.Theme", verbose_name=_("thèmes"), blank=True, related_name="+"
    )
    audience = models.CharField(
        _("public"), max_length=12, choices=Audience.choices, default=Audience.EVERYONE
    )
    start = models.DateTimeField(_("début"), db_index=True)
    end = models.DateTimeField(_("fin"), db_index=True)
    online = models.BooleanField(_("en ligne"), default=False)
    online_link = models.URLField(
        _("lien de connexion"),
        blank=True,
        help_text=_(
            "Montré aux seuls participants confirmés (page, courriel, Mon espace)."
        ),
    )
    venue = models.CharField(_("lieu"), max_length=200, blank=True)
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    postcode = models.CharField(_("code postal"), max_length=5, blank=True)
    city = models.CharField(_("ville"), max_length=100, blank=True)
    region = models.CharField(
        _("région"), max_length=2, choices=Region.choices, blank=True
    )
    speakers = models.TextField(_("intervenants"), blank=True, max_length=2000)
    partners = models.TextField(_("partenaires"), blank=True, max_length=1000)
    price_info = models.CharField(
        _("tarif"),
        max_length=300,
        blank=True,
        help_text=_("Par exemple : gratuit pour les membres."),
    )
    body = StreamField(BodyBlock(), verbose_name=_("description"), blank=True)
    capacity = models.PositiveIntegerField(
        _("nombre de places"), null=True, blank=True, help_text=_("Vide : illimité.")
    )
    waitlist_enabled = models.BooleanField(_("liste d'attente"), default=True)
    seats_per_collectivity = models.PositiveSmallIntegerField(
        _("places par collectivité"),
        null=True,
        blank=True,
        help_text=_("Vide : pas de limite par collectivité."),
    )
    registration_opens = models.DateTimeField(
        _("ouverture des inscriptions"), null=True, blank=True
    )
    registration_closes = models.DateTimeField(
        _("clôture des inscriptions"),
        null=True,
        blank=True,
        help_text=_("Vide : jusqu'au début de l'événement."),
    )
    cancellation_deadline = models.DateTimeField(
        _("date limite de désinscription"),
        null=True,
        blank=True,
        help_text=_("Vide : jusqu'au début de l'événement."),
    )
    members_only = models.BooleanField(
        _("inscription réservée aux membres"), default=False
    )
    registration_enabled = models.BooleanField(_("inscriptions en ligne"), default=True)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    cancelled = models.BooleanField(_("événement annulé"), default=False)
    # After the event. The synthesis is chosen here; the knowledge page finds its
    # event through `synthesis_of` (one field, both sides always agree).
    synthesis = models.ForeignKey(
        "knowledge.KnowledgePage",
        verbose_name=_("synthèse"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="synthesis_of",
        help_text=_(
            "La ressource qui rend compte de l'événement. Une fois publiée, elle "
            "figure sur la page de l'événement, et les participants en sont "
            "prévenus par courriel."
        ),
    )
    # The member collectivity that hosts it: shown on the event, counted on the
    # collectivity's page (`events.collectivity_story`).
    host_collectivity = models.ForeignKey(
        "members.CollectivityPage",
        verbose_name=_("collectivité d'accueil"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_events",
        help_text=_("La collectivité membre qui accueille l'événement, s'il y a lieu."),
    )
    materials = StreamField(
        [("document", DocumentLinkBlock()), ("link", LinkBlock())],
        verbose_name=_("supports"),
        blank=True,
        help_text=_(
            "Présentations, documents, enregistrements : montrés une fois "
            "l'événement passé."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("kind"), FieldPanel("audience")]),
        FieldPanel("lead"),
        MultiFieldPanel(
            [
                FieldPanel("image"),
                FieldPanel("image_alt"),
                FieldPanel("image_decorative"),
                FieldPanel("image_credit"),
            ],
            heading=_("Visuel"),
        ),
        FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
        InlinePanel("sessions", label=_("Séances"), min_num=1),
        MultiFieldPanel(
            [
                FieldPanel("online"),
                FieldPanel("online_link"),
                FieldPanel("venue"),
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("postcode"), FieldPanel("city")]),
                FieldPanel("region"),
                PageChooserPanel("host_collectivity", "members.CollectivityPage"),
            ],
            heading=_("Lieu"),
        ),
        FieldPanel("body"),
        FieldPanel("speakers"),
        FieldPanel("partners"),
        FieldPanel("price_info"),
        MultiFieldPanel(
            [
                FieldPanel("registration_enabled"),
                FieldRowPanel([FieldPanel("capacity"), FieldPanel("waitlist_enabled")]),
                FieldPanel("seats_per_collectivity"),
                FieldPanel("members_only"),
                FieldRowPanel(
                    [
                        FieldPanel("registration_opens"),
                        FieldPanel("registration_closes"),
                    ]
                ),
                FieldPanel("cancellation_deadline"),
                FieldPanel("cancelled"),
            ],
            heading=_("Inscriptions"),
        ),
        MultiFieldPanel(
            [
                PageChooserPanel(
                    "synthesis",
                    [
                        "knowledge.ArticlePage",
                        "knowledge.InterviewPage",
                        "knowledge.PracticePage",
                    ],
                ),
                FieldPanel("materials"),
            ],
            heading=_("Après l'événement"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("lead"),
        index.SearchField("body"),
        index.SearchField("speakers"),
        index.FilterField("start"),
        index.FilterField("kind"),
    ]
    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []
    # Only the page itself, as anonymous visitors see it (seats left, a login
    # button); never `inscription/`, `desinscription/` nor `evenement.ics`.
    # Signed-in people see their own registration: they share the rest of the
    # page, rendered once (its index route), never the registration panel.
    anonymous_page_cache = True
    # What decides which event a knowledge page names as the one it is the
    # synthesis of (`events.templatetags.event_synthesis`).
    cache_selection_fields = ("live", "synthesis")

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("événements")

    def cache_dependencies(self):
        """The event and its seats left (`retex.page_cache.invalidation`)."""
        return (f"page:{self.pk}", f"seats:{self.pk}")

    def get_context(self, request, *args, **kwargs):
        from events.page_context import event_shared_context

        context = super().get_context(request, *args, **kwargs)
        context.update(event_shared_context(request, self))
        return context

    def visible_synthesis(self, user):
        """The synthesis page once it is published, to someone who may see it."""
        from retex.visibility import page_restrictions_failed

        if not self.synthesis_id:
            return None
        page = self.synthesis
        if page is None or not page.live or page_restrictions_failed(page, user):
            return None
        return page.specific

    @property
    def image_alt_text(self) -> str:
        """The visual's `alt`: "" when it is decorative."""
        return alternative_text(self.image_id, self.image_alt, self.image_decorative)

    def is_past(self, *, now=None) -> bool:
        """Over: its last session has ended."""
        return self.end <= (now or timezone.now())

    def _session_bounds(self):
        sessions = [s for s in self.sessions.all() if s.start and s.end]
        if not sessions:
            return None
        return min(s.start for s in sessions), max(s.end for s in sessions)

    def clean(self):
        bounds = self._session_bounds()
        if bounds:
            self.start, self.end = bounds
        super().clean()
        check_alternative(
            self.image_id, self.image_alt, self.image_decorative, alt_field="image_alt"
        )
        errors = {}
        if not self.start or not self.end:
            errors["start"] = _("Indiquez au moins une séance.")
        elif self.end < self.start:
            errors["end"] = _("La fin doit être après le début.")
        if not self.online and not self.city:
            errors["city"] = _("Indiquez la ville, ou cochez « en ligne ».")
        if self.postcode and not re.fullmatch(r"\d{5}", self.postcode):
            errors["postcode"] = _("Le code postal compte 5 chiffres.")
        if (
            self.registration_opens
            and self.registration_closes
            and self.registration_closes <= self.registration_opens
        ):
            errors["registration_closes"] = _(
                "La clôture des inscriptions doit suivre leur ouverture."
            )
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        from events.feed_entries import saving_event

        bounds = self._session_bounds()
        if bounds:
            self.start, self.end = bounds
        # Its VEVENTs in the public feed written again, in the same transaction
        # (`events.feed_entries`).
        with saving_event(self, kwargs.get("update_fields")):
            return super().save(*args, **kwargs)

    @property
    def ical_uid(self) -> str:
        """One event, one UID everywhere: feeds, downloads and email attachments."""
        return f"{self.translation_key}@retex"


class EventSession(Orderable):
    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="sessions")
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"))
    label = models.CharField(
        _("intitulé"), max_length=200, blank=True, help_text=_("Par exemple : jour 1.")
    )
    # Local times (Europe/Paris) on the session's day: a lunch break is not
    # training time (attendance certificates count hours without it).
    break_start = models.TimeField(
        _("début de la pause"),
        null=True,
        blank=True,
        help_text=_("Par exemple : 12:30 pour le déjeuner."),
    )
    break_end = models.TimeField(_("fin de la pause"), null=True, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        FieldRowPanel([FieldPanel("break_start"), FieldPanel("break_end")]),
        FieldPanel("label"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("séance")
        verbose_name_plural = _("séances")

    def clean(self):
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("La séance doit finir après son début.")})
        if (self.break_start is None) != (self.break_end is None):
            field = "break_end" if self.break_end is None else "break_start"
            raise ValidationError(
                {
                    field: _(
                        "Indiquez le début et la fin de la pause, ou aucun des deux."
                    )
                }
            )
        if self.break_start is not None and self.start and self.end:
            bounds = self.break_bounds()
            if bounds is None:
                raise ValidationError(
                    {"break_end": _("La pause doit finir après son début.")}
                )
            if bounds[0] < self.start or bounds[1] > self.end:
                raise ValidationError(
                    {
                        "break_start": _(
                            "La pause doit se tenir pendant la séance, le jour de "
                            "son début."
                        )
                    }
                )

    def break_bounds(self):
        """The break as aware datetimes on the session's (local) first day, or
        None when there is none (or it ends before it starts)."""
        if self.break_start is None or self.break_end is None or not self.start:
            return None
        day = timezone.localtime(self.start).date()
        zone = timezone.get_current_timezone()
        start = datetime.datetime.combine(day, self.break_start, tzinfo=zone)
        end = datetime.datetime.combine(day, self.break_end, tzinfo=zone)
        return (start, end) if end > start else None

    @property
    def break_minutes(self) -> int:
        bounds = self.break_bounds()
        if bounds is None:
            return 0
        start, end = max(bounds[0], self.start), min(bounds[1], self.end)
        return max(0, round((end - start).total_seconds() / 60))

    @property
    def hours(self) -> float:
        """Time spent training: the session without its break."""
        seconds = (self.end - self.start).total_seconds() - self.break_minutes * 60
        return round(seconds / 3600, 2)


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmee", _("Confirmée")
    WAITLISTED = "attente", _("Liste d'attente")
    CANCELLED = "annulee", _("Annulée")


ACTIVE_REGISTRATION_STATUSES = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
)


class Registration(models.Model):
    """One person's registration to one event (personal, even when a colleague
    made it). Kept anonymously when the person deletes their account."""

    event = models.ForeignKey(
        EventPage, on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="registrations",
    )
    status = models.CharField(
        _("état"), max_length=10, choices=RegistrationStatus.choices
    )
    collectivity = models.ForeignKey(
        "members.CollectivityPage",
        verbose_name=_("collectivité"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(
        _("inscrit le"), default=timezone.now, db_index=True
    )
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(_("présent"), null=True, blank=True)
    certificate_code = models.CharField(max_length=16, blank=True, db_index=True)
    # Set, once, in the transaction that enqueues the email (events.reminders).
    reminder_sent_at = models.DateTimeField(
        _("rappel envoyé le"), null=True, blank=True
    )
    waitlist_notice_sent_at = models.DateTimeField(
        _("position en liste d'attente envoyée le"), null=True, blank=True
    )
    synthesis_notice_sent_at = models.DateTimeField(
        _("synthèse annoncée le"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=models.Q(status__in=ACTIVE_REGISTRATION_STATUSES),
                name="one_active_registration_per_person",
            )
        ]
        indexes = [models.Index(fields=["event", "status", "waitlisted_at"])]

    def __str__(self):
        return f"{self.user or _('compte supprimé')} — {self.event}"


class CalendarToken(models.Model):
    """The secret of a person's private calendar feed (`/mon-espace/agenda/…`).

    The token is the only credential of the feed (calendar apps cannot log in), so
    it is long and random; resetting it replaces it, which kills the old address.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lien d'agenda personnel")
        verbose_name_plural = _("liens d'agenda personnels")

    def __str__(self):
        return str(self.user)


class FeedEntry(models.Model):
    """An event's VEVENTs as the public feed (`agenda.ics`) writes them, kept
    with the event so the feed is a concatenation of stored texts
    (`events.feed_entries`: rewritten in the transaction of every write that
    changes them; `manage.py rebuild_event_feed` writes them all again).

    `text` holds the VEVENTs with a placeholder DTSTAMP, replaced by the
    feed's time when it is served; `key` says what the text was written for
    (the writer's version, the time zone, the event's full URL): an entry
    whose key differs from the one the feed expects is not used, the event is
    written afresh instead."""

    event = models.OneToOneField(
        EventPage,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="feed_entry",
    )
    text = models.TextField()
    key = models.TextField()

    class Meta:
        verbose_name = _("entrée du flux d'agenda")
        verbose_name_plural = _("entrées du flux d'agenda")

    def __str__(self):
        return str(self.event_id)


class StoredFeed(models.Model):
    """The public feed's VEVENTs for every event not long over, one text
    (`events.feed_entries.refresh_stored_feed`): `agenda.ics` unfiltered
    reads one row instead of one stored entry per event.

    `data` is the entries (UTF-8, placeholder DTSTAMP) of the events that
    ended at most `RECENT_DAYS_IN_FEED` days (and one) before it was written,
    in the feed's order, whatever their visibility; `index` gives each one's
    event id and the offset where its text ends (`[[pk, end], …]`). The feed
    asks the database which events it shows now (visibility, period) and
    takes their parts: an event missing from the index sends it back to the
    entries. Emptied (`key` "") in the transaction of every write of an
    entry, written again once it commits; `key` says what it was written
    for, as `FeedEntry.key`. `key` and `index` come first: SQLite reads a
    row's columns in order, and `data` is 2 MB at the benchmark's scale."""

    key = models.TextField()
    index = models.JSONField(default=list)
    data = models.BinaryField()

    class Meta:
        verbose_name = _("flux d'agenda enregistré")
        verbose_name_plural = _("flux d'agenda enregistrés")

    def __str__(self):
        return str(self.key)
