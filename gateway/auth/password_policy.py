"""What makes a password acceptable (issue 17: `aaaaaaaaaaaa` was accepted).

At least 12 characters, of at least three kinds among lower-case letters, upper-case letters, digits and others (the
complexity the classified-protection baseline, 等保 2.0, asks of government systems), at least 6 different characters,
not the username, and not one of the passwords every guessing list starts with once digits and symbols are taken
away. Long passphrases are welcome; 256 characters at most, so one request cannot tie up a hashing thread.
"""

from __future__ import annotations

import secrets
import string

MIN_LENGTH = 12
MAX_LENGTH = 256
_MIN_KINDS = 3
_MIN_DISTINCT = 6
# Compared after undoing the usual substitutions and dropping what is not a letter: "P@ssw0rd2026!" is "password".
_WORDS = ("password", "passwd", "qwerty", "admin", "jiuzhu", "welcome", "letmein", "iloveyou", "woaini",
          "changeme", "secret", "test")  # fmt: skip
_LEET = str.maketrans("0134578@$!|", "oleastbasil")
_SEQUENCES = ("0123456789", "abcdefghijklmnopqrstuvwxyz", "qwertyuiop", "asdfghjkl", "zxcvbnm")


class WeakPassword(ValueError):
    """The password breaks the policy; the message says which rule (it never repeats the password)."""


def _kinds(password: str) -> int:
    lower = any(c.islower() for c in password)
    upper = any(c.isupper() for c in password)
    digit = any(c.isdigit() for c in password)
    other = any(not c.isalnum() or not c.isascii() for c in password)
    return lower + upper + digit + other


def _mostly_a_sequence(password: str) -> bool:
    """Whether 8 or more of its characters run along a keyboard row or the alphabet or digits, either way."""
    lowered = password.lower()
    for sequence in _SEQUENCES:
        for run in (sequence, sequence[::-1]):
            for start in range(len(run) - 7):
                if run[start : start + 8] in lowered:
                    return True
    return False


def check_password(password: str, *, username: str = "") -> str:
    """`password` if it is acceptable, else WeakPassword."""
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        raise WeakPassword(f"a password has at least {MIN_LENGTH} characters (and at most {MAX_LENGTH})")
    if _kinds(password) < _MIN_KINDS:
        raise WeakPassword("a password mixes at least three of: lower-case, upper-case, digits, other characters")
    if len(set(password)) < _MIN_DISTINCT:
        raise WeakPassword(f"a password has at least {_MIN_DISTINCT} different characters")
    lowered = password.lower()
    if len(username) >= 3 and username.lower() in lowered:
        raise WeakPassword("a password does not contain the username")
    letters = "".join(c for c in lowered.translate(_LEET) if c.isalpha())
    if any(word in letters and 2 * len(word) >= len(letters) for word in _WORDS):
        raise WeakPassword("a password is not built on a common word")
    if _mostly_a_sequence(password):
        raise WeakPassword("a password is not a run of keys or letters")
    return password


def generate_password(length: int = 20, *, username: str = "") -> str:
    """A random password that always meets the policy (for bootstrap and administrator resets)."""
    alphabet = string.ascii_letters + string.digits + "-_.!@#%"
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        try:
            return check_password(candidate, username=username)
        except WeakPassword:
            continue
