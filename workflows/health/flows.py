"""卫健 back-office flows: the generic review for 卫健 items."""

from __future__ import annotations

from workflows.tasks.review import review_flow

ReviewFlow = review_flow(module=__name__, department="卫健")
