from __future__ import annotations

from django.test import RequestFactory

from coalition.lib.paging import query_string_without_page


def test_the_pagers_links_keep_the_filters_but_not_the_page_number():
    request = RequestFactory().get("/", {"q": "aid", "page": "3", "status": "member"})
    assert query_string_without_page(request) == "q=aid&status=member"
