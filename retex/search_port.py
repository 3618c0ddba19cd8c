"""The search engine as other apps use it, without importing the search app.

The search app indexes the other apps (it imports their models); an app that
also asks the engine something (the mutual-aid space's suggestions, saved
searches in digests) would close a cycle by importing it back. So the search
app declares its services in its AppConfig (`search_services`, read by
`retex.declarations`) and those apps call them here."""

from retex.declarations import declared


def search(**arguments):
    """`search.service.search`: one page of results as this person may see them
    (keyword arguments: text, user, filters, sort, page, exact)."""
    return declared("search_services")["search"](**arguments)


def page_entries(urls) -> list[tuple[int, str, str, str]]:
    """(page id, kind, title, URL) of the indexed pages at these URLs."""
    return declared("search_services")["page_entries"](urls)
