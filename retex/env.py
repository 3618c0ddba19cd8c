"""The one place that reads configuration from the environment.

Every setting that differs between a laptop and production comes through these
helpers, so that `README.md` can list them all and a typo in a value fails loudly
at start-up instead of silently falling back to a default.
"""

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip()


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be a boolean (1/0, true/false), not {value!r}"
    )


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be an integer, not {value!r}"
        ) from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = env_str(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def local_secret_key(var_dir: Path) -> str:
    """Return the development secret key, generating it once under `var/`.

    Only used when DEBUG is on: a laptop gets a stable, private key without anybody
    committing one, and production must provide its own `SECRET_KEY`.
    """
    path = var_dir / "secret_key"
    if path.exists():
        key = path.read_text(encoding="utf-8").strip()
        if key:
            return key
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    # Exclusive creation: two processes starting together keep the first key.
    try:
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(key)
        path.chmod(0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    return key
