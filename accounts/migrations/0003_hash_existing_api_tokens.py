"""DRF's tokens were stored as plain keys, readable in the admin. Each becomes an ApiToken
holding only the key's hash (so licensing systems keep working with the key they have),
named after its origin and valid for API_TOKEN_DEFAULT_DAYS from now; then the plain keys
are deleted. The reverse cannot bring the keys back: it leaves the hashed tokens alone."""

import datetime
import hashlib

from django.conf import settings
from django.db import migrations
from django.utils import timezone


def hash_tokens(apps, schema_editor):
    Token = apps.get_model("authtoken", "Token")
    ApiToken = apps.get_model("accounts", "ApiToken")
    expires_at = timezone.now() + datetime.timedelta(days=settings.API_TOKEN_DEFAULT_DAYS)
    for token in Token.objects.all().iterator():
        ApiToken.objects.get_or_create(
            key_hash=hashlib.sha256(token.key.encode()).hexdigest(),
            defaults={
                "user_id": token.user_id,
                "name": "DRF token (before hashing)",
                "expires_at": expires_at,
            },
        )
    Token.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_api_tokens"),
        ("authtoken", "0004_alter_tokenproxy_options"),
    ]

    operations = [migrations.RunPython(hash_tokens, migrations.RunPython.noop)]
