from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembershipsConfig(AppConfig):
    name = "governance.memberships"
    verbose_name = "Membership agreements and fee schedules"
    demo_seed = "governance.memberships.demo.seed_memberships"
    # The hubs' demo walks hubs out of preparation, which needs an adopted fee schedule, and
    # Östersund into operations, which needs a signed agreement first.
    demo_hub_prerequisites = "governance.memberships.demo.before_hub_transition"
    # Leaving preparation needs an adopted fee schedule in force (governance/hubs/guards.py).
    hub_guards = {"start_up": "governance.memberships.guards.LEAVE_HUB_PREPARATION"}
    hub_facts = "governance.memberships.guards.hub_facts"
    flows = {
        "generate_agreements": "flows.agreements:generate_agreements",
        "nightly_agreement_calendar": "flows.agreements:nightly_agreement_calendar",
    }
    # Cron in TIME_ZONE; `manage.py serve_flows` serves these as scheduled deployments.
    schedules = {"nightly_agreement_calendar": "15 1 * * *"}
    api_routers = {
        "/fee-schedules": "governance.memberships.api:fee_schedule_router",
        "/agreements": "governance.memberships.api:agreement_router",
        "/agreement-templates": "governance.memberships.api:template_router",
        # Under the hubs' addresses (/api/hubs/{id}/agreements/…), on a router of its own: the
        # prefix "/hubs" is the hubs app's.
        "": "governance.memberships.api:hub_agreement_router",
    }
    web_urls = {"agreements/": "governance.memberships.web_urls"}
    web_nav = {
        "agreements": {
            "url": "web:memberships:list",
            "label": _("Medlemsavtal"),
            "order": 22,
            "permission": "memberships.list_agreements",
        }
    }
    web_start_slots = {
        "agreements_to_send": "governance.memberships.slots:agreements_to_send",
        "agreements_to_renew": "governance.memberships.slots:agreements_to_renew",
    }
