"""Every response tells the browser that no page may use the camera, the microphone, location, payments…"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/healthz", "/api/v1/states/", "/no-such-page/"])
def test_every_response_denies_powerful_browser_features(client, path):
    response = client.get(path)

    policy = {
        feature.strip(): allowed.strip()
        for feature, allowed in (item.split("=") for item in response["Permissions-Policy"].split(","))
    }
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "display-capture", "interest-cohort"):
        assert policy[feature] == "()", feature
