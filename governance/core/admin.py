"""The base of every admin page of the platform: rules.py decides, every write is audited.

Each check is the app's django-rules permission, asked with the object: ``view_``, ``add_``,
``change_`` and ``delete_<model>``, and the app's module permission (``rules.add_perm
("<app_label>", …)``) for browsing. The admin's lists show every row, so reading there (the
index, lists, read-only pages) needs the module permission as well as the view rule; anyone
else reaches only the add and change pages the app's rules give him, object by object.

Every save and deletion writes an audit entry (``admin_created``, ``admin_changed``,
``admin_deleted``) in the same transaction.
"""

from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model, QuerySet
from django.forms import BaseModelFormSet, ModelForm
from django.http import HttpRequest
from rules.contrib.admin import ObjectPermissionsModelAdmin

from governance.audit.services import audit_record, audit_snapshot


class RulesModelAdmin(ObjectPermissionsModelAdmin):
    """A ModelAdmin whose checks are the app's rules, with the object, and whose writes are
    audited."""

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        """The view rule, for those the app's module permission admits to browse it."""
        return self.has_module_permission(request) and super().has_view_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm, change: bool) -> None:
        """Save the object and record the values of the changed fields before and after."""
        names = _stored_fields(obj, form.changed_data)
        with transaction.atomic():
            # The page was allowed for the object as it was; a rule that looks at the object
            # (a hub role rather than a national one) must also hold for what is saved.
            if not self._allows_result(request, obj, change):
                raise PermissionDenied
            before = audit_snapshot(_stored(obj), names) if change else None
            super().save_model(request, obj, form, change)
            if change and not names:
                return
            audit_record(
                actor=request.user,
                verb="admin_changed" if change else "admin_created",
                target=obj,
                before=before,
                after=audit_snapshot(obj, names),
            )

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseModelFormSet, change: bool
    ) -> None:
        """Save an inline's rows, with an audit entry for each row created, changed or
        deleted."""
        with transaction.atomic():
            formset.save(commit=False)
            for row in formset.deleted_objects:
                _audit_deletion(request, row)
                row.delete()
            for row, changed in formset.changed_objects:
                names = _stored_fields(row, changed)
                before = audit_snapshot(_stored(row), names)
                row.save()
                if names:
                    audit_record(
                        actor=request.user,
                        verb="admin_changed",
                        target=row,
                        before=before,
                        after=audit_snapshot(row, names),
                    )
            changed_data = {id(row_form.instance): row_form.changed_data for row_form in formset}
            for row in formset.new_objects:
                row.save()
                names = _stored_fields(row, changed_data.get(id(row), []))
                audit_record(
                    actor=request.user,
                    verb="admin_created",
                    target=row,
                    after=audit_snapshot(row, names),
                )
            formset.save_m2m()

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        """Delete the object, recording what it held."""
        with transaction.atomic():
            _audit_deletion(request, obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        """Delete the selected objects, recording what each held."""
        with transaction.atomic():
            for obj in queryset:
                _audit_deletion(request, obj)
            super().delete_queryset(request, queryset)

    def _allows_result(self, request: HttpRequest, obj: Model, change: bool) -> bool:
        if change:
            return self.has_change_permission(request, obj)
        permission = f"{self.opts.app_label}.{get_permission_codename('add', self.opts)}"
        return self.has_add_permission(request) and request.user.has_perm(permission, obj)


class RulesInlineMixin:
    """An inline whose rows follow the parent's rules: each check is the named rule, asked
    about the parent object; a check without a rule allows nobody."""

    view_rule: str | None = None
    add_rule: str | None = None
    change_rule: str | None = None
    delete_rule: str | None = None

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        """The view rule, or the change rule, on the parent object."""
        return _allows(request, self.view_rule, obj) or self.has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Model | None) -> bool:
        """The add rule on the parent object."""
        return _allows(request, self.add_rule, obj)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        """The change rule on the parent object."""
        return _allows(request, self.change_rule, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        """The delete rule on the parent object."""
        return _allows(request, self.delete_rule, obj)


def _allows(request: HttpRequest, rule: str | None, obj: Model | None) -> bool:
    return rule is not None and request.user.has_perm(rule, obj)


def _stored(obj: Model) -> Model:
    """The object's row as the database holds it, not as the form has changed it."""
    return type(obj)._base_manager.select_for_update().get(pk=obj.pk)


def _stored_fields(obj: Model, names: list[str]) -> list[str]:
    """The ``names`` that are columns of the object (a form may add fields of its own)."""
    columns = {field.name for field in obj._meta.concrete_fields}
    return [name for name in names if name in columns]


def _audit_deletion(request: HttpRequest, obj: Model) -> None:
    """Record everything the object holds; called before it is deleted, while it has its id."""
    columns = [field.name for field in obj._meta.concrete_fields]
    audit_record(
        actor=request.user,
        verb="admin_deleted",
        target=obj,
        before=audit_snapshot(obj, columns),
    )
