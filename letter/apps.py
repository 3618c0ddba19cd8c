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
        declare_cache_dependencies()


def declare_cache_dependencies() -> None:
    """What a write of this app's rows changes on cached pages
    (`retex.page_cache.invalidation`): subscribers and deliveries are never
    shown on a page (a visitor subscribing must not empty the page cache);
    the letters themselves are pages."""
    from retex.page_cache import declare_invisible

    declare_invisible("letter.subscriber", "letter.delivery")
