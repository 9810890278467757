"""A Celery worker process is ready to render before its first job."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from celery.signals import worker_process_init

from config.celery import app
from documents import render


@pytest.fixture
def fresh_engine() -> Iterator[None]:
    render.reset_engine()
    yield
    gc.unfreeze()


def test_a_new_worker_process_loads_the_fonts_and_stylesheet_and_freezes_them(
    fresh_engine: None,
) -> None:
    frozen_before = gc.get_freeze_count()

    worker_process_init.send(sender=app)

    assert render._engine._state is not None
    assert gc.get_freeze_count() > frozen_before
