"""Give the roles that run applicant checks the admin permissions they need to read them:
licensing officers and administrators view checks, conclusions and batches; nobody gets
change or delete (checks are kept unchanged). The national administrator may issue API
tokens to licensing systems' accounts."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "licensing_officer": ["view_applicantcheck", "view_checkconclusion", "view_checkbatch"],
    "bureau_admin": ["view_applicantcheck", "view_checkconclusion", "view_checkbatch"],
    "national_admin": [
        "view_applicantcheck", "view_checkconclusion", "view_checkbatch",
        "view_tokenproxy", "add_tokenproxy", "delete_tokenproxy",
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
        if group is None:
            continue
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label__in=["licensing", "authtoken"], codename__in=codenames
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
                    content_type__app_label__in=["licensing", "authtoken"],
                    codename__in=codenames,
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("licensing", "0002_checks_immutable_and_name_index"),
        ("authtoken", "0004_alter_tokenproxy_options"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
