"""Attendance certificates (attestations de présence)."""

import secrets

# No 0/O or 1/I/L: the code is typed back from paper.
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_certificate_code() -> str:
    """A verification code printed on the certificate, e.g. "K7QM-2XRT-P9WD"."""
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))
