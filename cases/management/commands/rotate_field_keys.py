"""Re-encrypt every encrypted field with the newest key in FIELD_ENCRYPTION_KEYS.

Procedure (docs/deploy.md): put a new key in front, deploy, run this, then drop
the old key. Rows are rewritten in batches, each in its own transaction.
"""

from cryptography.fernet import InvalidToken
from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.db.models.functions import Cast

from cases.crypto import EncryptedCharField, rotate

BATCH = 500


def encrypted_fields():
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedCharField):
                yield model, field


def rotate_field(model, field, batch: int = BATCH) -> int:
    """Rotate one column; returns how many values were re-encrypted."""
    # Cast to a plain TextField: we want the stored token, not the decrypted text.
    tokens = (
        model._default_manager.exclude(**{field.attname: ""}).exclude(**{f"{field.attname}__isnull": True})
        .annotate(token=Cast(field.attname, models.TextField()))
        .order_by("pk")
        .values_list("pk", "token")
    )
    done, last_pk = 0, None
    while True:
        page = tokens.filter(pk__gt=last_pk) if last_pk is not None else tokens
        rows = list(page[:batch])
        if not rows:
            return done
        with transaction.atomic():
            for pk, token in rows:
                try:
                    new_token = rotate(token)
                except InvalidToken:
                    raise CommandError(
                        f"{model.__name__}.{field.name} of row {pk} cannot be decrypted with any configured key. "
                        "Put the key it was written with back into FIELD_ENCRYPTION_KEYS and run again."
                    ) from None
                model._default_manager.filter(pk=pk).update(
                    **{field.attname: models.Value(new_token, output_field=models.TextField())}
                )
        done += len(rows)
        last_pk = rows[-1][0]


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field with the newest key in FIELD_ENCRYPTION_KEYS."

    def handle(self, *args, **options):
        total = 0
        for model, field in encrypted_fields():
            count = rotate_field(model, field)
            total += count
            self.stdout.write(f"{model._meta.label}.{field.name}: {count} re-encrypted")
        self.stdout.write(self.style.SUCCESS(
            f"Done: {total} values now use the newest key. Old keys can be removed from FIELD_ENCRYPTION_KEYS."
        ))
