"""Who may read the audit trail: the national coordinator. Nobody writes it by hand."""

import rules

from governance.organisations.rules import is_national_coordinator

rules.add_perm("audit.view_auditentry", is_national_coordinator)

# The admin (governance/core/admin.py).
rules.add_perm("audit", is_national_coordinator)
rules.add_perm("audit.add_auditentry", rules.always_deny)
rules.add_perm("audit.change_auditentry", rules.always_deny)
rules.add_perm("audit.delete_auditentry", rules.always_deny)
