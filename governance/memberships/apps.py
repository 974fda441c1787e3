from django.apps import AppConfig


class MembershipsConfig(AppConfig):
    name = "governance.memberships"
    verbose_name = "Membership agreements and fee schedules"
    demo_seed = "governance.memberships.demo.seed_memberships"
    api_routers = {
        "/fee-schedules": "governance.memberships.api:fee_schedule_router",
        "/agreements": "governance.memberships.api:agreement_router",
    }
