"""Moving models from one app to another without touching a row (used by migrations).

The new app declares the models in its state and renames the old tables to its own names;
the old app drops them from its state only. Content types follow, so the permissions that
role groups hold on the models keep pointing at them."""

from collections.abc import Sequence
from typing import Any

from django.db import migrations


def _rename(
    apps: Any, schema_editor: Any, old: str, new: str, names: Sequence[str], *, state_app: str
) -> None:
    for name in names:
        # Both ways, `apps` is the state before the move (SeparateDatabaseAndState runs its
        # database operations on it), so the models are found under the app they came from.
        model = apps.get_model(state_app, name)
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
        _rename(apps, schema_editor, old_app, new_app, models, state_app=old_app)

    def backward(apps: Any, schema_editor: Any) -> None:
        _rename(apps, schema_editor, new_app, old_app, models, state_app=old_app)

    return migrations.RunPython(forward, backward)
