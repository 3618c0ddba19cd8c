from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from knowledge.reports import ThemeReportView


@hooks.register("register_admin_urls")
def register_theme_report_urls():
    return [
        path(
            "reports/ressources-par-theme/",
            ThemeReportView.as_view(),
            name="knowledge_theme_report",
        ),
        path(
            "reports/ressources-par-theme/results/",
            ThemeReportView.as_view(results_only=True),
            name="knowledge_theme_report_results",
        ),
    ]


class EditorsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("wagtailadmin.access_admin") and (
            request.user.is_superuser
            or request.user.groups.filter(name__in=["Éditeurs", "Modérateurs"]).exists()
        )


@hooks.register("register_reports_menu_item")
def register_theme_report_menu_item():
    return EditorsMenuItem(
        _("Ressources par thème"),
        reverse("knowledge_theme_report"),
        name="ressources-par-theme",
        icon_name="tag",
        order=150,
    )
