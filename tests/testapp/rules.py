"""Only members of the group "finishers" may finish a ticket."""

import rules

rules.add_perm("testapp.finish_ticket", rules.is_group_member("finishers"))
rules.add_perm("testapp.view_ticket", rules.is_authenticated)
