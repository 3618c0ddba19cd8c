from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LetterConfig(AppConfig):
    name = "letter"
    verbose_name = _("Lettre du réseau")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from letter import personal_data  # noqa: F401 (its export provider)
        from letter.subscriptions import register

        register()
