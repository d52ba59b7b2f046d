"""Create one group per staff role (SPEC §2) with its model permissions. The map is frozen
here, as migrations should be; a later issue that adds models adds its own migration."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "filer": [
        "view_badrecord", "add_badrecord", "change_badrecord", "delete_badrecord",
        "view_operator", "add_operator", "change_operator",
        "view_practitioner", "add_practitioner", "change_practitioner",
        "view_evidence", "add_evidence", "view_badrecordversion", "view_bureau",
        "view_auditevent",
    ],
    "reviewer": [
        "view_badrecord", "change_badrecord", "view_operator", "view_practitioner",
        "view_evidence", "view_badrecordversion", "view_bureau", "view_auditevent",
    ],
    "supervisor": [
        "view_badrecord", "view_operator", "view_practitioner", "view_evidence",
        "view_badrecordversion", "view_bureau", "view_auditevent",
    ],
    "licensing_officer": ["view_bureau"],
    "archive_reviewer": ["view_bureau"],
    "bureau_admin": ["view_user", "add_user", "change_user", "view_bureau", "view_auditevent"],
    "national_admin": [
        "view_user", "add_user", "change_user", "view_bureau", "change_bureau", "view_auditevent",
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="records", codename__in=codenames)
        )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
