import re
from html import unescape

_INLINE = r"a|abbr|b|code|em|i|mark|small|span|strong|sub|sup|time"


def visible_text(html: str) -> str:
    """The text a person reads: tags dropped (inline ones without adding a space),
    entities decoded, spaces folded (including the narrow no-break spaces of
    French number formatting)."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    text = re.sub(rf"</?(?:{_INLINE})\b[^>]*>", "", text)
    text = unescape(re.sub(r"<[^>]+>", " ", text))
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())
