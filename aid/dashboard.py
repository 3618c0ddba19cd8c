"""The admin dashboard's panel of reports waiting for an editor."""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from aid.models import Report
from retex.admin_panels import Row, SummaryPanel

LIMIT = 5


def reports_panel(user) -> SummaryPanel | None:
    """Reports not yet handled, oldest first, for people who moderate the
    mutual-aid space; None for the others."""
    if not user.has_perm("aid.change_report"):
        return None
    pending = Report.objects.filter(handled=False)
    count = pending.count()
    oldest = pending.select_related("question", "answer__question").order_by(
        "created_at"
    )[:LIMIT]
    rows = []
    for report in oldest:
        question = report.question or (report.answer and report.answer.question)
        about = _("Réponse à « %(title)s »") if report.answer else _("« %(title)s »")
        rows.append(
            Row(
                label=about % {"title": question.title if question else "?"},
                url=reverse("aid_reports:edit", args=[report.pk]),
                detail=Truncator(report.reason).chars(120),
                figure=formats.date_format(
                    timezone.localtime(report.created_at), "j F Y"
                ),
            )
        )
    return SummaryPanel(
        name="aid-reports",
        title=_("Signalements à traiter (%(count)s)") % {"count": count},
        rows=rows,
        figure_heading=_("Signalé le"),
        empty_text=_("Aucun signalement en attente."),
        more_url=reverse("aid_reports:index"),
        more_label=_("Voir tous les signalements"),
        order=110,
    )
