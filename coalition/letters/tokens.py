"""Signed links to a letter: the writer's confirmation link, and the longer-lived link to its PDF and to
the "did they reply?" question."""

from __future__ import annotations

from django.conf import settings
from django.core import signing

from coalition.letters.models import Letter

CONFIRM_SALT = "coalition.letters.confirm"
LETTER_LINK_SALT = "coalition.letters.letter"
# Links to a letter's PDF and to the "did they reply?" question work for a long while: 60 days.
LETTER_LINK_MAX_AGE = 60 * 86400


def letter_token(letter: Letter, *, salt: str = CONFIRM_SALT) -> str:
    return signing.dumps({"l": letter.pk}, salt=salt)


def letter_from_token(token: str, *, salt: str = CONFIRM_SALT, max_age: int | None = None) -> Letter | None:
    if max_age is None:
        max_age = settings.LETTERS_CONFIRM_DAYS * 86400
    try:
        payload = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None
    return Letter.objects.select_related("action", "supporter").filter(pk=payload.get("l")).first()
