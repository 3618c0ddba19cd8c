"""The network's letter: pages composed in Wagtail, sent to subscribers.

`LetterIndexPage` (/lettre/) is the public archive of the letters already sent
and the public subscription form (double opt-in). A `LetterPage` is composed
with StreamField blocks, previewed like any page, tested by its editor on
their own address, then sent in the background (`letter.sending`); until it
has been sent it is not shown to the public, even if published.
"""

from django.conf import settings
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from retex.visibility import pages_visible_to


class HighlightedPagesBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("titre de la rubrique"), max_length=120)
    pages = blocks.ListBlock(
        blocks.PageChooserBlock(page_type=["knowledge.KnowledgePage"]),
        label=_("ressources"),
    )

    class Meta:
        icon = "doc-full"
        label = _("Ressources à la une")
        template = "letter/blocks/pages.html"


class UpcomingEventsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("titre de la rubrique"), max_length=120)
    events = blocks.ListBlock(
        blocks.PageChooserBlock(page_type=["events.EventPage"]),
        label=_("événements"),
    )

    class Meta:
        icon = "date"
        label = _("Événements à venir")
        template = "letter/blocks/events.html"


class MemberNewsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("titre"), max_length=160)
    collectivity = blocks.PageChooserBlock(
        page_type=["members.CollectivityPage"], required=False, label=_("collectivité")
    )
    text = blocks.TextBlock(label=_("texte"), max_length=1500)

    class Meta:
        icon = "group"
        label = _("Nouvelle d'un membre")
        template = "letter/blocks/member_news.html"


class LetterBodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(
        label=_("texte"), features=["h2", "h3", "bold", "italic", "link", "ol", "ul"]
    )
    resources = HighlightedPagesBlock()
    events = UpcomingEventsBlock()
    member_news = MemberNewsBlock()


class LetterIndexPage(Page):
    intro = RichTextField(
        _("introduction"), blank=True, features=["bold", "italic", "link"]
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["retex.HomePage"]
    subpage_types = ["letter.LetterPage"]
    max_count = 1

    class Meta:
        verbose_name = _("lettres du réseau")

    def get_context(self, request, *args, **kwargs):
        from letter.subscriptions import SubscriptionForm, public_subscriptions_open

        context = super().get_context(request, *args, **kwargs)
        context["letters"] = sent_letters(user=request.user, index=self)
        context["public_subscriptions"] = public_subscriptions_open()
        context.setdefault("form", SubscriptionForm())
        return context

    def serve(self, request, *args, **kwargs):
        if request.method == "POST":
            from letter.subscriptions import subscribe_view

            return subscribe_view(request, self)
        return super().serve(request, *args, **kwargs)


def sent_letters(*, user, index=None):
    letters = LetterPage.objects.filter(send_started_at__isnull=False)
    if index is not None:
        letters = letters.child_of(index)
    return pages_visible_to(letters, user=user).order_by("-send_started_at")


class LetterPage(Page):
    lead = models.TextField(_("chapô"), max_length=600, blank=True)
    body = StreamField(LetterBodyBlock(), verbose_name=_("contenu"))
    send_started_at = models.DateTimeField(
        _("envoi commencé le"), null=True, editable=False
    )
    sent_at = models.DateTimeField(_("envoyée le"), null=True, editable=False)
    recipient_count = models.PositiveIntegerField(
        _("destinataires"), default=0, editable=False
    )
    sent_count = models.PositiveIntegerField(_("envoyés"), default=0, editable=False)
    failed_count = models.PositiveIntegerField(_("échecs"), default=0, editable=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        HelpPanel(template="letter/admin/send_panel.html", heading=_("Envoi")),
        FieldPanel("lead"),
        FieldPanel("body"),
    ]
    parent_page_types = ["letter.LetterIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lettre du réseau")
        verbose_name_plural = _("lettres du réseau")

    def get_sitemap_urls(self, request=None):
        return super().get_sitemap_urls(request) if self.send_started_at else []

    def serve(self, request, *args, **kwargs):
        # A letter is public once its sending has started (its recipients follow
        # its link); before that, only the admin's preview shows it.
        if self.send_started_at is None:
            raise Http404
        return super().serve(request, *args, **kwargs)


class Subscriber(models.Model):
    """A public subscriber (no account): subscribed once the address is confirmed."""

    email = models.EmailField(_("adresse"), unique=True)
    created_at = models.DateTimeField(_("inscrit le"), auto_now_add=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmé le"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("désabonné le"), null=True, blank=True)

    class Meta:
        verbose_name = _("abonné public")
        verbose_name_plural = _("abonnés publics")

    def __str__(self):
        return self.email

    @property
    def active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class DeliveryStatus(models.TextChoices):
    PENDING = "en-attente", _("En attente")
    SENT = "envoye", _("Envoyé")
    SKIPPED = "ignore", _("Non envoyé (désabonné ou adresse bloquée)")
    FAILED = "echec", _("Échec")


class Delivery(models.Model):
    """One letter to one address: written once, sent once."""

    letter = models.ForeignKey(
        LetterPage, on_delete=models.CASCADE, related_name="deliveries"
    )
    email = models.EmailField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+"
    )
    subscriber = models.ForeignKey(
        Subscriber, null=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(
        max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["letter", "email"], name="letter_one_delivery_per_address"
            )
        ]

    def __str__(self):
        return f"{self.letter_id} → {self.email}"
