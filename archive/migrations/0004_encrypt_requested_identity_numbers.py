"""Identity numbers typed into archive requests move from clear text to Fernet tokens, like the
practitioners' (records 0011, kernel/identity_numbers.py). The column is widened, then the
identity-number rows are encrypted in place. Reversible: going back decrypts them."""

from django.db import migrations, models

IDENTITY_NUMBER = "identity_number"


def encrypt_existing(apps, schema_editor):
    from kernel.identity_numbers import identity_number_encrypt

    ArchiveRequest = apps.get_model("archive", "ArchiveRequest")
    for item in ArchiveRequest.objects.filter(identifier_kind=IDENTITY_NUMBER).only(
        "pk", "identifier"
    ):
        # update(), not save(): no signal handler runs inside the migration.
        rows = ArchiveRequest.objects.filter(pk=item.pk)
        rows.update(identifier=identity_number_encrypt(item.identifier))


def decrypt_existing(apps, schema_editor):
    from kernel.identity_numbers import identity_number_decrypt

    ArchiveRequest = apps.get_model("archive", "ArchiveRequest")
    for item in ArchiveRequest.objects.filter(identifier_kind=IDENTITY_NUMBER).only(
        "pk", "identifier"
    ):
        rows = ArchiveRequest.objects.filter(pk=item.pk)
        rows.update(identifier=identity_number_decrypt(item.identifier))


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0003_queue_unsent_decision_emails"),
    ]

    operations = [
        migrations.AlterField(
            model_name="archiverequest",
            name="identifier",
            field=models.CharField(max_length=255, verbose_name="identifier"),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]
