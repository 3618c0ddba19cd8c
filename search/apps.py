from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Recherche")
    default_auto_field = "django.db.models.BigAutoField"
    # What other apps may ask without importing this one (`retex.search_port`).
    search_services = {
        "search": "search.service.search",
        "page_entries": "search.service.page_entries",
    }

    def ready(self):
        from retex.page_cache import declare_invisible
        from search import signals  # noqa: F401

        # Search documents and statistics: search is never page-cached.
        declare_invisible("search")
