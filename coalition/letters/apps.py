from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "coalition.letters"
    label = "letters"
    verbose_name = _("Letters to officials")

    def ready(self) -> None:
        from coalition.letters import (
            checks,  # noqa: F401  (registers the system checks)
            signals,
        )

        signals.connect()

        from coalition.letters.selectors import referred_letters
        from coalition.members.selectors import register_referral_source

        register_referral_source("letters", _("Letters confirmed"), referred_letters)
