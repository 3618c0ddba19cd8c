"""A practice sheet as an A4 PDF (issue 20): `/ressources/fiche/<id>.pdf`.

Whoever may read the practice page may download its sheet, nobody else (the
same rule as the page: `retex.visibility.pages_visible_to`, so a draft or a
page restricted to members answers 404); the contact is only written for those
who see members' content, as on the page. Built with fpdf2's core fonts
(Windows-1252: characters outside it are written without their accent, or "?").
"""

import html
import re
import unicodedata

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.rich_text import expand_db_html

from knowledge.models import PracticePage
from retex.links import absolute_url
from retex.templatetags.french_dates import french_date
from retex.visibility import pages_visible_to, sees_members_content

_SECTION_TITLES = {
    "context": lambda: _("Contexte"),
    "objectives": lambda: _("Objectifs"),
    "actions": lambda: _("Actions"),
    "results": lambda: _("Résultats"),
    "lessons": lambda: _("Enseignements"),
}


def visible_practice(practice_id: int, user) -> PracticePage:
    """The live practice this person may read, else 404."""
    queryset = pages_visible_to(PracticePage.objects.filter(pk=practice_id), user=user)
    return get_object_or_404(queryset.select_related("collectivity"))


def pdf_filename(practice: PracticePage) -> str:
    return f"fiche-{practice.slug}.pdf"


def _pdf_text(text: str) -> str:
    """What the core fonts can write: Windows-1252, else without accents, else "?"."""
    out = []
    for char in text.replace("\u202f", " ").replace("\u00a0", " "):
        try:
            char.encode("cp1252")
        except UnicodeEncodeError:
            plain = (
                unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
            )
            char = plain or "?"
        out.append(char)
    return "".join(out)


def html_to_text(value: str) -> list[str]:
    """Paragraphs of plain text from rich text (links keep their address)."""
    value = expand_db_html(str(value))
    value = re.sub(
        r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>',
        lambda m: f"{m.group(2)} ({m.group(1)})",
        value,
        flags=re.S,
    )
    value = re.sub(r"<li[^>]*>", "\n- ", value)
    value = re.sub(r"</(p|h[1-6]|li|ul|ol|blockquote|figure)>|<br\s*/?>", "\n", value)
    text = html.unescape(strip_tags(value))
    return [line.strip() for line in text.split("\n") if line.strip()]


def practice_pdf(practice: PracticePage, *, user) -> bytes:
    """The practice sheet, as it reads on the page, in A4."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.core_fonts_encoding = "cp1252"
    pdf.set_title(_pdf_text(practice.title))
    pdf.set_author("Retex")
    pdf.set_creator("Retex")
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()

    def line(text, *, size=10.5, style="", height=5.5, gap=0.0, color=(0, 0, 0)):
        pdf.set_text_color(*color)
        pdf.set_font("Helvetica", style=style, size=size)
        pdf.multi_cell(0, height, _pdf_text(text), new_x="LMARGIN", new_y="NEXT")
        if gap:
            pdf.ln(gap)

    with translation.override("fr"):
        line(
            f"{practice.get_kind_display()} · {french_date(practice.publication_date)}",
            size=9,
            color=(74, 85, 104),
            gap=1,
        )
        line(practice.title, size=18, style="B", height=8, gap=2)
        if practice.lead:
            line(practice.lead, size=12, height=6, gap=3)
        facts = []
        if practice.collectivity_id:
            facts.append((_("Collectivité"), practice.collectivity.title))
        facts.append((_("État d'avancement"), practice.get_status_display()))
        if practice.start_year:
            facts.append((_("Lancement"), str(practice.start_year)))
        facts.append((_("Budget"), practice.get_budget_range_display()))
        if practice.partners:
            facts.append((_("Partenaires"), practice.partners.replace("\n", ", ")))
        for term, value in facts:
            pdf.set_font("Helvetica", style="B", size=10)
            pdf.cell(45, 5.5, _pdf_text(term))
            pdf.set_font("Helvetica", size=10)
            pdf.multi_cell(0, 5.5, _pdf_text(str(value)), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        for block in practice.body:
            for paragraph in html_to_text(block.render()):
                line(paragraph, gap=1.5)
        for field, title in _SECTION_TITLES.items():
            value = getattr(practice, field, "")
            if not value:
                continue
            pdf.ln(1)
            line(title(), size=13, style="B", height=7, gap=1)
            for paragraph in html_to_text(value):
                line(paragraph, gap=1.5)
        if practice.has_contact and sees_members_content(user):
            pdf.ln(1)
            line(_("Contact"), size=13, style="B", height=7, gap=1)
            who = practice.contact_name
            if practice.contact_function:
                who = f"{who}, {practice.contact_function}"
            for value in (who, practice.contact_email, practice.contact_phone):
                if value:
                    line(value)
        pdf.ln(4)
        line(
            _("Fiche en ligne : %(url)s") % {"url": absolute_url(practice.url)},
            size=8.5,
            color=(74, 85, 104),
        )
    return bytes(pdf.output())


@require_GET
@cache_control(private=True)
def practice_pdf_view(request, practice_id: int):
    practice = visible_practice(practice_id, request.user)
    if practice.url is None:
        raise Http404
    response = HttpResponse(
        practice_pdf(practice, user=request.user), content_type="application/pdf"
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=pdf_filename(practice)
    )
    return response
