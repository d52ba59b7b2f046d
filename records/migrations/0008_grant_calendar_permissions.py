"""The national administrator maintains the working-day calendar (SPEC §3): give the role's
group the calendar permissions. Here, not in workdays, because the roles belong to records
and workdays sits below it."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "national_admin": [
        "view_calendaryear", "add_calendaryear", "change_calendaryear", "view_calendarday",
    ],
}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in GRANTS.items():
        group = Group.objects.filter(name=role).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label="workdays", codename__in=codenames
                )
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in GRANTS.items():
        group = Group.objects.filter(name=role).first()
        if group is not None:
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="workdays", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0007_audit_and_outbox_moved_to_kernel"),
        ("workdays", "0001_calendar"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
