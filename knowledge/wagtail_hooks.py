from django.contrib.auth.views import redirect_to_login
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from knowledge.document_access import PRIVATE, document_audience, may_download
from knowledge.reports import ThemeReportView


@hooks.register("before_serve_document")
def serve_members_only_documents_to_members(document, request):
    """Members-only and private documents (`knowledge/document_access.py`): a
    login prompt for anonymous visitors, a 403 page for other people (saying
    that a private document is not published, rather than for members).

    Runs before Wagtail's own collection privacy check (our apps come first in
    INSTALLED_APPS), which still applies afterwards.
    """
    if may_download(document, request.user):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    response = TemplateResponse(
        request,
        "knowledge/document_restricted.html",
        {"unpublished": document_audience(document) == PRIVATE},
        status=403,
    )
    response["Cache-Control"] = "private, no-store"
    return response


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
