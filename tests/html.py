import re
from html import unescape


def visible_text(html: str) -> str:
    """The text a person reads: tags dropped, entities decoded, spaces folded
    (including the narrow no-break spaces French number formatting uses)."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    text = unescape(re.sub(r"<[^>]+>", " ", text))
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())
