"""Create or reuse the local demo administrator and print how to log in.

The password is generated once and kept under `var/` (git-ignored): a laptop gets
a stable login, and no password, demo or not, is ever committed.
"""

import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

DEMO_ADMIN_EMAIL = "admin@retex.localhost"


class Command(BaseCommand):
    help = (
        "Create or reuse the local demo administrator (DEBUG only) and print its login."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_admin is for local use only (DEBUG=1).")
        password_file = settings.VAR_DIR / "demo_admin_password"
        if password_file.exists():
            password = password_file.read_text(encoding="utf-8").strip()
        else:
            password = secrets.token_urlsafe(12)
            settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
            password_file.write_text(password, encoding="utf-8")
            password_file.chmod(0o600)

        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(
            email=DEMO_ADMIN_EMAIL,
            defaults={"first_name": "Admin", "last_name": "Démo"},
        )
        user.is_staff = user.is_superuser = user.is_active = True
        if created or not user.check_password(password):
            user.set_password(password)
        user.save()
        # allauth requires a verified address before letting anybody in.
        EmailAddress.objects.update_or_create(
            user=user,
            email=DEMO_ADMIN_EMAIL,
            defaults={"verified": True, "primary": True},
        )

        self.stdout.write(
            self.style.SUCCESS(
                f"Demo admin {'created' if created else 'ready'}: "
                f"{DEMO_ADMIN_EMAIL} / {password}"
            )
        )
        self.stdout.write(
            f"Site: {settings.BASE_URL}/  Admin: {settings.BASE_URL}/admin/"
        )
