"""Who may do what with individual members:

- the hub's community manager manages its members: decides applications, registers someone
  on their behalf, keeps the onboarding, ends memberships, downloads a member's data for them
  (playbook, "Övrig medlemsadministration": the CM onboards every new member);
- the national coordinator may do all of that in every hub;
- the hub's principal staff read its members;
- a member reads their own membership and downloads their own data;
- everyone else is refused (403).
Applying needs no account: the public page (views.py) asks no permission.
"""

import rules

from governance.organisations import roles
from governance.organisations.rules import is_national_coordinator

PRINCIPAL_STAFF, COMMUNITY_MANAGER = "principal_staff", "community_manager"


def _hub_id(obj: object) -> int | None:
    """The hub of a hub or a member."""
    if obj is None:
        return None
    return obj.pk if obj._meta.model_name == "hub" else obj.hub_id


def _holds_in_objects_hub(*hub_roles: str) -> rules.Predicate:
    @rules.predicate(name=f"members_holds_in_objects_hub:{'|'.join(hub_roles)}")
    def predicate(user, obj) -> bool:
        hub_id = _hub_id(obj)
        return hub_id is not None and bool(roles.hub_roles(user, hub_id) & set(hub_roles))

    return predicate


community_manager_of_hub = _holds_in_objects_hub(COMMUNITY_MANAGER)
principal_staff_of_hub = _holds_in_objects_hub(PRINCIPAL_STAFF)


@rules.predicate
def is_the_member(user, member) -> bool:
    return member is not None and user.is_authenticated and member.user_id == user.pk


@rules.predicate
def manages_or_reads_some_hub(user) -> bool:
    return roles.holds_role_anywhere(user, COMMUNITY_MANAGER, PRINCIPAL_STAFF)


managers = is_national_coordinator | community_manager_of_hub

rules.add_perm("members.list_members", is_national_coordinator | manages_or_reads_some_hub)
rules.add_perm("members.view_member", managers | principal_staff_of_hub | is_the_member)
# The object is the hub: the CM registers someone on their behalf.
rules.add_perm("members.create_member", managers)
rules.add_perm("members.manage_member", managers)
rules.add_perm("members.export_personal_data", managers | is_the_member)

nobody = rules.always_deny

# The admin (governance/core/admin.py): the coordinator reads; writes go through the services,
# which keep the seat holders, the onboarding and the audit trail in step.
rules.add_perm("members", is_national_coordinator)
for model_name in ("member", "onboardingitem"):
    if model_name != "member":
        rules.add_perm(f"members.view_{model_name}", is_national_coordinator)
    rules.add_perm(f"members.add_{model_name}", nobody)
    rules.add_perm(f"members.change_{model_name}", nobody)
    rules.add_perm(f"members.delete_{model_name}", nobody)
