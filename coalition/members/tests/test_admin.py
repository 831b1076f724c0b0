"""The supporters' admin: erasure is the only way a supporter leaves; deleting the row would skip it."""

from __future__ import annotations

import pytest

from coalition.members.models import Supporter
from coalition.members.tests.factories import SupporterFactory

pytestmark = pytest.mark.django_db


def test_not_even_the_superuser_deletes_a_supporter_outright(client, alice):
    supporter = SupporterFactory(email="lina@example.org")
    client.force_login(alice)

    assert client.get(f"/admin/members/supporter/{supporter.pk}/delete/").status_code == 403
    listing = client.get("/admin/members/supporter/")
    assert "delete_selected" not in listing.text
    assert '<option value="erase">' in listing.text
    client.post("/admin/members/supporter/", {"action": "delete_selected", "_selected_action": [supporter.pk]})
    assert Supporter.objects.filter(pk=supporter.pk, email="lina@example.org").exists()
