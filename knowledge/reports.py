"""Admin report: knowledge pages by theme, filterable and exportable (CSV/XLSX)."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.reports import PageReportView

from knowledge.models import KnowledgeKind, KnowledgePage
from retex.models import Theme


class ThemeReportFilterSet(WagtailFilterSet):
    themes = django_filters.ModelChoiceFilter(
        label=_("Thème"), queryset=Theme.objects.all(), empty_label=_("Tous")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Type"), choices=KnowledgeKind.choices, empty_label=_("Tous")
    )
    live = django_filters.BooleanFilter(label=_("Publiée"))

    class Meta:
        model = KnowledgePage
        fields = ["themes", "kind", "live"]


class ThemeReportView(PageReportView):
    page_title = _("Ressources par thème")
    header_icon = "tag"
    filterset_class = ThemeReportFilterSet
    index_url_name = "knowledge_theme_report"
    index_results_url_name = "knowledge_theme_report_results"
    results_template_name = "knowledge/admin/theme_report_results.html"
    list_export = [
        "title",
        "kind",
        "theme_names",
        "publication_date",
        "status_string",
        "latest_revision_created_at",
    ]
    export_headings = {
        **PageReportView.export_headings,
        "kind": _("Type"),
        "theme_names": _("Thèmes"),
        "publication_date": _("Date de publication"),
    }
    permission_required = "change"

    def get_filename(self):
        return f"ressources-par-theme-{timezone.localdate():%Y-%m-%d}"

    def get_queryset(self):
        editable = self.permission_policy.instances_user_has_permission_for(
            self.request.user, "change"
        )
        self.queryset = (
            KnowledgePage.objects.filter(pk__in=editable.values("pk"))
            .prefetch_related("themes")
            .order_by("-publication_date")
        )
        return super().get_queryset()

    def to_row_dict(self, item):
        row = super().to_row_dict(item)
        row["kind"] = item.get_kind_display()
        return row
