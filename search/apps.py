from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Recherche")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from retex.page_cache import declare_invisible
        from search import signals  # noqa: F401

        # Search documents and statistics: search is never page-cached.
        declare_invisible("search")
