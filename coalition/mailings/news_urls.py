from __future__ import annotations

from django.urls import path

from coalition.mailings import views

app_name = "news"

urlpatterns = [
    path("", views.news, name="list"),
    path("feed.atom", views.news_feed, name="feed"),
    path("<slug:slug>/", views.news_item, name="item"),
]
