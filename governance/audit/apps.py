from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "governance.audit"
    verbose_name = "Audit trail"
    api_routers = {"/audit": "governance.audit.api:router"}
