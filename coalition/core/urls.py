from __future__ import annotations

from django.urls import path

from coalition.core import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("staff/outbox/", views.outbox, name="outbox"),
    path("staff/outbox/<int:pk>/", views.outbox_message, name="outbox-message"),
]
