"""Joining a collectivity ("rattachement"): the rules, in one place.

Views, the admin, commands and tasks call these functions; each owns its
transaction and locks the rows it decides on, so a double submit or two
representatives clicking at once decide only once.

- A person with a verified address asks to join a collectivity. If the address's
  domain is one the collectivity owns, the request is approved at once;
  otherwise its representatives (or the association's staff) decide, and the
  person is told by email.
- A person whose verified address is at the domain of a member collectivity (an
  active, live one) is attached to it at once, when the address is verified or
  later when they sign in or open Mon espace (`attach_by_email_domain`); public
  mailboxes (gmail, orange…) never count, and an unverified address never does.
- Otherwise the person finds their collectivity by name, INSEE code or postcode
  (`collectivity_search`) and asks to join it.
- A person is a *member* while an approved affiliation ties them to an active
  member collectivity; the "Membres" group mirrors that so that Wagtail's view
  restrictions apply it everywhere, and is updated in the same transaction as
  any change that affects it: losing membership takes access away at once.
"""

import re

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.models import (
    OPEN_AFFILIATION_STATUSES,
    Affiliation,
    AffiliationRole,
    AffiliationStatus,
    CollectivityPage,
    MembershipStatus,
    User,
)
from members.territories import PUBLIC_MAIL_DOMAINS
from retex.tasks import enqueue_after_commit, send_email
from retex.visibility import MEMBERS_GROUP
from territories.text import normalize_name, with_article


class AffiliationError(Exception):
    """A request the rules refuse; its message is shown to the person (French)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


# --- Reads -------------------------------------------------------------------------


def verified_email(user: User) -> str | None:
    """The person's primary verified address, if any."""
    address = (
        EmailAddress.objects.filter(user=user, verified=True)
        .order_by("-primary")
        .values_list("email", flat=True)
        .first()
    )
    return address.lower() if address else None


def open_affiliation(user: User) -> Affiliation | None:
    return (
        Affiliation.objects.filter(user=user, status__in=OPEN_AFFILIATION_STATUSES)
        .select_related("collectivity")
        .first()
    )


def is_network_member(user: User) -> bool:
    """Whether this person is a member of the network: an approved affiliation to
    a live collectivity whose membership is active. The rule itself, read from the
    affiliations; staff are not members by being staff.

    What membership *gives* (registering to members-only events, the "Membres"
    group kept in step by `sync_member_group`) asks this. Who may *see*
    members-only content (members, and the association's staff who moderate it)
    is `retex.visibility.sees_members_content`.
    """
    if not user.is_authenticated:
        return False
    return Affiliation.objects.filter(
        user=user,
        status=AffiliationStatus.APPROVED,
        collectivity__live=True,
        collectivity__membership_status=MembershipStatus.ACTIVE,
    ).exists()


def represented_collectivities(user: User):
    """Collectivities this person represents (approved representative)."""
    return CollectivityPage.objects.filter(
        affiliations__user=user,
        affiliations__status=AffiliationStatus.APPROVED,
        affiliations__role=AffiliationRole.REPRESENTATIVE,
    )


def can_decide(user: User, collectivity: CollectivityPage) -> bool:
    """Whether this person may approve or refuse requests to join `collectivity`."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.has_perm("members.manage_membership"):
        return True
    return represented_collectivities(user).filter(pk=collectivity.pk).exists()


def pending_requests_for(user: User):
    """Requests waiting for this person's decision."""
    requests = Affiliation.objects.filter(status=AffiliationStatus.PENDING)
    if not (user.is_superuser or user.has_perm("members.manage_membership")):
        requests = requests.filter(
            collectivity__in=represented_collectivities(user).values("pk")
        )
    return requests.select_related("user", "collectivity").order_by("requested_at")


def collectivity_for_email(email: str | None) -> CollectivityPage | None:
    """The active member collectivity declaring this address's domain, if exactly
    one does (two collectivities declaring one domain decide nothing)."""
    if not email or "@" not in email:
        return None
    domain = email.rsplit("@", 1)[-1].strip().lower()
    if not domain or domain in PUBLIC_MAIL_DOMAINS:
        return None
    candidates = [
        page
        for page in CollectivityPage.objects.live()
        .filter(
            membership_status=MembershipStatus.ACTIVE,
            email_domains__icontains=domain,
        )
        .order_by("pk")
        if domain in page.email_domain_list
    ]
    return candidates[0] if len(candidates) == 1 else None


POSTCODE_RANK = 4


def collectivity_search(query: str, *, limit: int = 20) -> list[CollectivityPage]:
    """Live collectivities matching what a person typed: their name (every word,
    accents and case ignored, "St" for "Saint"), one of their member communes'
    names, their INSEE code or SIREN, or a postcode (its département's
    collectivities). Best first: exact name or code, then names starting with
    the query, then the rest, by name. Three queries at most, whatever is found.
    """
    normalized = normalize_name(query or "")
    code = re.sub(r"\s+", "", query or "").upper()
    if not normalized or limit <= 0:
        return []
    words = normalized.split()
    postcode_department = _postcode_department(code)
    ranked = []
    rows = CollectivityPage.objects.live().values_list(
        "pk", "title", "insee_code", "siren", "department", "member_communes"
    )
    for pk, title, insee_code, siren, department, member_communes in rows:
        name = normalize_name(title)
        if (code and code in (insee_code, siren)) or name == normalized:
            rank = 0
        elif all(word in name for word in words):
            rank = 1 if name.startswith(normalized) else 2
        elif all(word in normalize_name(member_communes) for word in words):
            rank = 3
        elif postcode_department and department == postcode_department:
            rank = POSTCODE_RANK
        else:
            continue
        ranked.append((rank, name, pk))
    if any(rank == 0 for rank, _name, _pk in ranked):
        # An INSEE code that is also a postcode: the exact match, not its département.
        ranked = [row for row in ranked if row[0] != POSTCODE_RANK]
    ranked.sort()
    pks = [pk for _rank, _name, pk in ranked[:limit]]
    pages = CollectivityPage.objects.in_bulk(pks)
    return [pages[pk] for pk in pks if pk in pages]


def _postcode_department(code: str) -> str | None:
    """The département of a French postcode ("22000" → "22", "97400" → "974",
    "20000" → Corsica, found by its two départements' collectivities' names
    only: None)."""
    if not re.fullmatch(r"\d{5}", code):
        return None
    if code.startswith("97"):
        return code[:3]
    if code.startswith("20"):
        return None
    return code[:2]


# --- Writes ------------------------------------------------------------------------


def affiliation_request(
    *, user: User, collectivity: CollectivityPage, message: str = ""
) -> Affiliation:
    """Ask to join `collectivity`; approved at once when the email domain matches."""
    email = verified_email(user)
    if email is None:
        raise AffiliationError(
            gettext_lazy("Vérifiez d'abord votre adresse électronique.")
        )
    if not collectivity.live:
        raise AffiliationError(gettext_lazy("Cette collectivité n'existe pas."))
    domain = email.rsplit("@", 1)[-1]
    automatic = (
        domain not in PUBLIC_MAIL_DOMAINS and domain in collectivity.email_domain_list
    )
    try:
        with transaction.atomic():
            User.objects.select_for_update().get(pk=user.pk)
            if open_affiliation(user) is not None:
                raise AffiliationError(
                    gettext_lazy(
                        "Vous avez déjà une demande de rattachement en cours ou "
                        "acceptée. Quittez-la d'abord pour en faire une autre."
                    )
                )
            affiliation = Affiliation.objects.create(
                user=user,
                collectivity=collectivity,
                message=message.strip()[:1000],
                status=AffiliationStatus.APPROVED
                if automatic
                else AffiliationStatus.PENDING,
                decided_at=timezone.now() if automatic else None,
            )
            if automatic:
                sync_member_group(user)
                _notify_requester(affiliation)
            else:
                _notify_deciders(affiliation)
    except IntegrityError:
        # Two requests at the same instant: the database kept one.
        raise AffiliationError(
            gettext_lazy("Vous avez déjà une demande de rattachement en cours.")
        ) from None
    return affiliation


def attach_by_email_domain(user: User) -> Affiliation | None:
    """Attach the person at once to the member collectivity owning their verified
    address's domain, unless they already have an open affiliation (pending or
    approved). Returns the new affiliation, or None when nothing changed.

    Called when an address is verified, at sign-in and on Mon espace, so that a
    domain declared after a person signed up attaches them too.
    """
    if not user.is_authenticated or not user.is_active:
        return None
    collectivity = collectivity_for_email(verified_email(user))
    if collectivity is None or open_affiliation(user) is not None:
        return None
    try:
        return affiliation_request(user=user, collectivity=collectivity)
    except AffiliationError:
        return None


def _decide(
    *, affiliation_id: int, by: User, status: str, reason: str = ""
) -> Affiliation:
    with transaction.atomic():
        affiliation = (
            Affiliation.objects.select_for_update()
            .select_related("collectivity", "user")
            .get(pk=affiliation_id)
        )
        if not can_decide(by, affiliation.collectivity):
            raise AffiliationError(
                gettext_lazy(
                    "Vous ne pouvez pas décider des rattachements à cette collectivité."
                )
            )
        if affiliation.status != AffiliationStatus.PENDING:
            raise AffiliationError(gettext_lazy("Cette demande a déjà été traitée."))
        affiliation.status = status
        affiliation.decided_at = timezone.now()
        affiliation.decided_by = by
        affiliation.refusal_reason = reason.strip()[:1000]
        affiliation.save()
        sync_member_group(affiliation.user)
        _notify_requester(affiliation)
    return affiliation


def affiliation_approve(*, affiliation_id: int, by: User) -> Affiliation:
    return _decide(
        affiliation_id=affiliation_id, by=by, status=AffiliationStatus.APPROVED
    )


def affiliation_refuse(
    *, affiliation_id: int, by: User, reason: str = ""
) -> Affiliation:
    return _decide(
        affiliation_id=affiliation_id,
        by=by,
        status=AffiliationStatus.REFUSED,
        reason=reason,
    )


def affiliation_end(*, affiliation_id: int, by: User) -> Affiliation:
    """Leave a collectivity (the person) or remove someone (staff, representative)."""
    with transaction.atomic():
        affiliation = (
            Affiliation.objects.select_for_update()
            .select_related("collectivity", "user")
            .get(pk=affiliation_id)
        )
        if by.pk != affiliation.user_id and not can_decide(
            by, affiliation.collectivity
        ):
            raise AffiliationError(
                gettext_lazy("Vous ne pouvez pas mettre fin à ce rattachement.")
            )
        if affiliation.status not in OPEN_AFFILIATION_STATUSES:
            raise AffiliationError(gettext_lazy("Ce rattachement est déjà terminé."))
        affiliation.status = AffiliationStatus.ENDED
        affiliation.decided_at = timezone.now()
        affiliation.decided_by = by
        affiliation.save()
        sync_member_group(affiliation.user)
        if affiliation.role == AffiliationRole.REPRESENTATIVE:
            from members.permissions import sync_representative_permissions

            sync_representative_permissions(affiliation.collectivity)
    return affiliation


def affiliation_set_role(*, affiliation_id: int, role: str, by: User) -> Affiliation:
    """Make someone a representative of their collectivity, or a plain member again.

    Staff only: representatives speak for their collectivity and edit its profile.
    """
    if not (by.is_superuser or by.has_perm("members.manage_membership")):
        raise AffiliationError(
            gettext_lazy(
                "Seule l'équipe de l'association peut nommer des représentants."
            )
        )
    with transaction.atomic():
        affiliation = Affiliation.objects.select_for_update().get(pk=affiliation_id)
        if affiliation.status != AffiliationStatus.APPROVED:
            raise AffiliationError(
                gettext_lazy("Seule une personne rattachée peut être représentante.")
            )
        affiliation.role = role
        affiliation.save(update_fields=["role"])
    from members.permissions import sync_representative_permissions

    sync_representative_permissions(affiliation.collectivity)
    return affiliation


def sync_member_group(user: User) -> bool:
    """Put the person in the "Membres" group exactly when they are a member."""
    group, _created = Group.objects.get_or_create(name=MEMBERS_GROUP)
    member = is_network_member(user)
    if member:
        user.groups.add(group)
    else:
        user.groups.remove(group)
    for cached in (
        "_retex_groups",
        "_retex_failed_restrictions",
    ):
        user.__dict__.pop(cached, None)
    return member


def sync_collectivity_members(collectivity: CollectivityPage) -> None:
    """After a collectivity's status or publication changed: update its people."""
    users = User.objects.filter(
        affiliations__collectivity=collectivity,
        affiliations__status=AffiliationStatus.APPROVED,
    ).distinct()
    for user in users:
        sync_member_group(user)


# --- Notifications -----------------------------------------------------------------


def _notify_requester(affiliation: Affiliation) -> None:
    context = {"affiliation": affiliation, "collectivity": affiliation.collectivity}
    if affiliation.status == AffiliationStatus.APPROVED:
        subject = _("Votre rattachement %(to_name)s est accepté") % {
            "to_name": with_article(affiliation.collectivity.title, "à")
        }
    else:
        subject = _("Votre demande de rattachement %(to_name)s") % {
            "to_name": with_article(affiliation.collectivity.title, "à")
        }
    enqueue_after_commit(
        send_email,
        subject=f"[Retex] {subject}",
        body=render_to_string(
            "members/email/affiliation_decided.txt", _email_context(context)
        ),
        to=[affiliation.user.email],
    )


def _notify_deciders(affiliation: Affiliation) -> None:
    recipients = sorted(
        set(
            User.objects.filter(
                affiliations__collectivity=affiliation.collectivity,
                affiliations__status=AffiliationStatus.APPROVED,
                affiliations__role=AffiliationRole.REPRESENTATIVE,
                is_active=True,
            ).values_list("email", flat=True)
        )
    )
    if not recipients:
        # Nobody represents the collectivity yet: the association decides.
        recipients = sorted(
            set(
                User.objects.filter(is_active=True, is_superuser=True).values_list(
                    "email", flat=True
                )
            )
        )
    subject = "[Retex] " + _("Demande de rattachement %(to_name)s") % {
        "to_name": with_article(affiliation.collectivity.title, "à")
    }
    body = render_to_string(
        "members/email/affiliation_requested.txt",
        _email_context(
            {"affiliation": affiliation, "collectivity": affiliation.collectivity}
        ),
    )
    # One email each: representatives do not learn each other's addresses.
    for recipient in recipients:
        enqueue_after_commit(send_email, subject=subject, body=body, to=[recipient])


def _email_context(context: dict) -> dict:
    from django.conf import settings

    return {**context, "base_url": settings.BASE_URL}
