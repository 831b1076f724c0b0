from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from coalition.core.mail import may_read_outbox
from coalition.site.pages import menu_entries
from coalition.site.selectors import home_sections, may_use_staff_work


def work_links(user: Any) -> list[tuple[str, str]]:
    """The navigation's entries to staff tools, for those who may use them; none (and no query) for visitors."""
    if not getattr(user, "is_authenticated", False):
        return []
    links = []
    if user.is_staff and may_use_staff_work(user):
        links.append((reverse("staff-work"), _("Staff work")))
    from coalition.engagement.selectors import engagement_access

    if user.is_staff and engagement_access(user).allowed:
        links.append((reverse("engagement:index"), _("Engagement")))
    if user.is_staff and user.has_perm("mailings.view_mailing"):
        links.append((reverse("mailings:staff-list"), _("Mailings")))
    return links


def site(request: HttpRequest) -> dict[str, Any]:
    """The campaign's name and treaty (configuration, not code) and the navigation, for every page."""
    user = getattr(request, "user", None)
    return {
        "coalition_name": settings.COALITION_NAME,
        "treaty_name": settings.TREATY_NAME,
        "nav_sections": home_sections(),
        # Read only where a template asks: the campaign pages' menu (cached, pages.py) and the staff links.
        "menu_pages": SimpleLazyObject(menu_entries),
        "work_links": SimpleLazyObject(lambda: work_links(user)),
        # Called by the template only where the navigation asks (no query on pages that do not).
        "outbox_readable": lambda: may_read_outbox(request.user),
    }
