"""Who may read the audit trail: the national coordinator."""

import rules

from governance.organisations.rules import is_national_coordinator

rules.add_perm("audit.view_auditentry", is_national_coordinator)
