"""Search keys fold variant characters since issue 17 (kernel.names.fold_variants: 靑 → 青,
锺 → 钟). The fold is the last step of search_key, so the new key of a stored name is its old
key folded: only the rows whose keys hold a variant character change, and the records'
single-character/pair grams are recomputed from their new key."""

from django.db import migrations

from kernel.names import fold_variants, short_grams

BATCH = 2000


def _fold_keys(model, fields: list[str], grams_from: str = "") -> None:
    changed = []
    columns = ["pk", *fields]
    for row in model.objects.order_by().values_list(*columns).iterator(chunk_size=BATCH):
        values = dict(zip(columns, row, strict=True))
        folded = {field: fold_variants(values[field]) for field in fields}
        if all(folded[field] == values[field] for field in fields):
            continue
        instance = model(pk=values["pk"], **folded)
        if grams_from:
            instance.name_grams = short_grams(folded[grams_from])
        changed.append(instance)
    update = [*fields, "name_grams"] if grams_from else fields
    model.objects.bulk_update(changed, update, batch_size=BATCH)


def fold_stored_keys(apps, schema_editor):
    _fold_keys(apps.get_model("records", "Operator"), ["name_key"])
    _fold_keys(apps.get_model("records", "Practitioner"), ["name_key"])
    _fold_keys(
        apps.get_model("records", "BadRecord"),
        ["subject_name_key", "basis_issuer_key"],
        grams_from="subject_name_key",
    )


class Migration(migrations.Migration):
    dependencies = [("records", "0009_evidence_is_a_private_file")]

    operations = [migrations.RunPython(fold_stored_keys, migrations.RunPython.noop)]
