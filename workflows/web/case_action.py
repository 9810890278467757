"""The prelude every staff action on one case repeats: visible case → role → replay → status."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse

from workflows.cases.models import Case

if TYPE_CHECKING:
    from django.contrib.auth.models import User

CaseView = Callable[..., HttpResponse]  # (request, case, **kwargs)
NumberView = Callable[..., HttpResponse]  # (request, number, **kwargs)


def available_transitions(case: Case) -> frozenset[str]:
    """The names of the status transitions the case's FSM allows now (django-fsm)."""
    transitions = case.get_available_status_transitions()  # type: ignore[attr-defined]
    return frozenset(t.name for t in transitions)


def case_action(
    *,
    find: Callable[[HttpRequest, str], Case],
    allowed: Callable[[User, Case], bool],
    forbidden: Callable[[Case], Exception],
    replay: Callable[[HttpRequest, Case], HttpResponse | None] | None = None,
    guard: Callable[[Case], None] | None = None,
    transition: str | None = None,
    wrong_status: Callable[[HttpRequest, Case], HttpResponse] | None = None,
) -> Callable[[CaseView], NumberView]:
    """Decorate ``view(request, case, ...)`` into ``view(request, number, ...)``, steps in order.

    1. ``find`` the case this user may see by its number (it raises Http404 otherwise);
    2. unless ``allowed(user, case)``, raise ``forbidden(case)`` (a 403);
    3. a ``replay`` answer (a form posted again after it acted) is returned as is;
    4. ``guard(case)`` may refuse what no status allows (it raises);
    5. unless the FSM allows ``transition`` now, ``wrong_status(request, case)`` is returned.
    """
    if (transition is None) != (wrong_status is None):
        raise ValueError("case_action: a transition and its wrong_status answer go together")

    def decorator(view: CaseView) -> NumberView:
        @wraps(view)
        def wrapped(request: HttpRequest, number: str, *args: Any, **kwargs: Any) -> HttpResponse:
            case = find(request, number)
            if not allowed(request.user, case):  # type: ignore[arg-type]
                raise forbidden(case)
            if replay is not None and (answer := replay(request, case)) is not None:
                return answer
            if guard is not None:
                guard(case)
            if wrong_status is not None and transition not in available_transitions(case):
                return wrong_status(request, case)
            return view(request, case, *args, **kwargs)

        return wrapped

    return decorator


__all__ = ["available_transitions", "case_action"]
