"""French regions by INSEE code (Code officiel géographique).

The full referential (communes, EPCI, departments) comes with `load_territories`;
regions are few and stable enough to be choices.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _


class Region(models.TextChoices):
    GUADELOUPE = "01", "Guadeloupe"
    MARTINIQUE = "02", "Martinique"
    GUYANE = "03", "Guyane"
    REUNION = "04", "La Réunion"
    MAYOTTE = "06", "Mayotte"
    ILE_DE_FRANCE = "11", "Île-de-France"
    CENTRE_VAL_DE_LOIRE = "24", "Centre-Val de Loire"
    BOURGOGNE_FRANCHE_COMTE = "27", "Bourgogne-Franche-Comté"
    NORMANDIE = "28", "Normandie"
    HAUTS_DE_FRANCE = "32", "Hauts-de-France"
    GRAND_EST = "44", "Grand Est"
    PAYS_DE_LA_LOIRE = "52", "Pays de la Loire"
    BRETAGNE = "53", "Bretagne"
    NOUVELLE_AQUITAINE = "75", "Nouvelle-Aquitaine"
    OCCITANIE = "76", "Occitanie"
    AUVERGNE_RHONE_ALPES = "84", "Auvergne-Rhône-Alpes"
    PACA = "93", "Provence-Alpes-Côte d'Azur"
    CORSE = "94", "Corse"


# Department (INSEE code) → region (INSEE code), from the Code officiel géographique.
DEPARTMENT_REGIONS = {
    **dict.fromkeys(
        ["01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74"], "84"
    ),
    **dict.fromkeys(["21", "25", "39", "58", "70", "71", "89", "90"], "27"),
    **dict.fromkeys(["22", "29", "35", "56"], "53"),
    **dict.fromkeys(["18", "28", "36", "37", "41", "45"], "24"),
    **dict.fromkeys(["2A", "2B"], "94"),
    **dict.fromkeys(["08", "10", "51", "52", "54", "55", "57", "67", "68", "88"], "44"),
    **dict.fromkeys(["02", "59", "60", "62", "80"], "32"),
    **dict.fromkeys(["75", "77", "78", "91", "92", "93", "94", "95"], "11"),
    **dict.fromkeys(["14", "27", "50", "61", "76"], "28"),
    **dict.fromkeys(
        ["16", "17", "19", "23", "24", "33", "40", "47", "64", "79", "86", "87"], "75"
    ),
    **dict.fromkeys(
        ["09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"],
        "76",
    ),
    **dict.fromkeys(["44", "49", "53", "72", "85"], "52"),
    **dict.fromkeys(["04", "05", "06", "13", "83", "84"], "93"),
    "971": "01",
    "972": "02",
    "973": "03",
    "974": "04",
    "976": "06",
}


def department_region(department_code: str) -> str | None:
    """The region a department belongs to, or None for an unknown code."""
    return DEPARTMENT_REGIONS.get(department_code.strip().upper())


# Mailboxes anybody can open: owning one of these proves nothing about where a
# person works, so they can never be a collectivity's domain.
PUBLIC_MAIL_DOMAINS = {
    "gmail.com", "googlemail.com", "yahoo.fr", "yahoo.com", "hotmail.fr",
    "hotmail.com", "outlook.fr", "outlook.com", "live.fr", "live.com", "msn.com",
    "orange.fr", "wanadoo.fr", "free.fr", "sfr.fr", "neuf.fr", "laposte.net",
    "bbox.fr", "icloud.com", "me.com", "gmx.fr", "gmx.com", "aol.com",
    "protonmail.com", "proton.me",
}  # fmt: skip

_DOMAIN = re.compile(
    r"^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$"
)


def clean_email_domains(text: str) -> list[str]:
    """Normalise a list of email domains (one per line or comma-separated).

    Raises a ValidationError naming every invalid or public-mailbox domain.
    """
    domains, errors = [], []
    for raw in re.split(r"[\s,;]+", text or ""):
        domain = raw.strip().lower().removeprefix("@")
        if not domain:
            continue
        if not _DOMAIN.match(domain):
            errors.append(
                _("« %(domain)s » n'est pas un nom de domaine valide.")
                % {"domain": raw}
            )
        elif domain in PUBLIC_MAIL_DOMAINS:
            errors.append(
                _(
                    "« %(domain)s » est une messagerie grand public : elle ne peut pas "
                    "servir à rattacher automatiquement des personnes."
                )
                % {"domain": domain}
            )
        elif domain not in domains:
            domains.append(domain)
    if errors:
        raise ValidationError(errors)
    return domains
