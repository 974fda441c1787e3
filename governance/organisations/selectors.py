"""Reads of organisations that are more than a plain query."""

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.db.models.functions import Lower

from governance.organisations.models import ApiToken, Organisation, Person, RoleAssignment
from governance.organisations.org_numbers import validate_org_number
from governance.organisations.roles import is_national_coordinator, role_label, user_roles


def organisation_invalid_org_numbers() -> dict[str, Any]:
    """Every stored organisation number that fails validation today, with the reason.

    Numbers are validated on entry, but rows can arrive by bulk import or admin SQL, and
    the validation rules can change; this is the periodic check.
    """
    rows = Organisation.objects.values_list("pk", "name", "org_number")
    invalid = []
    for pk, name, org_number in rows:
        try:
            validate_org_number(org_number)
        except ValidationError as error:
            invalid.append(
                {"id": pk, "name": name, "org_number": org_number, "problem": error.messages[0]}
            )
    return {"checked": len(rows), "invalid": invalid}


def organisation_list() -> QuerySet[Organisation]:
    """Organisations by name, with ``name_lower`` for searching (OrganisationFilters)."""
    return Organisation.objects.annotate(name_lower=Lower("name")).order_by("name", "pk")


def organisation_hub_ids(organisation: Organisation) -> set[int]:
    """The hubs an organisation belongs to: those it is the principal of, and those where its
    people hold a role."""
    principal_of = organisation.principal_of_hubs.values_list("pk", flat=True)
    staffed = RoleAssignment.objects.filter(
        user__person__organisation=organisation, hub__isnull=False
    ).values_list("hub_id", flat=True)
    return set(principal_of) | set(staffed)


def organisation_get(organisation_id: int) -> Organisation:
    """One organisation."""
    return Organisation.objects.get(pk=organisation_id)


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    """The user's tokens, newest first."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def person_profile(user: User) -> dict[str, Any]:
    """The signed-in user's profile with organisation and roles, for /api/me: the stored roles
    and those other apps derive (a seat in a hub's owner group or creative board)."""
    person = Person.objects.select_related("organisation").filter(user=user).first()
    return {
        "id": user.pk,
        "username": user.get_username(),
        "full_name": user.get_full_name(),
        "email": user.email,
        "organisation": person.organisation if person else None,
        "is_national_coordinator": is_national_coordinator(user),
        "roles": [
            {"role": role, "role_display": role_label(role), "hub_id": hub_id}
            for role, hub_id in sorted(user_roles(user), key=lambda pair: (pair[0], pair[1] or 0))
        ],
    }
