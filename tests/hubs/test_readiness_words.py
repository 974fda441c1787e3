"""The readiness aspects in the playbook's own words; the 0–3 scale is the platform's own."""

import pytest
from django.utils import translation

from governance.hubs.choices import READINESS_ASPECT_HELP, ReadinessAspect
from governance.hubs.models import ReadinessScore
from tests.factories import HubFactory

# Playbook, "Etablering och finansering": the four aspects that affect whether an establishment
# is "lätt eller svårt".
PLAYBOOK_WORDS = {
    "relationships": "Om det finns upparbetade relationer och nätverk mellan organisationerna på "
    "högsta ledningsnivå lokalt/regionalt.",
    "premises": "Om det finns en lämplig lokal att tillgå (och möjligheten finns att "
    "iordningställa den för Samverkets syfte).",
    "people": "Om det finns en eller flera personer som kan lägga den tid som krävs för att "
    "starta igång arbetet.",
    "principal": "Om det finns någon organisation som vill kliva in i en ägarroll.",
}


def test_each_aspects_help_is_the_playbooks_sentence():
    with translation.override("sv"):
        assert {aspect.value: str(text) for aspect, text in READINESS_ASPECT_HELP.items()} == (
            PLAYBOOK_WORDS
        )
        assert [str(aspect.label) for aspect in ReadinessAspect] == [
            "Relationer och nätverk på högsta ledningsnivå",
            "Lämplig lokal att tillgå",
            "Personer som kan lägga tiden för att starta igång arbetet",
            "Organisation som vill kliva in i en ägarroll",
        ]


@pytest.mark.parametrize(
    ("language", "own_scale"),
    [("sv", "plattformens egen skala"), ("en", "the platform's own scale")],
)
def test_the_admin_form_explains_the_aspects_and_the_scale(language, own_scale):
    with translation.override(language):
        aspect_help = str(ReadinessScore._meta.get_field("aspect").help_text)
        score_help = str(ReadinessScore._meta.get_field("score").help_text)
        for text in READINESS_ASPECT_HELP.values():
            assert str(text) in aspect_help
    assert own_scale in score_help
    assert score_help.startswith("0–3")


def test_the_api_schema_explains_the_aspects_and_the_scale(client):
    schemas = client.get("/api/openapi.json").json()["components"]["schemas"]
    aspects = " ".join(schemas["ReadinessAspect"]["description"].split())
    assert "top management level locally/regionally" in aspects
    assert "step into an owner role" in aspects
    score = schemas["ReadinessEntryIn"]["properties"]["score"]["description"]
    assert score.startswith("0–3")
    assert "0 saknas" in score or "0 missing" in score


@pytest.mark.django_db
def test_a_hubs_readiness_answer_carries_each_aspects_help(api_client, coordinator):
    hub = HubFactory()
    detail = api_client(coordinator).get(f"/api/hubs/{hub.pk}").json()["readiness_detail"]
    with translation.override("sv"):
        assert {row["aspect"]: row["aspect_help"] for row in detail} == PLAYBOOK_WORDS
