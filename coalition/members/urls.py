from __future__ import annotations

from django.urls import path

from coalition.core.secret_links import secret_link
from coalition.members import staff_views, views

app_name = "members"

# Fixed pages first: an organisation's slug never takes one of these names (models.RESERVED_SLUGS).
urlpatterns = [
    path("", views.directory, name="directory"),
    path("join/", views.join, name="join"),
    path("join/thanks/", views.join_thanks, name="join-thanks"),
    path("sign-up/", views.sign_up, name="sign-up"),
    path("sign-up/thanks/", views.sign_up_thanks, name="sign-up-thanks"),
    path("sign-up/confirm/<str:token>/", secret_link(views.sign_up_confirm), name="sign-up-confirm"),
    path("my-data/", views.my_data, name="my-data"),
    path("my-data/<str:token>/", secret_link(views.my_data_manage), name="my-data-manage"),
    # One flat folder: a name never holds a "/", so nothing outside members/logos/ can be asked for.
    path("logos/<str:name>", views.logo, name="logo"),
    path("staff/applications/", staff_views.staff_applications, name="staff-applications"),
    path("staff/applications/<int:pk>/", staff_views.staff_application, name="staff-application"),
    path("staff/organisations/", staff_views.staff_organisations, name="staff-organisations"),
    path("staff/organisations/import/", staff_views.staff_import, name="staff-import"),
    path("staff/supporters/", staff_views.staff_supporters, name="staff-supporters"),
    path("staff/referrals/", staff_views.staff_referrals, name="staff-referrals"),
    path("staff/organisations/<slug:slug>/status/", staff_views.staff_set_status, name="staff-set-status"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/edit/", staff_views.edit, name="edit"),
    path("<slug:slug>/referrals/", staff_views.referrals, name="referrals"),
]
