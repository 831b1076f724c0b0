"""Keeps the submit path's cache of actions and targets honest: any change to what a letter's targets are
made of forgets it (selectors.action_cache_clear)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save

from coalition.letters.models import Action, Person, Position, Term
from coalition.letters.retargeting import on_treaty_status_changed
from coalition.letters.selectors import action_cache_clear
from coalition.states.models import State
from coalition.states.signals import treaty_status_changed


def _forget(sender: Any, **kwargs: Any) -> None:
    action_cache_clear()


def connect() -> None:
    for model in (Action, Position, Term, Person, State):
        post_save.connect(_forget, sender=model, dispatch_uid=f"letters-cache-save-{model.__name__}")
        post_delete.connect(_forget, sender=model, dispatch_uid=f"letters-cache-delete-{model.__name__}")
    m2m_changed.connect(_forget, sender=Action.positions.through, dispatch_uid="letters-cache-action-positions")
    treaty_status_changed.connect(on_treaty_status_changed, dispatch_uid="letters-retarget-on-status")
