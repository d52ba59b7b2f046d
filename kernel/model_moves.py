"""Moving models from one app to another without touching a row (used by migrations).

The new app declares the models in its state and renames the old tables to its own names;
the old app drops them from its state only. Content types follow, so the permissions that
role groups hold on the models keep pointing at them."""

from collections.abc import Sequence
from typing import Any

from django.db import migrations


def _rename(apps: Any, schema_editor: Any, old: str, new: str, names: Sequence[str]) -> None:
    for name in names:
        model = apps.get_model(old, name)
        schema_editor.alter_db_table(model, f"{old}_{name.lower()}", f"{new}_{name.lower()}")
    ContentType = apps.get_model("contenttypes", "ContentType")
    lowered = [name.lower() for name in names]
    taken = set(
        ContentType.objects.filter(app_label=new, model__in=lowered).values_list("model", flat=True)
    )
    ContentType.objects.filter(app_label=old, model__in=set(lowered) - taken).update(app_label=new)


def tables_move(*, old_app: str, new_app: str, models: Sequence[str]) -> migrations.RunPython:
    """A RunPython that renames `<old_app>_<model>` to `<new_app>_<model>` and moves the
    content types; reversible. Run it in the new app's migration, before the old app's
    state-only DeleteModel, with `apps` still holding the old app's models."""

    def forward(apps: Any, schema_editor: Any) -> None:
        _rename(apps, schema_editor, old_app, new_app, models)

    def backward(apps: Any, schema_editor: Any) -> None:
        _rename(apps, schema_editor, new_app, old_app, models)

    return migrations.RunPython(forward, backward)
