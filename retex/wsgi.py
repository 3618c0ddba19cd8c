"""WSGI entry point: `gunicorn retex.wsgi` in production (see README)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "retex.settings")

application = get_wsgi_application()
