from __future__ import annotations

from django.urls import path

from coalition.states import views

app_name = "states"

urlpatterns = [
    path("", views.state_list, name="list"),
    path("measures/<int:pk>/edit/", views.measure_update, name="measure_update"),
    path("<str:iso3>/", views.state_detail, name="detail"),
    path("<str:iso3>/measures/new/", views.measure_create, name="measure_create"),
]
