"""税务 back-office flows: the generic review for 税务 items."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from workflows.tasks.review import review_flow

ReviewFlow = review_flow(module=__name__, department=_("税务"))
