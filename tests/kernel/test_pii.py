from __future__ import annotations

import pytest
from cryptography.exceptions import InvalidTag

from libs.kernel.pii import PiiVault

ID = "11010519491231002X"


def test_keyed_hash_is_deterministic_and_depends_on_the_key() -> None:
    vault = PiiVault("a-secret-key-of-enough-length-0001")
    assert vault.keyed_hash(ID) == vault.keyed_hash(ID)
    assert vault.keyed_hash(ID) != PiiVault("another-secret-key-of-length-0002").keyed_hash(ID)
    assert ID not in vault.keyed_hash(ID)


def test_encryption_round_trips_and_never_repeats_a_ciphertext() -> None:
    vault = PiiVault("a-secret-key-of-enough-length-0001")
    first, second = vault.encrypt(ID, context="persons.id_number"), vault.encrypt(ID, context="persons.id_number")
    assert first != second
    assert ID not in first
    assert vault.decrypt(first, context="persons.id_number") == ID


def test_a_ciphertext_moved_to_another_column_or_key_does_not_decrypt() -> None:
    vault = PiiVault("a-secret-key-of-enough-length-0001")
    token = vault.encrypt(ID, context="persons.id_number")
    with pytest.raises(InvalidTag):
        vault.decrypt(token, context="accounts.account_no")
    with pytest.raises(InvalidTag):
        PiiVault("another-secret-key-of-length-0002").decrypt(token, context="persons.id_number")
