"""The audit trail, for the national coordinator."""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from governance.audit.models import AuditEntry
from governance.audit.schemas import AuditEntryOut, AuditFilters
from governance.audit.selectors import audit_entries
from governance.permissions import require_permission

router = Router(tags=["audit"])


@router.get("", response=list[AuditEntryOut])
@paginate
def list_audit_entries(request: HttpRequest, filters: Query[AuditFilters]) -> QuerySet[AuditEntry]:
    """Who did what to which object and when, newest first; filter by object, actor, verb and
    time."""
    require_permission(request.user, "audit.view_auditentry")
    return filters.filter(audit_entries())
