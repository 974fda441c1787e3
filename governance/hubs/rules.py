"""Who may do what with hubs: the coordinator everything; the hub's principal staff and
establishment team its details, checklist and readiness; everyone signed in may read.

In the admin only the coordinator browses (the module permission); the others open only the
hubs they may change, one at a time."""

import rules

from governance.hubs.choices import HubRole
from governance.organisations import roles
from governance.organisations.rules import is_national_coordinator


def _holds_hub_role(*hub_roles: str) -> rules.Predicate:
    @rules.predicate(name=f"holds_hub_role:{'|'.join(hub_roles)}")
    def predicate(user, hub) -> bool:
        return hub is not None and bool(roles.hub_roles(user, hub.pk) & set(hub_roles))

    return predicate


works_on_hub = _holds_hub_role(HubRole.PRINCIPAL_STAFF, HubRole.ESTABLISHMENT_TEAM)
holds_a_role_in_hub = _holds_hub_role(*HubRole.values)

rules.add_perm("hubs.view_hub", rules.is_authenticated)
rules.add_perm("hubs.add_hub", is_national_coordinator)
rules.add_perm("hubs.change_hub", is_national_coordinator | works_on_hub)
# The principal decides who carries the hub and clears a guard for leaving preparation:
# a national decision, not the establishment team's.
rules.add_perm("hubs.choose_principal", is_national_coordinator)
# Who holds the hub's roles (names, usernames, who ticked what and moved it) is for the
# coordinator and the hub's own people; everyone else sees which roles are filled.
rules.add_perm("hubs.view_hub_people", is_national_coordinator | holds_a_role_in_hub)
rules.add_perm("hubs.move_hub", is_national_coordinator)
rules.add_perm("hubs.assign_hub_roles", is_national_coordinator)
rules.add_perm("hubs.change_checklist", is_national_coordinator | works_on_hub)
# A required item may be skipped only with the coordinator's judgement: the playbook makes it
# required, so skipping it is a national decision.
rules.add_perm("hubs.waive_required_item", is_national_coordinator)
rules.add_perm("hubs.pull_checklist_items", is_national_coordinator)
rules.add_perm("hubs.change_readiness", is_national_coordinator | works_on_hub)

nobody = rules.always_deny

# The admin (governance/core/admin.py).
rules.add_perm("hubs", is_national_coordinator)
rules.add_perm("hubs.delete_hub", nobody)
rules.add_perm("hubs.view_hubchecklistitem", rules.is_authenticated)
# Items come from the playbook's checklist versions, by a transition or a pull.
rules.add_perm("hubs.add_hubchecklistitem", nobody)
# The hub's own people change their items through the API, which asks for the coordinator's
# waiver before a required item is set aside; the admin's form cannot.
rules.add_perm("hubs.change_hubchecklistitem", is_national_coordinator)
rules.add_perm("hubs.delete_hubchecklistitem", nobody)
# Checklist versions are history: read, never written by hand.
rules.add_perm("hubs.view_checklistversion", is_national_coordinator)
rules.add_perm("hubs.add_checklistversion", nobody)
rules.add_perm("hubs.change_checklistversion", nobody)
rules.add_perm("hubs.delete_checklistversion", nobody)
rules.add_perm("hubs.view_readinessscore", rules.is_authenticated)
rules.add_perm("hubs.add_readinessscore", is_national_coordinator)
rules.add_perm("hubs.change_readinessscore", is_national_coordinator)
rules.add_perm("hubs.delete_readinessscore", nobody)
