"""The site's URLs plus its uploaded images, for browser tests that look at
pictures (screenshots, page weight): the development server's media route is
only mounted with DEBUG, and tests run without it. Documents stay out, as in
production (they are served by the site, checked against their pages)."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from project.urls import urlpatterns as site_urlpatterns


def media(request, path):
    # MEDIA_ROOT is read at each request: every test has its own.
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [
    re_path(r"^media/(?!documents/)(?P<path>.*)$", media),
    *site_urlpatterns,
]
