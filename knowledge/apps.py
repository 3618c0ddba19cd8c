from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "knowledge"
    verbose_name = _("Ressources")
    default_auto_field = "django.db.models.BigAutoField"
    # What this app shows on shared pages (`retex.declarations`).
    home_sections = {"latest_knowledge": "knowledge.selectors.knowledge_latest"}
    # What the home page's cached copy depends on for that section (`fn()` →
    # page-cache tags).
    home_cache_dependencies = {
        "latest_knowledge": "knowledge.selectors.knowledge_latest_dependencies"
    }

    def ready(self):
        # "Mes propositions" in Mon espace, and in the person's data export.
        from knowledge import my_space, personal_data, signals  # noqa: F401

        declare_cache_dependencies()


def declare_cache_dependencies() -> None:
    """What a write of this app's rows changes on cached pages
    (`retex.page_cache.invalidation`)."""
    from retex.page_cache import declare, declare_invisible

    def on_page(row):
        # Shown on its page and on listings of knowledge pages.
        return (f"page:{row.page_id}", "kind:knowledge.knowledgepage")

    declare("knowledge.knowledgepagedocument", on_page)
    declare("knowledge.interviewee", on_page)
    # Themes and collectivities of a page (modelcluster's through rows).
    declare(
        "knowledge.knowledgepage_themes",
        lambda row: (f"page:{row.knowledgepage_id}", "kind:knowledge.knowledgepage"),
    )
    declare(
        "knowledge.knowledgepage_related_collectivities",
        lambda row: (f"page:{row.knowledgepage_id}", "kind:knowledge.knowledgepage"),
    )
    # Text extracted from documents, for search only.
    declare_invisible("knowledge.documenttext")
    # Stored related content: its writer bumps the `related:<id>` of the pages
    # whose choice changed (`knowledge.related`).
    declare_invisible("knowledge.relatedpage", "knowledge.relatedselection")
    # Who proposed a practice: shown in Mon espace only, never cached.
    declare_invisible("knowledge.practiceproposal")
