"""Who may see a flow run: whoever asked for it, and the national coordinator."""

import rules

from governance.organisations.rules import is_national_coordinator


@rules.predicate
def requested_it(user, run) -> bool:
    return run is not None and run.requested_by_id == user.pk


rules.add_perm(
    "flowruns.view_flowrun", rules.is_authenticated & (requested_it | is_national_coordinator)
)
