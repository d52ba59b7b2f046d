# The credit archive and the public accounts moved to their own apps (archive/0001,
# accounts/0001), which renamed the tables. Here they leave the publication app's state only.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("publication", "0002_archive_role_permissions"),
        ("archive", "0001_archive_from_publication"),
        ("accounts", "0001_accounts_from_publication"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ArchiveAccessLog"),
                migrations.DeleteModel(name="ProofFile"),
                migrations.DeleteModel(name="ArchiveRequest"),
                migrations.DeleteModel(name="InterestedParty"),
                migrations.DeleteModel(name="LoginThrottle"),
            ],
        ),
    ]
