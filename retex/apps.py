from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetexConfig(AppConfig):
    name = "retex"
    verbose_name = _("Site")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from retex import page_cache
        from retex.links import sync_default_site

        page_cache.connect_signals()
        # Wagtail's default Site record follows BASE_URL after every `migrate`.
        post_migrate.connect(
            sync_default_site, sender=self, dispatch_uid="retex_sync_default_site"
        )
