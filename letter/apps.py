from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LetterConfig(AppConfig):
    name = "letter"
    verbose_name = _("Lettre du réseau")
    default_auto_field = "django.db.models.BigAutoField"
