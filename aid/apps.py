from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AidConfig(AppConfig):
    name = "aid"
    verbose_name = _("Entraide")
    # What this app shows on shared pages (`retex.declarations`).
    collectivity_sections = {"aid": "aid.collectivity_story.collectivity_questions"}
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from aid import personal_data  # noqa: F401 (its export provider)
        from retex.page_cache import declare_invisible

        # Questions and answers are for members, on pages never page-cached
        # (`/entraide/` is a view that does not opt in): writing them makes no
        # stored page out of date.
        declare_invisible("aid")
