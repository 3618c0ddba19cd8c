"""Trainings, round tables, webinars and the congress."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from retex.blocks import RICH_TEXT_FEATURES, BodyBlock
from retex.pagination import paginate
from retex.visibility import pages_visible_to


class EventIndexPage(Page):
    """`/evenements/`: the agenda, upcoming events first."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["retex.HomePage"]
    subpage_types = ["events.EventPage"]
    max_count = 1

    class Meta:
        verbose_name = _("agenda")
        verbose_name_plural = _("agendas")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        pages = pages_visible_to(EventPage.objects.child_of(self), user=request.user)
        now = timezone.now()
        context["past"] = request.GET.get("periode") == "passes"
        if context["past"]:
            pages = pages.filter(end__lt=now).order_by("-start")
        else:
            pages = pages.filter(end__gte=now).order_by("start")
        context["items"] = paginate(request, pages)
        return context


class EventKind(models.TextChoices):
    TRAINING = "formation", _("Formation")
    ROUND_TABLE = "table-ronde", _("Table ronde")
    MEETING = "rencontre", _("Rencontre")
    WEBINAR = "webinaire", _("Webinaire")
    CONGRESS = "congres", _("Congrès")


class EventPage(Page):
    """One event of the agenda. Registration comes with the events issue."""

    kind = models.CharField(_("type"), max_length=20, choices=EventKind.choices)
    lead = models.TextField(_("chapô"), max_length=600)
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"))
    online = models.BooleanField(_("en ligne"), default=False)
    venue = models.CharField(_("lieu"), max_length=200, blank=True)
    city = models.CharField(_("ville"), max_length=100, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("description"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("lead"),
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")], heading=_("Dates")),
        MultiFieldPanel(
            [FieldPanel("online"), FieldPanel("venue"), FieldPanel("city")],
            heading=_("Lieu"),
        ),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("lead"),
        index.SearchField("body"),
        index.FilterField("start"),
    ]
    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("événements")

    def clean(self):
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("La fin doit être après le début.")})
        if not self.online and not self.city:
            raise ValidationError(
                {"city": _("Indiquez la ville, ou cochez « en ligne ».")}
            )
