from django.urls import reverse
from django.utils.translation import gettext as _


def site_navigation(request):
    """The main menu. Its sections are contract URLs (see README), not editable
    pages, so it keeps working whatever editors do to the page tree."""
    path = request.path
    items = []
    for url, label in [
        ("/", _("Accueil")),
        ("/ressources/", _("Ressources")),
        ("/membres/", _("Membres")),
        ("/evenements/", _("Agenda")),
        (reverse("search"), _("Recherche")),
    ]:
        current = path == url if url == "/" else path.startswith(url)
        items.append({"url": url, "label": label, "current": current})
    return {"main_navigation": items}
