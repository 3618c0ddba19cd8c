"""Panels of the admin's dashboard, one shape for every app.

Each app registers its own panel with Wagtail's `construct_homepage_panels` hook
(in its wagtail_hooks.py) and builds it with `SummaryPanel`: a title, a few rows
(what, a link, a figure), what to say when there is nothing, and a link to the
full list. The core knows nothing of the apps (docs/architecture.md)."""

from dataclasses import dataclass

from wagtail.admin.ui.components import Component


@dataclass(frozen=True)
class Row:
    label: str
    url: str | None = None
    figure: str = ""
    detail: str = ""


class SummaryPanel(Component):
    template_name = "retex/admin/summary_panel.html"

    def __init__(
        self,
        *,
        name: str,
        title: str,
        rows: list[Row],
        empty_text: str,
        figure_heading: str = "",
        more_url: str | None = None,
        more_label: str = "",
        order: int = 200,
    ):
        self.name = name
        self.title = title
        self.rows = rows
        self.empty_text = empty_text
        self.figure_heading = figure_heading
        self.more_url = more_url
        self.more_label = more_label
        self.order = order

    def get_context_data(self, parent_context=None):
        return {"panel": self}
