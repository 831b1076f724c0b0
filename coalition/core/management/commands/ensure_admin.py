"""Create the first administrator if there is none, and print its login once."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create an administrator when the database has none (first `make run`), printing the login once. "
        "Does nothing when an administrator exists."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--email", default="admin@example.org")

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(email=options["email"], password=password, full_name="Administrator")
        self.stdout.write(
            self.style.SUCCESS("Created the first administrator. This login is shown only once:")
            + f"\n  e-mail:   {options['email']}\n  password: {password}\n"
            "Change the password after you log in at /admin/."
        )
