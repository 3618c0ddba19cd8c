from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetexConfig(AppConfig):
    name = "retex"
    verbose_name = _("Site")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from retex import page_cache

        page_cache.connect_signals()
