"""Permissions for the credit archive: archive reviewers read the archive requests (the
decision itself goes through the service, not a change permission), and staff of every role
may read the archive access log (the admin narrows it to their bureau's region)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "archive_reviewer": ["view_archiverequest", "view_archiveaccesslog"],
    "filer": ["view_archiveaccesslog"],
    "reviewer": ["view_archiveaccesslog"],
    "supervisor": ["view_archiveaccesslog"],
    "licensing_officer": ["view_archiveaccesslog"],
    "bureau_admin": ["view_archiveaccesslog"],
    "national_admin": ["view_archiveaccesslog"],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("publication")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="publication", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="publication")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("publication", "0001_archive"),
        ("records", "0002_create_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
