"""Resident identity numbers move from clear text to Fernet tokens, with the keyed hash of each
beside it for exact look-ups (kernel/identity_numbers.py). The column is widened first, the
existing rows are encrypted in place, and only then does the field become the encrypting one,
so the historical model used here reads and writes the column as it is. Reversible: going
back decrypts (with the keys configured at that moment)."""

from django.db import migrations, models

import kernel.identity_numbers

BATCH = 500


def encrypt_existing(apps, schema_editor):
    from kernel.identity_numbers import identity_number_digest, identity_number_encrypt

    Practitioner = apps.get_model("records", "Practitioner")
    rows = Practitioner.objects.exclude(identity_number="").only("pk", "identity_number")
    batch = []
    for practitioner in rows.order_by("pk").iterator(chunk_size=BATCH):
        number = practitioner.identity_number
        practitioner.identity_number = identity_number_encrypt(number)
        practitioner.identity_number_hmac = identity_number_digest(number)
        batch.append(practitioner)
        if len(batch) == BATCH:
            Practitioner.objects.bulk_update(batch, ["identity_number", "identity_number_hmac"])
            batch = []
    Practitioner.objects.bulk_update(batch, ["identity_number", "identity_number_hmac"])


def decrypt_existing(apps, schema_editor):
    from kernel.identity_numbers import identity_number_decrypt

    Practitioner = apps.get_model("records", "Practitioner")
    rows = Practitioner.objects.exclude(identity_number="").only("pk", "identity_number")
    batch = []
    for practitioner in rows.order_by("pk").iterator(chunk_size=BATCH):
        practitioner.identity_number = identity_number_decrypt(practitioner.identity_number)
        batch.append(practitioner)
        if len(batch) == BATCH:
            Practitioner.objects.bulk_update(batch, ["identity_number"])
            batch = []
    Practitioner.objects.bulk_update(batch, ["identity_number"])


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0010_fold_variant_characters_in_search_keys"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="practitioner",
            name="practitioner_identity_number_unique",
        ),
        migrations.AlterField(
            model_name="practitioner",
            name="identity_number",
            field=models.CharField(
                blank=True, max_length=200, verbose_name="resident identity number"
            ),
        ),
        migrations.AddField(
            model_name="practitioner",
            name="identity_number_hmac",
            field=models.CharField(blank=True, default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing, elidable=False),
        migrations.AlterField(
            model_name="practitioner",
            name="identity_number",
            field=kernel.identity_numbers.EncryptedIdentityNumberField(
                blank=True, verbose_name="resident identity number"
            ),
        ),
        migrations.AddConstraint(
            model_name="practitioner",
            constraint=models.UniqueConstraint(
                condition=models.Q(("identity_number_hmac", ""), _negated=True),
                fields=("identity_number_hmac",),
                name="practitioner_identity_number_hmac_unique",
                violation_error_message="A practitioner with this identity number already exists.",
            ),
        ),
    ]
