"""The knowledge base: articles, interviews and shared practices."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from retex.blocks import RICH_TEXT_FEATURES, BodyBlock
from retex.pagination import paginate
from retex.visibility import pages_visible_to


class KnowledgeIndexPage(Page):
    """`/ressources/`: every article, interview and practice, newest first."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["retex.HomePage"]
    subpage_types = ["knowledge.ArticlePage"]
    max_count = 1

    class Meta:
        verbose_name = _("index des ressources")
        verbose_name_plural = _("index des ressources")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        pages = pages_visible_to(ArticlePage.objects.child_of(self), user=request.user)
        context["items"] = paginate(
            request, pages.order_by("-publication_date", "-first_published_at")
        )
        return context


class ArticlePage(Page):
    """An analysis or best-practice piece written by the association's editors."""

    lead = models.TextField(_("chapô"), max_length=600)
    publication_date = models.DateField(
        _("date de publication"), default=timezone.localdate
    )
    body = StreamField(BodyBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("lead"),
        FieldPanel("publication_date"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("lead"),
        index.SearchField("body"),
    ]
    parent_page_types = ["knowledge.KnowledgeIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
