"""Who may do what to organisations and people: the one place that decides (django-rules)."""

import rules

from governance.organisations import roles

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


is_signed_in = rules.is_authenticated

rules.add_perm("organisations.view_organisation", is_signed_in)
# Principals and community managers register the organisations that join their hub
# (playbook: "Avtal, upphandling och administration" – the CM collects the intake data).
rules.add_perm(
    "organisations.add_organisation",
    is_national_coordinator | is_principal_staff_somewhere | is_community_manager_somewhere,
)
rules.add_perm(
    "organisations.change_organisation",
    is_national_coordinator | is_principal_staff_somewhere,
)
rules.add_perm("organisations.revalidate_org_numbers", is_national_coordinator)
