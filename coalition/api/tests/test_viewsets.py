"""Every resource of /api/v1/ goes through the one mixin, and the schema documents every answer it can give."""

from __future__ import annotations

import pytest

from coalition.api.router import router
from coalition.lib.api.viewsets import OpenDataMixin

pytestmark = pytest.mark.django_db


def test_every_viewset_of_the_api_uses_the_one_mixin():
    import coalition.api.urls  # noqa: F401  every app's viewsets are registered

    assert [prefix for prefix, viewset, _name in router.registry if not issubclass(viewset, OpenDataMixin)] == []


def test_the_schema_documents_every_status_of_every_operation(client):
    schema = client.get("/api/schema/?format=json").json()

    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            statuses = set(operation["responses"])
            assert {"200", "400", "401", "403", "404", "406", "429"} <= statuses, f"{method} {path}: {statuses}"
            for status in statuses - {"200"}:
                assert list(operation["responses"][status]["content"]) == ["application/json"]


def test_the_schema_declares_each_parameter_as_it_is_checked(client):
    schema = client.get("/api/schema/?format=json").json()
    parameters = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/events/"]["get"]["parameters"]}

    assert parameters["when"] == {"type": "string", "enum": ["upcoming", "past", "all"]}
    assert parameters["starts_after"] == {"type": "string", "format": "date"}
    assert parameters["page"] == {"type": "integer", "minimum": 1, "maximum": 2_147_483_647}
    assert parameters["format"]["enum"] == ["csv", "json"]
    assert "NO" in parameters["country"]["enum"] and "no" not in parameters["country"]["enum"]
    detail = {p["name"] for p in schema["paths"]["/api/v1/events/{id}/"]["get"]["parameters"]}
    assert detail == {"id"}  # a detail is JSON only and takes no filter


def test_a_refusal_is_in_the_language_of_the_request(client):
    response = client.get("/api/v1/events/?starts_after=hier", headers={"Accept-Language": "fr"})

    assert response.status_code == 400
    assert response.json()["starts_after"] == [
        "« hier » n’est pas une valeur autorisée de starts_after. Valeurs autorisées : une date au format AAAA-MM-JJ."
    ]
