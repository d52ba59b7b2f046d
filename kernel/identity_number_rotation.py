"""Moving every stored identity number to the newest keys (README "Security settings"):
each number is decrypted with whichever configured key opens it, encrypted again under the
first key of IDENTITY_NUMBER_KEYS, and its digest rewritten under the first key of
IDENTITY_NUMBER_HMAC_KEYS. Runs in batches, each its own transaction; running it again
changes nothing but the tokens' random parts, so an interrupted run is simply restarted."""

from django.apps import apps
from django.db import models, transaction

from kernel.identity_numbers import (
    EncryptedIdentityNumberField,
    identity_number_digest,
    identity_number_reencrypt,
)

BATCH = 500


def _encrypted_fields() -> list[tuple[type[models.Model], EncryptedIdentityNumberField]]:
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedIdentityNumberField)
    ]


def _token_columns() -> list[tuple[type[models.Model], str, dict[str, str]]]:
    """Plain columns that hold a token for some rows only (an archive request's identifier
    when its kind is an identity number): declared by the model as
    `identity_number_tokens = (column, {filter})`."""
    return [
        (model, *model.identity_number_tokens)
        for model in apps.get_models()
        if hasattr(model, "identity_number_tokens")
    ]


def _reencrypt_tokens() -> int:
    done = 0
    for model, column, condition in _token_columns():
        manager = model._base_manager
        last_pk = None
        while True:
            rows = manager.filter(**condition).exclude(**{column: ""}).order_by("pk")
            if last_pk is not None:
                rows = rows.filter(pk__gt=last_pk)
            batch = list(rows.only("pk", column)[:BATCH])
            if not batch:
                break
            for row in batch:
                setattr(row, column, identity_number_reencrypt(getattr(row, column)))
            with transaction.atomic():
                manager.bulk_update(batch, [column])
            done += len(batch)
            last_pk = batch[-1].pk
    return done


def identity_numbers_reencrypt() -> int:
    """Returns how many numbers were rewritten."""
    done = _reencrypt_tokens()
    for model, field in _encrypted_fields():
        manager = model._base_manager
        last_pk = None
        while True:
            rows = manager.exclude(**{field.attname: ""}).order_by("pk")
            if last_pk is not None:
                rows = rows.filter(pk__gt=last_pk)
            batch = list(rows.only("pk", field.attname)[:BATCH])
            if not batch:
                break
            for row in batch:
                number = getattr(row, field.attname)  # decrypted on reading
                setattr(row, field.digest_field, identity_number_digest(number))
            with transaction.atomic():
                manager.bulk_update(batch, [field.attname, field.digest_field])
            done += len(batch)
            last_pk = batch[-1].pk
    return done
