"""Reading a model's state machine through django-fsm-2's own API, and adding the conditions
other apps contribute to it."""

from collections.abc import Iterable, Mapping
from functools import cache
from types import MappingProxyType
from typing import Any

from django.db.models import Model
from django_fsm import FSMFieldMixin, Transition


def _model_class(model: type[Model] | Model) -> type[Model]:
    return model if isinstance(model, type) else type(model)


@cache
def _state_field_of(model_class: type[Model]) -> FSMFieldMixin:
    fields = [f for f in model_class._meta.concrete_fields if isinstance(f, FSMFieldMixin)]
    if len(fields) != 1:
        raise TypeError(
            f"{model_class._meta.label} must have exactly one FSM field, not {len(fields)}."
        )
    return fields[0]


def state_field(model: type[Model] | Model) -> FSMFieldMixin:
    """The model's one FSM field."""
    return _state_field_of(_model_class(model))


def transition_methods(model: type[Model] | Model) -> Mapping[str, Any]:
    """Every transition method of the model's machine, by name (in name order), read-only."""
    model_class = _model_class(model)
    return MappingProxyType(_state_field_of(model_class).transitions[model_class])


def transition_from_here(obj: Model, name: str) -> Transition | None:
    """The transition ``name`` as declared for the object's current state (the library resolves
    ``*`` and ``+`` sources), or None when it does not run from here."""
    meta = transition_methods(obj)[name]._django_fsm
    state = state_field(obj).get_state(obj)
    return meta.get_transition(state) if meta.has_transition(state) else None


def any_declaration(model: type[Model] | Model, name: str) -> Transition:
    """One declaration of ``name`` (they share label and permission across sources)."""
    return next(iter(transition_methods(model)[name]._django_fsm.transitions.values()))


def transition_label(model: type[Model] | Model, name: str) -> str:
    """What the transition's button says."""
    return str(any_declaration(model, name).custom.get("label", name))


def state_display(obj: Model) -> str:
    """The current state in the reader's language."""
    field = state_field(obj)
    return str(dict(field.flatchoices).get(field.get_state(obj), field.get_state(obj)))


def add_conditions(model: type[Model], name: str, conditions: Iterable[Any]) -> None:
    """Add ``conditions`` after those the model declares for the transition ``name``, from
    every source: for guards another app contributes, which the model's own module cannot
    import (it would import the app back). A condition already there is not added again."""
    for declared in transition_methods(model)[name]._django_fsm.transitions.values():
        for condition in conditions:
            if condition not in declared.conditions:
                declared.conditions.append(condition)
