from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from coalition.accounts.forms import AdminLoginForm
from coalition.site import views as site_views

admin.site.site_header = admin.site.site_title = "Coalition administration"
# The administration's log-in page counts attempts like /accounts/login/ does.
admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("", site_views.home, name="home"),
    path("", include("coalition.core.urls")),
    path("staff/", site_views.staff_work, name="staff-work"),
    path("pages/", include("coalition.site.urls")),
    path("", include("coalition.api.urls")),
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
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
]
