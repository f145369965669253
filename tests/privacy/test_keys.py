from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection

from cases.models import Debt, Debtor

from ..factories import make_full_case

ID_NUMBER = "110101199003074512"


def _stored(model, field: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {field} FROM {model._meta.db_table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def _decrypts_with(key: str, token: str) -> bool:
    try:
        Fernet(key.encode()).decrypt(token.encode())
    except Exception:
        return False
    return True


@pytest.fixture
def old_key(settings):
    key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [key]
    return key


def test_values_are_stored_encrypted(owner, old_key):
    debtor = make_full_case(owner).debtor
    stored = _stored(Debtor, "id_number", debtor.pk)
    assert ID_NUMBER not in stored
    assert _decrypts_with(old_key, stored)


def test_rotation_end_to_end(owner, old_key, settings):
    case = make_full_case(owner)
    debtor_pk = case.debtor.pk
    debt_pks = list(case.debts.values_list("pk", flat=True))

    # 1. A new key in front: data written with the old key still reads.
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    assert Debtor.objects.get(pk=debtor_pk).id_number == ID_NUMBER

    # 2. Rotation re-encrypts every value with the new key.
    out = StringIO()
    call_command("rotate_field_keys", stdout=out)
    assert "cases.Debtor.id_number: 1 re-encrypted" in out.getvalue()
    assert "cases.Debt.account_number: 2 re-encrypted" in out.getvalue()
    assert _decrypts_with(new_key, _stored(Debtor, "id_number", debtor_pk))
    assert not _decrypts_with(old_key, _stored(Debtor, "id_number", debtor_pk))
    for pk in debt_pks:
        assert _decrypts_with(new_key, _stored(Debt, "account_number", pk))

    # 3. The old key can go: everything still reads.
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    assert Debtor.objects.get(pk=debtor_pk).id_number == ID_NUMBER
    assert {d.account_number for d in Debt.objects.filter(pk__in=debt_pks)} == {"HB2024000012345678", "JB2023000098765432"}


def test_without_rotation_removing_the_old_key_breaks_reading(owner, old_key, settings):
    debtor_pk = make_full_case(owner).debtor.pk
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(ValueError, match="Cannot decrypt Debtor.id_number"):
        Debtor.objects.get(pk=debtor_pk)


def test_rotation_stops_with_a_clear_message_when_a_key_is_missing(owner, old_key, settings):
    make_full_case(owner)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(CommandError, match="cannot be decrypted with any configured key"):
        call_command("rotate_field_keys", stdout=StringIO())


def test_rotation_leaves_empty_values_alone(owner, old_key, settings):
    case = make_full_case(owner)
    Debtor.objects.filter(case=case).update(id_number="")
    out = StringIO()
    call_command("rotate_field_keys", stdout=out)
    assert "cases.Debtor.id_number: 0 re-encrypted" in out.getvalue()
    assert _stored(Debtor, "id_number", case.debtor.pk) == ""
