"""What installed apps declare to the core in their AppConfig.

The core (`retex`) never imports an app: an app that contributes to a shared
page names its functions as dotted paths on its AppConfig, and the core
finds them here, in INSTALLED_APPS order. For example, in `events/apps.py`::

    home_sections = {"upcoming_events": "events.selectors.events_upcoming"}

Attributes in use: `home_sections` (the home page: `fn(*, user)`),
`collectivity_sections` (a collectivity's page: `fn(collectivity, *, user)`),
`collectivity_cache_dependencies` (the page-cache tags a collectivity's page
also depends on for those sections: `fn(collectivity)` → tags),
`home_cache_dependencies` (the same for the home page's sections, by section
name: `fn()` → tags; a section without one makes the home page depend on every
write),
`search_services` (the search engine for apps it indexes: `retex.search_port`).
"""

from collections.abc import Callable
from functools import cache

from django.apps import apps
from django.utils.module_loading import import_string


@cache
def declared(attribute: str) -> dict[str, Callable]:
    """Every app's `attribute` mapping, merged, with the dotted paths imported."""
    found: dict[str, Callable] = {}
    for config in apps.get_app_configs():
        for name, dotted in getattr(config, attribute, {}).items():
            if name in found:
                raise ValueError(f"{config.label} declares {attribute}[{name!r}] again")
            found[name] = import_string(dotted)
    return found
