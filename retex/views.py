import sys

from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse
from django.template import loader
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET

from retex.links import absolute_url


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /mon-espace/",
        f"Sitemap: {absolute_url(reverse('sitemap'))}",
    ]
    return HttpResponse(
        "\n".join(lines) + "\n", content_type="text/plain; charset=utf-8"
    )


def id_or_404(value) -> int:
    """A database id read from a URL or a form: a 404 for anything that is not
    one (not a number, zero, negative, beyond a 64-bit column)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < number < 2**63:
        raise Http404
    return number


def private(response):
    """`response`, which is this person's: never stored by a browser or a proxy."""
    response["Cache-Control"] = "private, no-store"
    return response


# Errors that mean "the database cannot be reached now" (down, restarting, a
# broken connection, SQLite's file locked too long), not a bug in a query.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


@requires_csrf_token
def server_error(request):
    """Django's 500 handler, except while the database is unreachable: then a
    French 503 page with `Retry-After`, since waiting is the right answer.

    Both pages are rendered without context processors (they read the database)
    nor the request. Anonymous visitors' cached pages are still served during a
    database outage: the page cache answers before anything reads it.
    """
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_UNAVAILABLE):
        template, status = loader.get_template("503.html"), 503
    else:
        template, status = loader.get_template("500.html"), 500
    response = HttpResponse(template.render(), status=status)
    if status == 503:
        response["Retry-After"] = "30"
    return response
