"""Demo member collectivities and people for `seed_demo`: real places, invented people.

The content is in `retex/demo_data/collectivities.yaml` and `people.yaml`; this
module turns their records into pages, accounts and affiliations.

Collectivities are real: each names its territory in the administrative referential
(INSEE code of a commune, department or region; SIREN of an EPCI), and its official
figures (codes, population, department, region, member communes) come from there
when `load_territories` has been run. Without the referential, the figures written
here (copied from it) are used instead. Websites and email domains are the real
ones; presentations, themes, dates and every person are invented.

People are demo accounts with a verified address, attached to their collectivity
without any notification (rows written directly, then the "Membres" group and the
representatives' permissions synchronised). With `DEBUG` on they all share one
demo password, generated once into `VAR_DIR/demo_users_password`; with `DEBUG` off
new accounts get an unusable password.

Idempotent like the rest of `seed_demo` (see `retex/demo.py`): pages are looked up
by slug, people by email address, and rows are only written when they differ.
"""

import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.core.management.base import CommandError
from django.utils import timezone

from members.affiliation import sync_member_group
from members.models import (
    OPEN_AFFILIATION_STATUSES,
    Affiliation,
    AffiliationRole,
    AffiliationStatus,
    CollectivityKind,
    CollectivityPage,
    MembershipStatus,
    PersonStatus,
    User,
)
from members.permissions import representatives_group, sync_representative_permissions
from members.referential import profile_values
from members.territories import Region
from retex.demo import load_demo_data, resolve, upsert_page
from retex.demo_images import demo_coat_of_arms
from retex.models import Theme
from territories.models import Region as TerritoryRegion

# --- Member collectivities ---------------------------------------------------------
# "territory" is the collectivity in the referential (`territories` app): kind and
# code. The official figures beside it (kind, siren, insee_code, region,
# department, population, commune_count) are the referential's, used when it is not
# loaded. "contacts" are contacts who have no demo account; people flagged
# "contact" come first.

COLLECTIVITIES_SCHEMA = {
    "collectivities": [
        {
            "slug": str,
            "title": str,
            "territory?": {"kind": str, "code": str},
            "kind": CollectivityKind,
            "siren?": str,
            "insee_code?": str,
            "region": Region,
            "department?": str,
            "population?": int,
            "commune_count?": int,
            "website": str,
            "email_domains": [str],
            "presentation": str,
            "themes": [str],
            "roadmap_date?": date,
            "membership_status": MembershipStatus,
            "member_since?": date,
            "contacts?": [{"name": str, "function": str, "email": str, "phone": str}],
        }
    ],
}

# --- People ------------------------------------------------------------------------
# Invented people. Approved people with an address at their collectivity's domain
# were attached automatically; those with a personal address (example.org) were
# approved by the association. Exactly one request is waiting for a decision
# ("affiliation": pending, dated "requested_days_ago" days before today).
# "example_login" is printed by `seed_demo` as an example login (DEBUG only).

PEOPLE_SCHEMA = {
    "example_login": str,
    "people": [
        {
            "email": str,
            "first_name": str,
            "last_name": str,
            "status": PersonStatus,
            "function": str,
            "phone": str,
            "collectivity": str,
            "role?": AffiliationRole,
            "contact?": bool,
            "affiliation?": AffiliationStatus,
            "message?": str,
            "joined?": date,
            "requested_days_ago?": int,
        }
    ],
}

REPRESENTATIVE = AffiliationRole.REPRESENTATIVE
MEMBER = AffiliationRole.MEMBER

PASSWORD_FILE_NAME = "demo_users_password"  # noqa: S105 (a file name)


# --- Collectivities ----------------------------------------------------------------


def load_collectivities():
    return load_demo_data("collectivities", COLLECTIVITIES_SCHEMA)["collectivities"]


def load_people():
    return load_demo_data("people", PEOPLE_SCHEMA)


def referential_loaded() -> bool:
    """Whether `load_territories` has been run on this database."""
    return TerritoryRegion.objects.exists()


def official_values(data, *, use_referential):
    """Identity fields: the referential's when it knows the territory, else ours."""
    values = {
        "kind": data["kind"],
        "siren": data.get("siren", ""),
        "insee_code": data.get("insee_code", ""),
        "region": data["region"],
        "department": data.get("department", ""),
        "population": data.get("population"),
        "commune_count": data.get("commune_count"),
        "member_communes": "",
    }
    territory = data.get("territory")
    if use_referential and territory:
        found = profile_values(territory["kind"], territory["code"])
        if found is not None:
            found.pop("title")  # Ours reads better: "Ville de ...", "Département de".
            values.update(found)
    return values


def person_contact(person):
    return {
        "name": f"{person['first_name']} {person['last_name']}",
        "function": person["function"],
        "email": person["email"],
        "phone": person["phone"],
    }


def is_contact(person):
    return person.get("contact", person.get("role") == REPRESENTATIVE)


def collectivity_values(data, *, people, themes, use_referential):
    people_contacts = [
        person_contact(person)
        for person in people
        if person["collectivity"] == data["slug"] and is_contact(person)
    ]
    theme_list = resolve(themes, data["themes"], "theme")
    return {
        "title": data["title"],
        **official_values(data, use_referential=use_referential),
        "website": data["website"],
        "logo": demo_coat_of_arms(data["title"]),
        "presentation": data["presentation"],
        "roadmap_adopted": data.get("roadmap_date") is not None,
        "roadmap_date": data.get("roadmap_date"),
        "themes": theme_list,
        "email_domains": "\n".join(data["email_domains"]),
        "membership_status": data["membership_status"],
        "member_since": data.get("member_since"),
        "contacts": [*people_contacts, *data.get("contacts", ())],
    }


def seed_collectivities(index, stats):
    """Create or update the member profiles; return them by slug."""
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    use_referential = referential_loaded()
    people = load_people()["people"]
    pages = {}
    for data in load_collectivities():
        values = collectivity_values(
            data, people=people, themes=themes, use_referential=use_referential
        )
        pages[data["slug"]] = upsert_page(
            index, CollectivityPage, data["slug"], values, stats
        )
    return pages


# --- People ------------------------------------------------------------------------


@dataclass
class DemoLogin:
    """How to log in as a demo person, printed by `seed_demo` (DEBUG only)."""

    password_file: Path
    email: str


def demo_password() -> tuple[str, Path]:
    """The demo people's password, generated once and kept under `VAR_DIR`.

    Not a secret worth the name (a local demo), but never committed either.
    """
    password_file = Path(settings.VAR_DIR) / PASSWORD_FILE_NAME
    if password_file.exists():
        password = password_file.read_text(encoding="utf-8").strip()
        if password:
            return password, password_file
    password = secrets.token_urlsafe(12)
    password_file.parent.mkdir(parents=True, exist_ok=True)
    password_file.write_text(password, encoding="utf-8")
    password_file.chmod(0o600)
    return password, password_file


def shared_password_hash(password, users) -> str:
    """One hash of the demo password, shared by every demo account.

    Hashing is slow on purpose (a few tenths of a second), so checking each
    account's password on every run would cost seconds. Every demo account gets
    the same encoded hash instead: an existing one is reused when it is still
    that of the demo password (checked once), so a rerun writes nothing.
    """
    hashes = Counter(user.password for user in users if user.has_usable_password())
    for encoded, _count in hashes.most_common():
        try:
            hasher = identify_hasher(encoded)
        except ValueError:
            continue
        if not hasher.must_update(encoded) and check_password(password, encoded):
            return encoded
    return make_password(password)


def _aware(day, hour=9, minute=30):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _joined(person):
    """When the person asked to join: a date, or a few days ago for a pending one."""
    if "joined" in person:
        return person["joined"]
    return timezone.localdate() - timedelta(days=person["requested_days_ago"])


def _upsert_user(person, user, password_hash, stats):
    values = {
        "first_name": person["first_name"],
        "last_name": person["last_name"],
        "status": person["status"],
        "function_title": person["function"],
        "phone": person["phone"],
        "is_active": True,
    }
    if user is None:
        user = User(
            email=person["email"], date_joined=_aware(_joined(person), 9, 0), **values
        )
        # Without DEBUG, nobody gets a known password: an unusable one instead.
        user.password = password_hash or make_password(None)
        user.save()
        stats.count(User, "created")
        return user
    changed = False
    for name, value in values.items():
        if getattr(user, name) != value:
            setattr(user, name, value)
            changed = True
    if password_hash and user.password != password_hash:
        user.password = password_hash
        changed = True
    if changed:
        user.save()
        stats.count(User, "updated")
    else:
        stats.count(User, "unchanged")
    return user


def _upsert_email_address(user, addresses, stats):
    """A verified, primary address: allauth lets nobody in without one."""
    address = next(
        (a for a in addresses if a.email.lower() == user.email.lower()), None
    )
    if address is not None and address.verified and address.primary:
        stats.count(EmailAddress, "unchanged")
        return
    others = EmailAddress.objects.filter(user=user, primary=True)
    if address is None:
        others.update(primary=False)
        EmailAddress.objects.create(
            user=user, email=user.email, verified=True, primary=True
        )
        stats.count(EmailAddress, "created")
        return
    others.exclude(pk=address.pk).update(primary=False)
    address.verified = address.primary = True
    address.save(update_fields=["verified", "primary"])
    stats.count(EmailAddress, "updated")


def _upsert_affiliation(person, user, collectivity, current, stats):
    """The person's open affiliation, written directly: nobody is notified."""
    status = person.get("affiliation", AffiliationStatus.APPROVED)
    role = person.get("role", MEMBER)
    message = person.get("message", "")
    now = timezone.now()
    if current is not None and current.collectivity_id != collectivity.pk:
        # Attached elsewhere since (in the demo): back to the demo's collectivity.
        current.status = AffiliationStatus.ENDED
        current.decided_at = now
        current.save(update_fields=["status", "decided_at"])
        current = None
    if current is None:
        affiliation = Affiliation.objects.create(
            user=user,
            collectivity=collectivity,
            status=status,
            role=role,
            message=message,
        )
        # `requested_at` is set on creation (auto_now_add): date it afterwards.
        if status == AffiliationStatus.PENDING:
            requested = _aware(_joined(person), 10, 15)
            decided = None
        else:
            requested = _aware(person["joined"])
            automatic = person["email"].rsplit("@", 1)[1] in (
                collectivity.email_domain_list
            )
            decided = requested if automatic else requested + timedelta(days=1)
        Affiliation.objects.filter(pk=affiliation.pk).update(
            requested_at=requested, decided_at=decided
        )
        stats.count(Affiliation, "created")
        return
    changed = False
    for name, value in (("status", status), ("role", role), ("message", message)):
        if getattr(current, name) != value:
            setattr(current, name, value)
            changed = True
    if changed:
        if status == AffiliationStatus.PENDING:
            current.decided_at = current.decided_by = None
        elif current.decided_at is None:
            current.decided_at = now
        current.save()
        stats.count(Affiliation, "updated")
    else:
        stats.count(Affiliation, "unchanged")


def seed_people(stats, *, with_passwords=None):
    """Create or update the demo people, their addresses and affiliations.

    With passwords (by default when DEBUG is on), every demo account gets the demo
    password and a `DemoLogin` is returned; otherwise new accounts get an unusable
    password, existing ones keep theirs, and None is returned.
    """
    if with_passwords is None:
        with_passwords = settings.DEBUG
    data = load_people()
    people = data["people"]
    collectivities = {
        page.slug: page
        for page in CollectivityPage.objects.filter(
            slug__in={person["collectivity"] for person in people}
        )
    }
    emails = [person["email"] for person in people]
    users = {user.email: user for user in User.objects.filter(email__in=emails)}

    login = None
    password_hash = None
    if with_passwords:
        password, password_file = demo_password()
        password_hash = shared_password_hash(password, users.values())
        login = DemoLogin(password_file=password_file, email=data["example_login"])

    addresses = {}
    for address in EmailAddress.objects.filter(user__in=users.values()):
        addresses.setdefault(address.user_id, []).append(address)
    open_affiliations = {
        affiliation.user_id: affiliation
        for affiliation in Affiliation.objects.filter(
            user__in=users.values(), status__in=OPEN_AFFILIATION_STATUSES
        )
    }

    seeded = []
    for person in people:
        collectivity = collectivities.get(person["collectivity"])
        if collectivity is None:
            raise CommandError(
                f"No collectivity with the slug {person['collectivity']!r}: seed "
                "the collectivities first."
            )
        user = _upsert_user(person, users.get(person["email"]), password_hash, stats)
        _upsert_email_address(user, addresses.get(user.pk, []), stats)
        _upsert_affiliation(
            person, user, collectivity, open_affiliations.get(user.pk), stats
        )
        seeded.append(user)

    # Derived state, recomputed from the affiliations (both only write what differs).
    for collectivity in collectivities.values():
        has_representatives = any(
            person.get("role") == REPRESENTATIVE
            for person in people
            if person["collectivity"] == collectivity.slug
        )
        if has_representatives or representatives_group(collectivity) is not None:
            sync_representative_permissions(collectivity)
    for user in seeded:
        sync_member_group(user)
    return login
