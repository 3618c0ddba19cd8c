"""Demo images, drawn by the project at load time (`seed_demo`): nothing is
downloaded, nothing is hotlinked, and the project may ship them (CC0, see
`retex/demo_data/README.md`).

- `illustration`: an abstract composition in the site's colours (a page's
  illustration, an event's visual), decorative: it says nothing a reader needs;
- `portrait`: a monogram on a coloured disc, for the people interviewed;
- `coat_of_arms`: a shield with the collectivity's initials, on a transparent
  background, for a collectivity's logo.

Each is drawn from its key (a slug, a name), so the same key always gives the same
picture. `demo_image` stores it as a Wagtail image once, under a fixed title, and
finds it again on the next run: running the loader twice adds no image.
"""

import hashlib
import io
import itertools
import random

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageChops, ImageDraw, ImageFont
from wagtail.images import get_image_model

# The site's palette (site/static/css/retex.css).
BRAND = "#0b4f6c"
BRAND_DARK = "#073447"
BRAND_TINT = "#e6f0f4"
ACCENT = "#f4b942"
SURFACE_ALT = "#f3f6f8"
# Extra hues for variety, kept dark enough for white initials (contrast > 4.5:1).
DEEP = ["#0b4f6c", "#073447", "#1d5c4a", "#5b3a72", "#8a3b12", "#2f4858"]
LIGHT = ["#e6f0f4", "#f3f6f8", "#fbe8c4", "#dcefe7", "#eee4f4"]

TITLE_PREFIX = "Démo"
CREDIT = "Illustration générée par Retex (CC0)"


def _rng(key: str) -> random.Random:
    seed = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big")
    return random.Random(seed)  # noqa: S311 - a picture, not a secret


def initials(name: str, letters: int = 2) -> str:
    skip = {"de", "du", "des", "la", "le", "les", "d", "l", "et", "sur", "en"}
    words = [w for w in name.replace("'", " ").replace("-", " ").split() if w]
    kept = [w for w in words if w.lower() not in skip] or words
    return "".join(w[0].upper() for w in kept[:letters]) or "?"


def illustration(key: str, size=(1280, 640)) -> PILImage.Image:
    """Overlapping circles and bands on a light ground, in the theme colours."""
    rng = _rng(key)
    width, height = size
    image = PILImage.new("RGB", size, rng.choice(LIGHT))
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randint(3, 5)):  # Diagonal bands.
        x = rng.randint(-width // 2, width)
        band = rng.randint(width // 12, width // 5)
        draw.polygon(
            [(x, height), (x + band, height), (x + band + height, 0), (x + height, 0)],
            fill=rng.choice(LIGHT),
        )
    for _ in range(rng.randint(4, 7)):  # Discs, some of them rings.
        radius = rng.randint(height // 8, height // 2)
        cx, cy = rng.randint(0, width), rng.randint(0, height)
        box = (cx - radius, cy - radius, cx + radius, cy + radius)
        colour = rng.choice([*DEEP[:3], ACCENT, ACCENT])
        if rng.random() < 0.35:
            draw.ellipse(box, outline=colour, width=max(6, radius // 6))
        else:
            draw.ellipse(box, fill=colour)
    # A network of dots and lines, like the logo.
    points = [
        (rng.randint(width // 10, width - width // 10), rng.randint(40, height - 40))
        for _ in range(6)
    ]
    for a, b in itertools.pairwise(points):
        draw.line([a, b], fill=BRAND_DARK, width=5)
    for x, y in points:
        draw.ellipse((x - 14, y - 14, x + 14, y + 14), fill=BRAND_DARK)
    return image


def portrait(name: str, size=384) -> PILImage.Image:
    """A monogram: the person's initials, white on a coloured disc."""
    rng = _rng(name)
    image = PILImage.new("RGB", (size, size), rng.choice(LIGHT))
    draw = ImageDraw.Draw(image)
    margin = size // 12
    draw.ellipse((margin, margin, size - margin, size - margin), fill=rng.choice(DEEP))
    font = ImageFont.load_default(size=size // 3)
    draw.text(
        (size / 2, size / 2), initials(name), fill="white", font=font, anchor="mm"
    )
    return image


def coat_of_arms(name: str, size=320) -> PILImage.Image:
    """A shield, parted in two colours with a band, the initials in its chief."""
    rng = _rng(name)
    image = PILImage.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    left, right, top = size * 0.12, size * 0.88, size * 0.06
    middle, bottom = size * 0.55, size * 0.95
    shield = [
        (left, top),
        (right, top),
        (right, middle),
        (size / 2, bottom),
        (left, middle),
    ]
    field, band = rng.sample(DEEP, 2)
    draw.polygon(shield, fill=field)
    # A pale (right half) or a bend, and a fess in the accent colour, clipped
    # to the shield.
    mask = PILImage.new("L", (size, size), 0)
    ImageDraw.Draw(mask).polygon(shield, fill=255)
    layer = PILImage.new("RGBA", (size, size), (0, 0, 0, 0))
    layer_draw = ImageDraw.Draw(layer)
    if rng.random() < 0.5:
        layer_draw.rectangle((size / 2, 0, size, size), fill=band)
    else:
        layer_draw.polygon(
            [(0, size * 0.3), (size, size * 0.8), (size, size)], fill=band
        )
    layer_draw.rectangle((0, size * 0.62, size, size * 0.7), fill=ACCENT)
    layer.putalpha(ImageChops.multiply(layer.getchannel("A"), mask))
    image = PILImage.alpha_composite(image, layer)
    draw = ImageDraw.Draw(image)
    draw.polygon(shield, outline=BRAND_DARK, width=max(4, size // 40))
    font = ImageFont.load_default(size=size // 5)
    draw.text(
        (size / 2, size * 0.34), initials(name, 3), fill="white", font=font, anchor="mm"
    )
    return image


def demo_image(kind: str, key: str, draw, *, focal=None, stats=None):
    """The Wagtail image titled "Démo · kind · key", drawn by draw(key) and
    stored the first time (PNG); the same image on every later run.

    `focal` is (x, y, width, height) as fractions of the picture, for images cut
    around a point of interest (a face).
    """
    Image = get_image_model()
    title = f"{TITLE_PREFIX} · {kind} · {key}"[:255]
    image = Image.objects.filter(title=title).order_by("pk").first()
    if image is not None:
        if stats is not None:
            stats.count(Image, "unchanged")
        return image
    picture = draw(key)
    buffer = io.BytesIO()
    picture.save(buffer, "PNG", optimize=True)
    slug = hashlib.sha256(key.encode()).hexdigest()[:12]
    image = Image(title=title, file=ImageFile(buffer, name=f"demo-{kind}-{slug}.png"))
    if focal:
        x, y, w, h = focal
        width, height = picture.size
        image.focal_point_x, image.focal_point_y = round(x * width), round(y * height)
        image.focal_point_width = round(w * width)
        image.focal_point_height = round(h * height)
    image.save()
    if stats is not None:
        stats.count(Image, "created")
    return image


def demo_illustration(key, stats=None):
    return demo_image("illustration", key, illustration, stats=stats)


def demo_portrait(name, stats=None):
    # The face (the disc) is in the middle: crops keep it.
    return demo_image(
        "portrait", name, portrait, focal=(0.5, 0.5, 0.7, 0.7), stats=stats
    )


def demo_coat_of_arms(name, stats=None):
    return demo_image("logo", name, coat_of_arms, stats=stats)
