"""StreamField data migrations of the shared blocks (used by the apps' migrations).

`ImageToFigureOperation`: the project's own image block stored
{"image": id, "alt_text": ..., "decorative": ..., "caption": ...}; the figure block
(Wagtail's ImageBlock with a caption and a credit) stores
{"image": {"image": id, "alt_text": ..., "decorative": ...}, "caption": ...,
"credit": ...}. Applied by Wagtail's `MigrateStreamData` to the pages and to their
revisions, so drafts and history keep their images and text alternatives.
"""

from django.utils.deconstruct import deconstructible
from wagtail.blocks.migrations.operations import BaseBlockOperation


@deconstructible
class ImageToFigureOperation(BaseBlockOperation):
    def apply(self, block_value):
        if isinstance(block_value, int | None):  # An ImageChooserBlock's id.
            block_value = {"image": block_value}
        if isinstance(block_value.get("image"), dict):
            return block_value  # Already a figure.
        return {
            "image": {
                "image": block_value.get("image"),
                "decorative": bool(block_value.get("decorative")),
                "alt_text": block_value.get("alt_text") or "",
            },
            "caption": block_value.get("caption") or "",
            "credit": block_value.get("credit") or "",
        }

    @property
    def operation_name_fragment(self):
        return "image_to_figure"
