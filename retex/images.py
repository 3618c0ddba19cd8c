"""Images, shown one way everywhere: `{% responsive_image %}` (retex_images tags).

An image is drawn in one of a few styles (a page's illustration, a figure of a
body, a card, a portrait, a logo). A style says which renditions exist: a few
widths, each in AVIF and WebP with a JPEG (PNG for logos, which keep their
transparency) fallback, and the `sizes` the layout gives it. The tag renders a
`<picture>`: one `<source>` per modern format, then an `<img>` with `srcset`,
`sizes`, `width` and `height` (nothing jumps while it loads) and the text
alternative. Images are lazy-loaded, except the one that is the page's largest
above the fold (`priority=True`): eager, with `fetchpriority="high"`.

The text alternative rule, for fields as for body blocks: an image needs one unless
it is marked decorative, and a decorative image has `alt=""`
(`check_alternative`).

Renditions are made on the first view of a page; `prepare_renditions` makes those
of every image the site shows ahead of time (`manage.py prepare_renditions`, run by
`make run` after the demo content), so no visitor pays for them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ImageStyle:
    """How one kind of image is cut and which renditions the browser may pick.

    `operation` is a Wagtail filter with `{w}` (and `{h}`, from `ratio` = height /
    width) for each width; Wagtail never enlarges an image, so an original smaller
    than a width gives fewer renditions (duplicates are dropped).
    """

    operation: str
    widths: tuple[int, ...]
    sizes: str
    ratio: float | None = None
    formats: tuple[str, ...] = ("avif", "webp", "jpeg")

    def filter_specs(self) -> list[str]:
        specs = []
        for fmt in self.formats:
            for width in self.widths:
                height = round(width * self.ratio) if self.ratio else width
                operation = self.operation.format(w=width, h=height)
                specs.append(f"{operation}|format-{fmt}")
        return specs


# The layout's widths: the page is at most 72rem wide, prose 42rem (retex.css).
STYLES = {
    # A page's illustration or an event's visual, as wide as the reading column
    # (fill: cut around the image's focal point).
    "hero": ImageStyle(
        "fill-{w}x{h}",
        (640, 960, 1280),
        "(min-width: 45rem) 42rem, calc(100vw - 2.5rem)",
        ratio=0.5,
    ),
    # An image of a body (StreamField), at most the prose's width.
    "figure": ImageStyle(
        "max-{w}x{h}",
        (480, 800, 1200),
        "(min-width: 45rem) 42rem, calc(100vw - 2.5rem)",
        ratio=0.75,
    ),
    # A listing card's thumbnail.
    "card": ImageStyle(
        "fill-{w}x{h}",
        (400, 800),
        "(min-width: 48rem) 22rem, calc(100vw - 2.5rem)",
        ratio=0.5,
    ),
    # A person's face, square, cut around the focal point.
    "portrait": ImageStyle("fill-{w}x{h}-c75", (96, 192), "6rem", ratio=1),
    # A logo or coat of arms, whole, on a transparent background.
    "logo": ImageStyle(
        "max-{w}x{h}", (80, 160, 320), "10rem", ratio=1, formats=("avif", "webp", "png")
    ),
}


def picture_html(image, style, *, alt="", sizes=None, priority=False, css_class=""):
    """The `<picture>` of image in a style of STYLES, or "" without an image.

    `alt` is the text alternative ("" for a decorative image, which is also what a
    missing one gives: never the file's title). An image whose file is missing
    renders nothing rather than breaking the page.
    """
    if not image:
        return ""
    image_style = STYLES[style]
    try:
        renditions = image.get_renditions(*image_style.filter_specs())
    except OSError:  # Wagtail's SourceImageIOError: the file is missing.
        return ""
    from wagtail.images.models import Picture

    attrs = {
        "alt": alt or "",
        "sizes": sizes or image_style.sizes,
        "decoding": "async",
    }
    if priority:
        attrs.update(loading="eager", fetchpriority="high")
    else:
        attrs["loading"] = "lazy"
    if css_class:
        attrs["class"] = css_class
    return mark_safe(str(Picture(_distinct_widths(renditions), attrs)))  # noqa: S308 - Wagtail escapes the attributes


def _distinct_widths(renditions):
    """The renditions without those of a format that repeat a width (an original
    smaller than the wider specs gives the same rendition size several times)."""
    kept, seen = {}, set()
    for spec, rendition in renditions.items():
        fmt = spec.rsplit("format-", 1)[-1]
        if (fmt, rendition.width) not in seen:
            seen.add((fmt, rendition.width))
            kept[spec] = rendition
    return kept


def renditions_prefetch(lookup, *styles):
    """For a listing: the renditions of the images at `lookup` (an image foreign
    key, e.g. "hero_image") in these styles, fetched in one query for all items."""
    from django.db.models import Prefetch
    from wagtail.images import get_image_model

    specs = [spec for style in styles for spec in _specs(style)]
    renditions = get_image_model().get_rendition_model().objects
    return Prefetch(
        f"{lookup}__renditions",
        queryset=renditions.filter(filter_spec__in=specs),
        to_attr="prefetched_renditions",
    )


def alternative_text(image, alt, decorative):
    """The `alt` to render for an image field: "" when decorative."""
    return "" if decorative or not image else alt


def check_alternative(image, alt, decorative, *, alt_field):
    """Raise a form error on alt_field when an image has neither a text alternative
    nor the "decorative" mark (the rule of ImageBlock, for image fields)."""
    if image and not decorative and not (alt or "").strip():
        raise ValidationError(
            {
                alt_field: _(
                    "Décrivez l'image pour qui ne la voit pas, ou cochez "
                    "« Image décorative »."
                )
            }
        )


# --- Renditions made ahead -----------------------------------------------------------

# Renditions other than pictures: the share preview (includes/opengraph.html).
OTHER_SPECS = {"og": ("fill-1200x630",)}

# The image fields the site shows, with the styles each is shown in.
IMAGE_FIELDS = (
    ("knowledge.KnowledgePage", "hero_image", ("hero", "card", "og")),
    ("knowledge.Interviewee", "portrait", ("portrait",)),
    ("events.EventPage", "image", ("hero", "card")),
    ("members.CollectivityPage", "logo", ("logo",)),
)
# StreamFields whose image blocks are drawn in the "figure" style.
BODY_FIELDS = (
    ("retex.HomePage", "body"),
    ("retex.StandardPage", "body"),
    ("knowledge.KnowledgePage", "body"),
    ("events.EventPage", "body"),
)


def images_in_use():
    """{image id: set of styles} for every image a field or a body shows."""
    wanted: dict[int, set[str]] = {}
    for label, field_name, styles in IMAGE_FIELDS:
        model = apps.get_model(label)
        ids = model.objects.exclude(**{f"{field_name}__isnull": True})
        for image_id in ids.values_list(f"{field_name}_id", flat=True).distinct():
            wanted.setdefault(image_id, set()).update(styles)
    for label, field_name in BODY_FIELDS:
        model = apps.get_model(label)
        for stream in model.objects.values_list(field_name, flat=True):
            for image_id in _block_image_ids(stream.raw_data if stream else []):
                wanted.setdefault(image_id, set()).add("figure")
    return wanted


def _block_image_ids(raw_blocks):
    for block in raw_blocks:
        value = block.get("value")
        if block.get("type") == "image" and isinstance(value, dict):
            inner = value.get("image")
            image_id = inner.get("image") if isinstance(inner, dict) else inner
            if isinstance(image_id, int):
                yield image_id


def prepare_renditions(image_ids=None):
    """Make the renditions of the images in use (or of those ids) that are missing;
    return how many images were looked at. Existing renditions are reused."""
    from wagtail.images import get_image_model

    wanted = images_in_use()
    if image_ids is not None:
        wanted = {pk: styles for pk, styles in wanted.items() if pk in set(image_ids)}
    images = get_image_model().objects.filter(pk__in=wanted)
    count = 0
    for image in images.prefetch_related("renditions"):
        specs = [spec for style in sorted(wanted[image.pk]) for spec in _specs(style)]
        try:
            image.get_renditions(*specs)
        except OSError:  # Wagtail's SourceImageIOError: the file is missing.
            continue
        count += 1
    return count


def _specs(style):
    if style in OTHER_SPECS:
        return list(OTHER_SPECS[style])
    return STYLES[style].filter_specs()
