"""Reads of the audit trail."""

from django.db.models import QuerySet

from governance.audit.models import AuditEntry


def audit_entries() -> QuerySet[AuditEntry]:
    """Every audit entry, newest first, with what its listing shows loaded alongside."""
    return AuditEntry.objects.select_related("content_type").order_by("-occurred_at", "-id")
