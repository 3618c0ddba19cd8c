"""What the home page shows: the sections apps declare (`retex.declarations`)."""

from retex.declarations import declared


def home_sections(*, user) -> dict:
    return {
        name: section(user=user) for name, section in declared("home_sections").items()
    }
