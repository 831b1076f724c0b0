from __future__ import annotations

from django.urls import path

from coalition.states import views

app_name = "states"

urlpatterns = [
    path("", views.state_list, name="list"),
    path("obligations/", views.obligation_list, name="obligations"),
    path("measures/<int:pk>/edit/", views.measure_update, name="measure_update"),
    path("<str:iso3>/", views.state_detail, name="detail"),
    path("<str:iso3>/brief/", views.state_brief, name="brief"),
    path("<str:iso3>/brief.pdf", views.state_brief_pdf, name="brief_pdf"),
    path("<str:iso3>/measures/new/", views.measure_create, name="measure_create"),
]
