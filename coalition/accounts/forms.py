from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm

from coalition.core.services import email_send


class PasswordResetForm(DjangoPasswordResetForm):
    """Django's reset form, but the message goes through the e-mail queue like every other."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        email_send(to=to_email, template="password-reset", context=context)
