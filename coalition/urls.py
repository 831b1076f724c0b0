from __future__ import annotations

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.views.i18n import JavaScriptCatalog

from coalition.accounts.forms import AdminLoginForm
from coalition.site import views as site_views

handler500 = "coalition.site.errors.server_error"

admin.site.site_header = admin.site.site_title = "Coalition administration"
# The administration's log-in page counts attempts like /accounts/login/ does.
admin.site.login_form = AdminLoginForm

# Machine and staff-tool addresses keep one address in every language (docs/decisions/0017-language-in-the-url.md):
# the API and its docs, the admin, the health check and the outbox, and the language form's target.
# They take the language of the request (cookie, then Accept-Language): core.middleware.LocaleMiddleware.
unprefixed_urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("coalition.core.urls")),
    path("", include("coalition.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
urlpatterns = list(unprefixed_urlpatterns)

# Pages people read and share: English at the root, the other languages under /fr/, /es/, /ar/. An address
# without a prefix (every link in an e-mail sent before the prefixes existed) still answers, in English.
urlpatterns += i18n_patterns(
    path("", site_views.home, name="home"),
    path("accounts/", include("coalition.accounts.urls")),
    path("members/", include("coalition.members.urls")),
    path("states/", include("coalition.states.urls")),
    path("meetings/", include("coalition.states.meeting_urls")),
    path("meetings/", include("coalition.engagement.delegation_urls")),
    path("events/", include("coalition.events.urls")),
    path("act/", include("coalition.letters.urls")),
    path("research/", include("coalition.research.urls")),
    path("engagement/", include("coalition.engagement.urls")),
    path("mailings/", include("coalition.mailings.urls")),
    path("news/", include("coalition.mailings.news_urls")),
    path("staff/", site_views.staff_work, name="staff-work"),
    path("pages/", include("coalition.site.urls")),
    path("", include("coalition.site.share_urls")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    prefix_default_language=False,
)
