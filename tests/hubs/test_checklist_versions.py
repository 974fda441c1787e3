"""The playbook checklists' version 2, read against the playbook text, and a hub that entered a
phase under version 1 (tests/hubs/playbook_v1/, the files as they were) pulling it in."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings

from governance.hubs import services
from governance.hubs.checklists import load_checklist
from governance.hubs.models import Hub

PHASES = ("preparation", "startup", "operations")
VERSION_1 = Path(__file__).resolve().parent / "playbook_v1"
CURRENT = Path(django_settings.PLAYBOOK_CHECKLISTS_DIR)

# The section headings of the playbook an item may cite.
PLAYBOOK_SECTIONS = {
    "Forskningsförankring",
    "Community och kultur",
    "Hur modellen Samverket fungerar",
    "Manifestet - Vad, hur och varför",
    "Community manager",
    "Community manager - rollbeskrivning",
    "Kommunikation & kanaler",
    "Aktiviteter - Former och koncept",
    "Arbetsgrupper",
    "Facilitering",
    "Design av lokaler",
    "Organisation och ägarskap",
    "Medlemskap",
    "Personas",
    "Affärsmodell",
    "Etablering och finansering",
    "Faser och tidsuppskattningar vid etablering",
    "Varumärke, nyttjande och rättigheter",
    "Avtal, upphandling och administration",
    "Uppföljning - nyckeltal",
    "Följeforskning och preliminära resultat",
    "Lärdomar, rekommendationer",
}

# What version 2 adds to each phase, in file order: what a pull brings to a version-1 hub.
ADDED_IN_VERSION_2 = {
    "preparation": ["prep-studio-and-meeting-rooms", "prep-cm-appointed"],
    "startup": [
        "start-membership-model-chosen",
        "start-owner-group-formed",
        "start-wednesday-breakfast",
        "start-manifesto-on-wall",
        "start-communications-contacts",
        "start-weekly-mail-non-members",
        "start-open-house-week",
        "start-member-org-goals",
    ],
    "operations": ["ops-cm-steps-back", "ops-fees-invoiced", "ops-project-workplace-balance"],
}
# Moved to another phase or folded into another item: gone from version 2.
REMOVED_IN_VERSION_2 = {
    "preparation": {"prep-owner-group-formed"},
    "startup": {"start-cm-appointed", "start-fees-invoiced", "start-owner-group-representation"},
    "operations": set(),
}


def _items(phase: str) -> dict:
    return {item.key: item for item in load_checklist(phase).items}


def _required(phase: str) -> set[str]:
    return {key for key, item in _items(phase).items() if item.required}


def test_version_2_cites_only_the_playbooks_section_headings():
    refs = {item.playbook_ref for phase in PHASES for item in load_checklist(phase).items}
    assert refs <= PLAYBOOK_SECTIONS, refs - PLAYBOOK_SECTIONS


@pytest.mark.parametrize("phase", ["preparation", "startup"])
def test_version_2_cites_the_estimates_where_the_playbook_gives_them(phase):
    header = (CURRENT / f"{phase}.yaml").read_text(encoding="utf-8").split("\nphase:")[0]
    assert "Faser och tidsuppskattningar vid etablering" in header
    assert "Version 2" in header


def test_version_2_says_no_more_than_the_playbook():
    prep, ops = _items("preparation"), _items("operations")
    dialogue = prep["prep-concept-owner-dialogue"].description.sv
    assert "för dialog" in dialogue
    assert "kommit överens" not in dialogue
    principal = prep["prep-principal-identified"].description.sv
    assert "lätt eller svår" in principal
    assert "inte gå vidare" not in principal
    breakfast = ops["ops-wednesday-breakfast"]
    assert "bör fredas" in breakfast.description.sv
    assert "aldrig" not in breakfast.description.sv
    assert "8.15" not in breakfast.title.sv
    application = _items("startup")["start-individual-application"].description
    assert "du/ni" in application.sv
    assert "you / your organisation" in application.en


def test_version_2_puts_items_in_the_playbooks_phase():
    prep, startup, ops = _items("preparation"), _items("startup"), _items("operations")
    # The owner group consists of the member organisations, who sign in phase 2.
    assert "start-owner-group-formed" in startup
    assert not any("owner-group" in key for key in prep)
    # In preparation the engaged organisations agree on budget and cost levels; no owner group yet.
    assert prep["prep-budget-cost-levels-agreed"].responsible_role != "owner_group_rep"
    # The community manager is in place before startup; invoicing is not a phase-2 task.
    assert "prep-cm-appointed" in prep
    assert "start-fees-invoiced" not in startup
    assert "ops-fees-invoiced" in ops
    # The Wednesday breakfast, the manifesto and the open-house weeks start in startup and
    # operations keeps them going.
    for started, kept in [
        ("start-wednesday-breakfast", "ops-wednesday-breakfast"),
        ("start-manifesto-on-wall", "ops-manifesto-on-wall"),
        ("start-open-house-week", "ops-open-house-weeks"),
    ]:
        assert startup[started].required
        assert ops[kept].required


def test_version_2_requires_what_the_playbook_requires():
    assert {
        "prep-potential-members-engaged",
        "prep-premises-location-checked",
        "prep-cm-appointed",
        "prep-premises-prepared",
        "prep-principal-identified",
        "prep-budget-cost-levels-agreed",
        "prep-premises-identified",
    } <= _required("preparation")
    assert {
        "start-membership-model-chosen",
        "start-test-premises-layouts",
        "start-culture-carriers",
    } <= _required("startup")
    assert {"ops-kpi-satisfaction", "ops-agreements-renewed"} <= _required("operations")
    # Recommended, not required: the hub records the membership model it chose instead.
    assert "start-individual-application" not in _required("startup")
    assert "ops-fees-invoiced" not in _required("operations")


@pytest.mark.parametrize("phase", PHASES)
def test_version_2_differs_from_version_1_by_the_listed_items(settings, phase):
    settings.PLAYBOOK_CHECKLISTS_DIR = VERSION_1
    before = [item.key for item in load_checklist(phase).items]
    settings.PLAYBOOK_CHECKLISTS_DIR = CURRENT
    after = [item.key for item in load_checklist(phase).items]
    assert [key for key in after if key not in before] == ADDED_IN_VERSION_2[phase]
    assert set(before) - set(after) == REMOVED_IN_VERSION_2[phase]


@pytest.mark.django_db
@pytest.mark.parametrize("phase", PHASES)
def test_pull_brings_a_version_1_hub_only_the_new_items(settings, hub_in, coordinator, phase):
    settings.PLAYBOOK_CHECKLISTS_DIR = VERSION_1
    hub = hub_in(phase)
    before = {
        item.key: (item.title_sv, item.required, item.position, item.version_id)
        for item in hub.checklist_items.filter(phase=phase)
    }

    settings.PLAYBOOK_CHECKLISTS_DIR = CURRENT
    added = services.checklist_pull_new_items(actor=coordinator, hub_id=hub.pk, phase=phase)

    assert [item.key for item in added] == ADDED_IN_VERSION_2[phase]
    hub = Hub.objects.get(pk=hub.pk)
    items = hub.checklist_items.filter(phase=phase)
    # What the hub had stays as it was, items the new version dropped included.
    assert {
        item.key: (item.title_sv, item.required, item.position, item.version_id)
        for item in items.exclude(key__in=ADDED_IN_VERSION_2[phase])
    } == before
    assert REMOVED_IN_VERSION_2[phase] <= set(before)
    assert sorted(items.values_list("position", flat=True)) == list(range(items.count()))
    assert services.checklist_pull_new_items(actor=coordinator, hub_id=hub.pk, phase=phase) == []
