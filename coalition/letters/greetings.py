"""The greeting and the signature of a letter, added for each official in the letter's language.

The supporter writes the body only. How an official is addressed depends on the language (French letters
greet by office, "Madame la Ministre, Monsieur le Ministre,", not by name) and on the office (ministers,
diplomats); the records hold no gender or honorific, so every form here is the neutral one of its language.
These are fixed forms of letter-writing, kept as data (`data/greetings.toml`) rather than in the catalogues:
each language's form is written for that language, not translated word for word from the English one.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from coalition.letters.models import Role

MINISTERS = frozenset({Role.FOREIGN_MINISTER, Role.DEFENCE_MINISTER, Role.HEAD_OF_GOVERNMENT})
DIPLOMATS = frozenset({Role.AMBASSADOR, Role.PERMANENT_REPRESENTATIVE})


@dataclass(frozen=True)
class Forms:
    named: str  # with the official's name: {name}
    minister: str  # a minister or head of government whose name is not on record
    diplomat: str  # an ambassador or permanent representative whose name is not on record
    parliament: str  # a member of parliament whose name is not on record
    neutral: str  # anyone else
    closing: str  # before the supporter's name
    by_office: bool = False  # greet by office even when the name is known (French usage)


FORMS = {
    language: Forms(**forms)
    for language, forms in tomllib.loads((Path(__file__).parent / "data" / "greetings.toml").read_text("utf-8")).items()
}


def forms_for(language: str) -> Forms:
    return FORMS.get((language or "en").split("-")[0], FORMS["en"])


def greeting(*, language: str, name: str, role: str) -> str:
    """How the letter opens for this official, in `language`."""
    forms = forms_for(language)
    name = " ".join((name or "").split())
    if forms.by_office or not name:
        if role in MINISTERS:
            return forms.minister
        if role in DIPLOMATS:
            return forms.diplomat
        if role == Role.MEMBER_OF_PARLIAMENT:
            return forms.parliament
        if not name or forms.by_office:
            return forms.neutral
    return forms.named.format(name=name)


def signature(*, language: str, name: str, town: str, state: str = "") -> str:
    """How the letter closes: the closing formula, the supporter's name, and where they write from."""
    place = ", ".join(part for part in (" ".join(town.split()), state) if part)
    return "\n".join(part for part in (forms_for(language).closing, " ".join(name.split()), place) if part)


def letter_text(*, language: str, body: str, official_name: str, role: str, name: str, town: str, state: str) -> str:
    """The whole letter one official receives: greeting, the supporter's body, signature."""
    return "\n\n".join(
        (
            greeting(language=language, name=official_name, role=role),
            body.strip(),
            signature(language=language, name=name, town=town, state=state),
        )
    )
