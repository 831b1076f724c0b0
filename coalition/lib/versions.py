"""Content written in several languages (actions, events): what every language version has in common."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language_info


@dataclass(frozen=True)
class LanguageVersion:
    """Words in one language; `requested` is the visitor's language, `language` the one shown (decision 0505).
    Subclasses add the fields their content has."""

    language: str
    requested: str

    @property
    def is_fallback(self) -> bool:
        return self.language != self.requested

    @property
    def language_name(self) -> str:
        try:
            return str(get_language_info(self.language)["name_translated"])
        except KeyError:
            return self.language
