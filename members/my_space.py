"""Sections other apps add to `/mon-espace/` (e.g. "Mes inscriptions")."""

from collections.abc import Callable

# Each provider takes the request and returns None or
# {"template": "...", "context": {...}}; it must only show the person's own data.
SECTION_PROVIDERS: list[Callable] = []


def my_space_section(function):
    SECTION_PROVIDERS.append(function)
    return function


def my_space_sections(request) -> list[dict]:
    sections = (provider(request) for provider in SECTION_PROVIDERS)
    return [section for section in sections if section]
