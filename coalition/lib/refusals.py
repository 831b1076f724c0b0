"""One exception for every request the rules refuse (issue 18).

A service raises `Refused` (or an app's subclass of it) before it changes anything; its messages are already
translated and written for the person who asked. Views show them with `show_refusal` (as page messages, or as
a form's errors when the refusal names a field); the API answers 400 with them (`coalition.api.exceptions`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages as page_messages

if TYPE_CHECKING:
    from django import forms
    from django.http import HttpRequest
    from django.utils.functional import Promise


class Refused(Exception):
    """The rules refuse this request: nothing was changed, and `messages` say why."""

    def __init__(self, *messages: str | Promise, field: str | None = None) -> None:
        self.messages = [str(message) for message in messages]
        self.message = "; ".join(self.messages)
        self.field = field
        super().__init__(self.message)


def show_refusal(request: HttpRequest, refusal: Refused, *, form: forms.BaseForm | None = None) -> None:
    """Tell the person why: on the form's field (or the whole form) when there is one, else as page messages."""
    if form is not None:
        field = refusal.field if refusal.field in form.fields else None
        for message in refusal.messages:
            form.add_error(field, message)
        return
    for message in refusal.messages:
        page_messages.error(request, message)
