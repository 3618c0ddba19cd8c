from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AidConfig(AppConfig):
    name = "aid"
    verbose_name = _("Entraide")
    # What this app shows on shared pages (`retex.declarations`).
    home_sections = {"open_questions": "aid.home.open_questions"}
    home_cache_dependencies = {"open_questions": "aid.home.open_questions_dependencies"}
    collectivity_sections = {"aid": "aid.collectivity_story.collectivity_questions"}
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from aid import (
            personal_data,  # noqa: F401 (its export provider)
            signals,
        )

        signals.connect()

        declare_cache_dependencies()


def declare_cache_dependencies() -> None:
    """What a write of this app's rows changes on cached pages
    (`retex.page_cache.invalidation`)."""
    from retex.page_cache import declare, declare_invisible

    # Threads are read on pages never page-cached (`/entraide/` is a view that
    # does not opt in), but the home page shows the latest open questions,
    # their answer counts and public threads (`aid.home`): a question or an
    # answer that appears, disappears or changes status or title changes it.
    # The home page depends on `aid:questions` (`home_cache_dependencies`).
    declare(
        "aid.question",
        lambda question: ("aid:questions",),
        bookkeeping=("consent", "knowledge_page", "updated_at"),
    )
    declare(
        "aid.answer",
        lambda answer: ("aid:questions",),
        bookkeeping=("body", "edited_at", "consent", "is_solution"),
    )
    # Marks, reports, solicitations, themes of a question: never on a cached page.
    declare_invisible("aid")
