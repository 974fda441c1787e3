"""Who may do what to organisations and people: the one place that decides (django-rules)."""

import rules

from governance.organisations import roles, selectors

# Hub roles, declared by the hubs app; named by value so that organisations does not import hubs.
PRINCIPAL_STAFF = "principal_staff"
COMMUNITY_MANAGER = "community_manager"


@rules.predicate
def is_national_coordinator(user) -> bool:
    return roles.is_national_coordinator(user)


@rules.predicate
def is_principal_staff_somewhere(user) -> bool:
    return roles.holds_role_anywhere(user, PRINCIPAL_STAFF)


@rules.predicate
def is_community_manager_somewhere(user) -> bool:
    return roles.holds_role_anywhere(user, COMMUNITY_MANAGER)


@rules.predicate
def is_principal_staff_of_its_hub(user, organisation) -> bool:
    # Without an object (the admin's list) any principal; it asks again about each organisation.
    if organisation is None:
        return roles.holds_role_anywhere(user, PRINCIPAL_STAFF)
    principal_in = {hub_id for role, hub_id in roles.user_roles(user) if role == PRINCIPAL_STAFF}
    return bool(principal_in & selectors.organisation_hub_ids(organisation))


@rules.predicate
def is_hub_role_assignment(user, assignment) -> bool:
    # Without an object (the list, the add page) any; the admin asks again about what it saves.
    return assignment is None or assignment.hub_id is not None


@rules.predicate
def owns_token(user, token) -> bool:
    return token is not None and token.user_id == user.pk


is_signed_in = rules.is_authenticated
nobody = rules.always_deny

rules.add_perm("organisations.view_organisation", is_signed_in)
# Principals and community managers register the organisations that join their hub
# (playbook: "Avtal, upphandling och administration" – the CM collects the intake data).
rules.add_perm(
    "organisations.add_organisation",
    is_national_coordinator | is_principal_staff_somewhere | is_community_manager_somewhere,
)
# A principal keeps the records of its own hub's organisations: the principal itself and the
# organisations whose people work in the hub; not any organisation in the country.
rules.add_perm(
    "organisations.change_organisation",
    is_national_coordinator | is_principal_staff_of_its_hub,
)
rules.add_perm("organisations.revalidate_org_numbers", is_national_coordinator)
rules.add_perm("organisations.delete_organisation", nobody)
# A token is revoked by its owner (DELETE /api/auth/tokens/{id}), or by a superuser.
rules.add_perm("organisations.revoke_apitoken", owns_token)

# The admin (governance/core/admin.py). The module permission lets a user browse the app there:
# whoever the API lets register or change organisations. Everything else in it is the
# coordinator's to read; people and tokens are not written there.
rules.add_perm(
    "organisations",
    is_national_coordinator | is_principal_staff_somewhere | is_community_manager_somewhere,
)
rules.add_perm("organisations.view_person", is_national_coordinator)
rules.add_perm("organisations.add_person", nobody)
rules.add_perm("organisations.change_person", nobody)
rules.add_perm("organisations.delete_person", nobody)
rules.add_perm("organisations.view_roleassignment", is_national_coordinator)
# Hub roles, as POST and DELETE /api/hubs/{id}/people; national roles only by a superuser.
rules.add_perm("organisations.add_roleassignment", is_national_coordinator & is_hub_role_assignment)
rules.add_perm("organisations.change_roleassignment", nobody)
rules.add_perm(
    "organisations.delete_roleassignment", is_national_coordinator & is_hub_role_assignment
)
rules.add_perm("organisations.view_apitoken", is_national_coordinator)
rules.add_perm("organisations.add_apitoken", nobody)
rules.add_perm("organisations.change_apitoken", nobody)
rules.add_perm("organisations.delete_apitoken", nobody)
