"""Minutes: two named adjusters approve, after which nothing changes (409); the .docx read back
and the votes' CSV."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from docx import Document

from governance.boards.choices import MinutesState
from governance.boards.decisions import decision_record, dissent_enter
from governance.boards.minutes import (
    MINUTES_CONTEXT_VARIABLES,
    MINUTES_TEMPLATE,
    minutes_adjusters_set,
    minutes_approve,
    minutes_docx,
    votes_csv,
)
from governance.boards.models import Matter
from governance.boards.voting import conflict_declare, vote_cast, vote_close
from governance.errors import ConflictError
from governance.memberships.documents import _environment
from tests.boards.helpers_decisions import NOW, matter_in, voting_matter

pytestmark = pytest.mark.django_db


def voted_minutes(seated):
    """Minutes with a paragraph after a vote (a conflict, a dissent) and one in agreement."""
    matter = voting_matter(seated, title="Budget 2027")
    conflict_declare(actor=seated.owners[0], matter_id=matter.pk, reason="Part i avtalet")
    vote_cast(actor=seated.owners[1], matter_id=matter.pk, choice="yes", reason="Bra", now=NOW)
    vote_cast(actor=seated.owners[2], matter_id=matter.pk, choice="no", now=NOW)
    vote_close(actor=seated.principal, matter_id=matter.pk, early=True, now=NOW)
    first = Matter.objects.get(pk=matter.pk).decision
    decision_record(
        actor=seated.principal,
        matter_id=matter_in(seated.owner_group, title="Lokaler").pk,
        outcome="noted",
    )
    return first.minutes, first


def test_two_adjusters_approve_and_then_nothing_changes(seated):
    minutes, decision = voted_minutes(seated)
    with pytest.raises(PermissionDenied):
        minutes_adjusters_set(
            actor=seated.owners[0], minutes_id=minutes.pk, user_ids=[seated.owners[1].pk]
        )
    with pytest.raises(ValidationError):
        minutes_adjusters_set(
            actor=seated.principal,
            minutes_id=minutes.pk,
            user_ids=[seated.outsider.pk, seated.owners[1].pk],
        )
    minutes_adjusters_set(
        actor=seated.principal,
        minutes_id=minutes.pk,
        user_ids=[seated.owners[1].pk, seated.owners[2].pk],
    )
    with pytest.raises(PermissionDenied):
        minutes_approve(actor=seated.owners[0], minutes_id=minutes.pk)
    minutes_approve(actor=seated.owners[1], minutes_id=minutes.pk, now=NOW)
    assert minutes.__class__.objects.get(pk=minutes.pk).state == MinutesState.DRAFT
    # A new decision no longer goes into minutes someone has begun to approve.
    later = decision_record(
        actor=seated.principal, matter_id=matter_in(seated.owner_group).pk, outcome="noted"
    )
    assert later.minutes != minutes
    approved = minutes_approve(actor=seated.owners[2], minutes_id=minutes.pk, now=NOW)
    assert (approved.state, approved.approved_at) == (MinutesState.APPROVED, NOW)
    for change in (
        lambda: minutes_approve(actor=seated.owners[2], minutes_id=minutes.pk),
        lambda: minutes_adjusters_set(
            actor=seated.principal,
            minutes_id=minutes.pk,
            user_ids=[seated.owners[0].pk, seated.owners[1].pk],
        ),
        lambda: dissent_enter(actor=seated.owners[2], decision_id=decision.pk, reason="Sent"),
    ):
        with pytest.raises(ConflictError) as error:
            change()
        assert error.value.code == "minutes_adjusted"


def test_the_docx_reads_back_with_paragraphs_tally_conflicts(seated):
    minutes, decision = voted_minutes(seated)
    document = Document(io.BytesIO(minutes_docx(minutes)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert minutes.title in text
    assert "§1 Budget 2027" in text
    assert "§2 Lokaler" in text
    assert "1 ja, 1 nej, 0 avstår av 2 röstberättigade platser" in text
    assert "Jäv: Medlem 1: Part i avtalet" in text
    assert "Medlem 2: Ja (Bra)" in text
    assert "I enighet, utan omröstning." in text


def test_the_template_uses_only_the_platforms_variables():
    from docxtpl import DocxTemplate

    names = DocxTemplate(MINUTES_TEMPLATE).get_undeclared_template_variables(_environment())
    assert set(names) <= MINUTES_CONTEXT_VARIABLES


def test_the_votes_csv_has_a_row_per_seat_per_matter(seated):
    minutes, _decision = voted_minutes(seated)
    data = votes_csv(minutes)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:5] == ["Paragraf", "Ärende", "Beslut", "Organisation", "Röst"]
    assert rows[1:] == [
        ["§1", "Budget 2027", "Avslaget", "Medlem 1", "", "", "", "jäv"],
        ["§1", "Budget 2027", "Avslaget", "Medlem 2", "Ja", "Bra", "representative", ""],
        ["§1", "Budget 2027", "Avslaget", "Medlem 3", "Nej", "", "representative", ""],
    ]
