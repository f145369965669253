"""Encryption at rest for the few fields that identify a person or an account.

Keys come from ``settings.FIELD_ENCRYPTION_KEYS`` (Fernet keys, newest first).
MultiFernet encrypts with the first key and decrypts with any of them, so a new
key is put in front, ``manage.py rotate_field_keys`` re-encrypts every row, and
the old key can then be dropped. Without configured keys (local use only) a key
is derived from SECRET_KEY; a deploy check refuses that in production.
"""

import base64
import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@cache
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        derived = hashlib.sha256(b"negotiator-field-key:" + settings.SECRET_KEY.encode()).digest()
        keys = (base64.urlsafe_b64encode(derived).decode(),)
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    return _fernet_for(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    return fernet().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    return fernet().decrypt(token.encode()).decode()


def rotate(token: str) -> str:
    return fernet().rotate(token.encode()).decode()


def mask(value: str, keep: int = 4) -> str:
    """Show only the last ``keep`` characters: ``****1234``."""
    if not value:
        return ""
    if len(value) <= keep:
        return "*" * len(value)
    return "*" * (len(value) - keep) + value[-keep:]


class EncryptedCharField(models.TextField):
    """A string stored as a Fernet token; Python code sees the plain text.

    Encrypted values cannot be searched or filtered in SQL; that is the point.
    """

    description = "String encrypted at rest with MultiFernet"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        try:
            return decrypt(value)
        except InvalidToken as exc:
            raise ValueError(
                f"Cannot decrypt {self.model.__name__}.{self.name}: no configured key matches"
            ) from exc

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)
