"""Who may see a flow run: whoever asked for it, and the national coordinator."""

import rules

from governance.organisations.rules import is_national_coordinator


@rules.predicate
def requested_it(user, run) -> bool:
    return run is not None and run.requested_by_id == user.pk


rules.add_perm(
    "flowruns.view_flowrun", rules.is_authenticated & (requested_it | is_national_coordinator)
)

# The admin (governance/core/admin.py): the coordinator reads every run; runs are written only
# by the platform.
rules.add_perm("flowruns", is_national_coordinator)
rules.add_perm("flowruns.add_flowrun", rules.always_deny)
rules.add_perm("flowruns.change_flowrun", rules.always_deny)
rules.add_perm("flowruns.delete_flowrun", rules.always_deny)
# Queueing a failed or stuck run again (admin action; flowruns/services.py flowrun_requeue).
rules.add_perm("flowruns.requeue_flowrun", is_national_coordinator)
