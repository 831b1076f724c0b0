from __future__ import annotations

from django.urls import path

from coalition.site import share_views

# Share pictures (Open Graph cards), one per language under the prefixes.
urlpatterns = [
    path("share/campaign.png", share_views.campaign_card, name="share-campaign"),
    path("share/actions/<slug:slug>.png", share_views.action_card, name="share-action"),
    path("share/states/<str:iso3>.png", share_views.state_card, name="share-state"),
]
