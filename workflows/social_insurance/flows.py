"""人社 back-office flows: the generic review for 人社 items."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from workflows.tasks.review import review_flow

ReviewFlow = review_flow(module=__name__, department=_("人社"))
