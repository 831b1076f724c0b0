from __future__ import annotations

from django.urls import path

from coalition.core.secret_links import secret_link
from coalition.mailings import views

app_name = "mailings"

urlpatterns = [
    path("staff/", views.staff_list, name="staff-list"),
    path("staff/new/", views.staff_new, name="staff-new"),
    path("staff/lists/", views.staff_lists, name="staff-lists"),
    path("staff/segments/", views.staff_segments, name="staff-segments"),
    path("staff/suppressions/", views.staff_suppressions, name="staff-suppressions"),
    path("staff/<int:pk>/", views.staff_detail, name="staff-detail"),
    path("staff/<int:pk>/edit/", views.staff_edit, name="staff-edit"),
    path("staff/<int:pk>/decide/", views.staff_decide, name="staff-decide"),
    path("staff/<int:pk>/progress/", views.staff_progress, name="staff-progress"),
    path("staff/<int:pk>/preview/", views.staff_preview, name="staff-preview"),
    # The token is the recipient's own: whoever holds it changes their lists (RFC 8058 one-click POST).
    path("unsubscribe/<str:token>/", secret_link(views.unsubscribe), name="unsubscribe"),
    path("subscriptions/<str:token>/", secret_link(views.subscriptions), name="subscriptions"),
    # Bounces and complaints posted by the mail provider (django-anymail), with the shared secret.
    path("provider-events/", views.provider_events, name="provider-events"),
]
