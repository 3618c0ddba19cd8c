from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkerConfig(AppConfig):
    name = "retex.worker"
    label = "retex_worker"
    verbose_name = _("Tâches de fond")
    default_auto_field = "django.db.models.BigAutoField"
