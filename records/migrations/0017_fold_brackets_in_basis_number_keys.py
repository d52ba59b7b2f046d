"""Basis document number keys fold the brackets around the year since the spreadsheet intake
(kernel.identifiers.normalize_document_number: 〔2026〕, [2026] and (2026) are one document).
The fold is applied to the stored key (the normalisation before it is idempotent), so only
keys holding another kind of bracket change. Two live records whose numbers differed
only by their brackets would now collide under record_one_per_basis_document: the later one
keeps its old key (so the migration never fails) and shows up in the duplicate check the day
either is edited."""

from django.db import migrations

from kernel.identifiers import normalize_document_number

BATCH = 2000


def fold_basis_number_keys(apps, schema_editor):
    BadRecord = apps.get_model("records", "BadRecord")
    rows = (
        BadRecord.objects.order_by("pk")
        .values_list("pk", "basis_number_key", "basis_issuer_key", "status")
        .iterator(chunk_size=BATCH)
    )
    taken = set()
    changed = []
    for pk, key, issuer_key, status in rows:
        new_key = normalize_document_number(key)[:120]
        if status != "withdrawn":
            if (issuer_key, new_key) in taken:
                new_key = key
            taken.add((issuer_key, new_key))
        if new_key != key:
            changed.append(BadRecord(pk=pk, basis_number_key=new_key))
    BadRecord.objects.bulk_update(changed, ["basis_number_key"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [("records", "0016_late_publication_reason")]

    operations = [migrations.RunPython(fold_basis_number_keys, migrations.RunPython.noop)]
