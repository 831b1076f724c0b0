"""A staff page sends a visitor to log in, and refuses (403) an account without the right, never a log-in loop."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from coalition.lib.permissions import access_required, permission_required


def _page(request):
    return HttpResponse("the page")


def _request(user):
    request = RequestFactory().get("/staff/page/?tab=2")
    request.user = user
    return request


def _user(*, authenticated=True, perms=(), superuser=False):
    return SimpleNamespace(is_authenticated=authenticated, is_superuser=superuser, has_perm=lambda perm: perm in perms)


def test_a_visitor_is_sent_to_log_in_and_comes_back_to_the_page():
    response = permission_required("events.change_event")(_page)(_request(_user(authenticated=False)))
    assert response.status_code == 302
    assert response["Location"].endswith("?next=/staff/page/%3Ftab%3D2")


def test_an_account_without_the_permission_is_refused_rather_than_sent_to_log_in_again():
    with pytest.raises(PermissionDenied):
        permission_required("events.change_event")(_page)(_request(_user()))


def test_an_account_with_the_permission_sees_the_page():
    response = permission_required("events.change_event")(_page)(_request(_user(perms={"events.change_event"})))
    assert response.content == b"the page"


def test_any_test_of_the_account_can_guard_a_page():
    superusers_only = access_required(lambda user: user.is_superuser)(_page)
    with pytest.raises(PermissionDenied):
        superusers_only(_request(_user(perms={"everything"})))
    assert superusers_only(_request(_user(superuser=True))).content == b"the page"
