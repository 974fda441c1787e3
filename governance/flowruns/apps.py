from django.apps import AppConfig


class FlowRunsConfig(AppConfig):
    name = "governance.flowruns"
    verbose_name = "Flow runs"
    api_routers = {"/flow-runs": "governance.flowruns.api:router"}
