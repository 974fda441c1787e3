"""The one way services write a model's fields: allowed fields only, validated before saving.

``model_create`` and ``model_update`` accept a field by its name or, for a relation, by its
column name (``principal_id``), run ``full_clean()`` before anything reaches the database, save
only what changed, and turn a unique-constraint race lost to a concurrent request into a 422 on
the field concerned. They return what changed, for the service's audit entry.
"""

from collections.abc import Collection
from typing import Any, TypeVar

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Field, Model
from django.utils.translation import gettext as _
from django_fsm import FSMFieldMixin

from governance.audit.services import Changes, audit_snapshot

M = TypeVar("M", bound=Model)


def model_create(
    model: type[M], *, data: dict[str, Any], fields: Collection[str], exclude: Collection[str] = ()
) -> tuple[M, Changes]:
    """A new, validated and saved ``model`` row made from the allowed ``fields`` of ``data``."""
    instance = model()
    resolved = _resolve(instance, data, fields)
    for model_field, value in resolved.values():
        setattr(instance, model_field.attname, value)
    _clean(instance, resolved, exclude)
    _save(instance, resolved)
    return instance, Changes(after=audit_snapshot(instance, _names(resolved)))


def model_update(
    instance: M, *, data: dict[str, Any], fields: Collection[str], exclude: Collection[str] = ()
) -> Changes:
    """Apply the allowed ``fields`` of ``data`` to ``instance``; save only what changed.

    Nothing is saved unless every field is valid, and the model's ``clean()`` (cross-field
    rules) runs before the save.
    """
    resolved = _resolve(instance, data, fields)
    changed = {
        key: (model_field, value)
        for key, (model_field, value) in resolved.items()
        if getattr(instance, model_field.attname) != value
    }
    before = audit_snapshot(instance, _names(changed))
    for model_field, value in changed.values():
        setattr(instance, model_field.attname, value)
    _clean(instance, resolved, exclude)
    if not changed:
        return Changes()
    auto_now = [f.name for f in instance._meta.concrete_fields if getattr(f, "auto_now", False)]
    _save(instance, changed, update_fields=[*_names(changed), *auto_now])
    return Changes(before=before, after=audit_snapshot(instance, _names(changed)))


def _names(resolved: dict[str, tuple[Field, Any]]) -> list[str]:
    return [model_field.name for model_field, _value in resolved.values()]


def _resolve(instance: Model, data: dict[str, Any], fields: Collection[str]) -> dict:
    """``{key as given: (model field, value)}``; unknown or not allowed keys are a 422."""
    resolved, refused = {}, {}
    for key, value in data.items():
        try:
            model_field = instance._meta.get_field(key)
        except FieldDoesNotExist:
            model_field = next(
                (f for f in instance._meta.concrete_fields if f.attname == key), None
            )
        if model_field is None or model_field.name not in fields:
            refused[key] = ValidationError(_("Okänt fält."), code="unknown_field")
            continue
        # full_clean() lets None through for a blank field, and the database then refuses it.
        if value is None and not model_field.null:
            refused[key] = ValidationError(_("Fältet får inte vara null."), code="null")
            continue
        resolved[key] = (model_field, value)
    if refused:
        raise ValidationError(refused)
    return resolved


def _clean(instance: Model, resolved: dict, exclude: Collection[str]) -> None:
    # clean_fields() writes each value back, which a protected state field refuses; only its
    # transitions change it, so there is nothing to validate there.
    states = [
        f.name
        for f in instance._meta.concrete_fields
        if isinstance(f, FSMFieldMixin) and f.protected
    ]
    try:
        instance.full_clean(exclude=[*exclude, *states])
    except ValidationError as error:
        raise _named_as_given(error, resolved) from error


def _named_as_given(error: ValidationError, resolved: dict) -> ValidationError:
    """Errors keyed by the name the caller used (``principal_id`` rather than ``principal``)."""
    if not hasattr(error, "error_dict"):
        return error
    given = {model_field.name: key for key, (model_field, _value) in resolved.items()}
    return ValidationError(
        {given.get(name, name): messages for name, messages in error.error_dict.items()}
    )


def _save(instance: Model, resolved: dict, **options: Any) -> None:
    try:
        with transaction.atomic():
            instance.save(**options)
    except IntegrityError as error:
        # full_clean() found no clash, so a concurrent request inserted one since; asking the
        # same question again now names the field (the other row is committed and visible).
        try:
            instance.validate_unique()
            instance.validate_constraints()
        except ValidationError as clash:
            raise _named_as_given(clash, resolved) from error
        raise ValidationError(
            _("Ändringen krockar med en samtidig ändring; försök igen."), code="conflict"
        ) from error
