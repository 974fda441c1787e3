"""The one write helper: allowed fields, validation before saving, unique races as a 422."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from governance.writes import model_create, model_update
from tests.testapp.models import Label, Ticket

pytestmark = pytest.mark.django_db

FIELDS = ["name", "colour", "reason", "ticket"]


def _errors(refused: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in refused.value.error_dict.items()}


def test_create_returns_the_row_and_what_it_holds():
    ticket = Ticket.objects.create(title="t")
    label, changes = model_create(
        Label, data={"name": "urgent", "colour": "blue", "ticket_id": ticket.pk}, fields=FIELDS
    )
    assert Label.objects.get(pk=label.pk).ticket == ticket
    assert changes.before is None
    assert changes.after == {"name": "urgent", "colour": "blue", "ticket": ticket.pk}


def test_update_saves_only_changed_fields_and_reports_before_and_after():
    label = Label.objects.create(name="urgent", colour="blue")
    changes = model_update(
        label, data={"name": "urgent", "colour": "red", "reason": "fire"}, fields=FIELDS
    )
    assert changes.before == {"colour": "blue", "reason": ""}
    assert changes.after == {"colour": "red", "reason": "fire"}
    assert Label.objects.get(pk=label.pk).colour == "red"


def test_an_update_that_changes_nothing_saves_nothing():
    label = Label.objects.create(name="urgent", colour="blue")
    stamp = Label.objects.get(pk=label.pk).updated_at
    assert not model_update(label, data={"colour": "blue"}, fields=FIELDS)
    assert Label.objects.get(pk=label.pk).updated_at == stamp


@pytest.mark.parametrize("key", ["id", "updated_at", "nonsense"])
def test_fields_not_allowed_are_refused_by_name(key):
    label = Label.objects.create(name="urgent", colour="blue")
    with pytest.raises(ValidationError) as refused:
        model_update(label, data={key: 1, "colour": "red", "reason": "x"}, fields=FIELDS)
    assert _errors(refused) == {key: ["unknown_field"]}
    assert Label.objects.get(pk=label.pk).colour == "blue"


def test_validation_runs_before_anything_is_saved():
    label = Label.objects.create(name="urgent", colour="blue")
    with pytest.raises(ValidationError) as refused:
        model_update(label, data={"name": "x" * 41, "colour": "green"}, fields=FIELDS)
    assert set(_errors(refused)) == {"name", "colour"}
    assert Label.objects.get(pk=label.pk).name == "urgent"


def test_the_models_clean_is_obeyed():
    with pytest.raises(ValidationError) as refused:
        model_create(Label, data={"name": "hot", "colour": "red"}, fields=FIELDS)
    assert list(_errors(refused)) == ["reason"]
    assert not Label.objects.exists()


def test_a_missing_related_row_is_named_as_the_caller_named_it():
    with pytest.raises(ValidationError) as refused:
        model_create(Label, data={"name": "a", "colour": "blue", "ticket_id": 999}, fields=FIELDS)
    assert list(_errors(refused)) == ["ticket_id"]


def test_a_unique_clash_is_a_422_on_the_field():
    Label.objects.create(name="urgent", colour="blue")
    with pytest.raises(ValidationError) as refused:
        model_create(Label, data={"name": "urgent", "colour": "blue"}, fields=FIELDS)
    assert _errors(refused) == {"name": ["unique"]}


def test_a_unique_race_lost_after_validation_is_a_422_on_the_field(monkeypatch):
    # The other request's row arrives after our full_clean() looked: the first uniqueness
    # check sees nothing, the insert then clashes.
    Label.objects.create(name="urgent", colour="blue")
    original = Label.validate_unique
    calls = []

    def validate_unique_before_the_race(self, exclude=None):
        calls.append(exclude)
        if len(calls) > 1:
            original(self, exclude)

    monkeypatch.setattr(Label, "validate_unique", validate_unique_before_the_race)
    with pytest.raises(ValidationError) as refused:
        model_create(Label, data={"name": "urgent", "colour": "blue"}, fields=FIELDS)
    assert _errors(refused) == {"name": ["unique"]}
    assert len(calls) == 2
    assert Label.objects.filter(name="urgent").count() == 1


def test_an_integrity_error_that_is_no_unique_clash_is_not_hidden(monkeypatch):
    def failing_save(self, *args, **kwargs):
        raise IntegrityError("check constraint")

    monkeypatch.setattr(Label, "save", failing_save)
    with pytest.raises(ValidationError) as refused:
        model_create(Label, data={"name": "urgent", "colour": "blue"}, fields=FIELDS)
    assert refused.value.error_list[0].code == "conflict"


def test_null_for_a_field_that_cannot_be_null_is_refused_by_name():
    label = Label.objects.create(name="urgent", colour="blue")
    with pytest.raises(ValidationError) as refused:
        model_update(label, data={"reason": None, "ticket": None}, fields=FIELDS)
    assert _errors(refused) == {"reason": ["null"]}
