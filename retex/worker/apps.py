from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkerConfig(AppConfig):
    name = "retex.worker"
    label = "retex_worker"
    verbose_name = _("Tâches de fond")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from retex.page_cache import declare_invisible

        # Heartbeats and the record of emails sent (one row per email a task
        # sends): never on a page. Undeclared, every email sent after a
        # registration started a new page cache generation.
        declare_invisible("retex_worker")
