"""Later apps add navigation entries and start-page slots by declaring them on their AppConfig."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string

from governance.web import registry
from governance.web.apps import check_web_declarations
from governance.web.registry import OverviewCell, OverviewColumn, StartSlot


def votes_to_cast(request):
    """A slot as a boards app would declare it."""
    return StartSlot(title="Omröstningar att rösta i", template="web/slots/tools.html")


def open_votes(request, hub_ids):
    """An overview column as a boards app would declare it: for the coordinator only."""
    if not request.user.has_perm("hubs.add_hub"):
        return None
    first = min(hub_ids)
    return OverviewColumn(title="Öppna omröstningar", cells={first: OverviewCell("3", "/votes/")})


@pytest.fixture
def declared(monkeypatch):
    """Replace the apps' declarations with ``extra`` added to the installed ones."""

    def declare(attribute: str, label: str, value: dict) -> None:
        original = registry.declarations

        def patched(name: str):
            found = original(name)
            return [*found, (label, value)] if name == attribute else found

        monkeypatch.setattr(registry, "declarations", patched)
        _clear_caches()

    yield declare
    _clear_caches()


def _clear_caches() -> None:
    registry.declared_nav.cache_clear()
    registry.declared_start_slots.cache_clear()
    registry.declared_overview_columns.cache_clear()


@pytest.mark.django_db
def test_a_later_apps_slot_appears_on_the_start_page(declared, client_for):
    declared("web_start_slots", "later", {"votes_to_cast": f"{__name__}:votes_to_cast"})
    from tests.factories import UserFactory

    response = client_for(UserFactory()).get("/")
    assert "slot-votes_to_cast" in response.text
    assert "Omröstningar att rösta i" in response.text


@pytest.mark.django_db
def test_a_later_apps_nav_entry_appears_for_those_it_names(declared, client_for, coordinator):
    declared(
        "web_nav",
        "later",
        {"votes": {"url": "web:overview", "label": "Omröstningar", "permission": "hubs.add_hub"}},
    )
    from tests.factories import UserFactory

    assert "Omröstningar" in client_for(coordinator).get("/").text
    assert "Omröstningar" not in client_for(UserFactory()).get("/").text


def test_a_name_declared_twice_stops_the_check(declared):
    declared("web_start_slots", "later", {"my_checklist_items": f"{__name__}:votes_to_cast"})
    with pytest.raises(ImproperlyConfigured):
        registry.declared_start_slots()
    assert [error.id for error in check_web_declarations()] == ["web.E001"]


def test_the_500_page_needs_no_request():
    assert "Något gick fel" in render_to_string("500.html")


def test_a_later_apps_pages_are_mounted_under_its_prefix(declared):
    declared("web_urls", "later", {"later/": "governance.web.urls"})
    assert ("later/", "governance.web.urls") in registry.declared_page_urls()
    declared("web_urls", "votes", {"later/": "governance.web.urls"})
    assert [error.id for error in check_web_declarations()] == ["web.E001"]


@pytest.mark.django_db
def test_a_later_apps_overview_column_appears_for_those_it_names(declared, client_for, coordinator):
    declared("web_overview_columns", "later", {"open_votes": f"{__name__}:open_votes"})
    from tests.factories import HubFactory, UserFactory

    first = HubFactory(name="Ahubben")
    HubFactory(name="Bhubben")
    page = client_for(coordinator).get("/overview/").text
    assert '<th scope="col">Öppna omröstningar</th>' in page
    assert '<td data-label="Öppna omröstningar"><a href="/votes/">3</a></td>' in page
    assert '<td data-label="Öppna omröstningar">\u2014</td>' in page  # the hub it has no cell for
    reader_page = client_for(UserFactory(roles=[("owner_group_rep", first)])).get("/overview/")
    assert reader_page.status_code == 200
    assert "Öppna omröstningar" not in reader_page.text


def test_an_overview_column_declared_twice_stops_the_check(declared):
    declared("web_overview_columns", "later", {"break_even": f"{__name__}:open_votes"})
    with pytest.raises(ImproperlyConfigured):
        registry.declared_overview_columns()
    assert [error.id for error in check_web_declarations()] == ["web.E001"]
