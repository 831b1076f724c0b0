from __future__ import annotations

from django.urls import path

from coalition.site import views

app_name = "pages"
urlpatterns = [
    path("<slug:slug>/", views.page, name="page"),
    path("<slug:slug>/files/<int:pk>/", views.page_file, name="file"),
]
