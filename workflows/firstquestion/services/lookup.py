"""The citizens' status lookup: a case number and four digits, limited and logged."""

from __future__ import annotations

import hmac
import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from workflows.cases.models import Case
from workflows.firstquestion.models import LookupResult
from workflows.web import limits
from workflows.web.models import LookupScope

logger = logging.getLogger(__name__)

_NUMBER_RE = re.compile(r"[A-Z0-9][A-Z0-9-]{3,39}")
_DIGITS_RE = re.compile(r"[0-9X]{4}")


@dataclass(frozen=True)
class LookupOutcome:
    """What a status lookup found: the case (only when the digits matched) and the result.

    ``refusal`` (for a refused lookup) says whether the case number is locked
    or the address slowed down, and until when.
    """

    result: str
    case: Case | None = None
    refusal: limits.Refusal | None = None

    @property
    def throttled(self) -> bool:
        """A refusal for the address (a short slow-down), not for the case number."""
        return self.refusal is not None and self.refusal.by_address


def normalize_case_number(value: str) -> str:
    """A typed case number in the stored spelling (full-width forms, dashes, case)."""
    text = unicodedata.normalize("NFKC", value or "").upper()
    text = re.sub(r"[\s]", "", text)
    return re.sub(r"[—–－‐]", "-", text)[:40]


def normalize_digits(value: str) -> str:
    """The typed last four characters, upper-cased, full-width digits folded."""
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", value or "").upper())


def is_valid_lookup(number: str, digits: str) -> bool:
    """Both inputs look like a case number and four digits (before counting a guess)."""
    return bool(_NUMBER_RE.fullmatch(number) and _DIGITS_RE.fullmatch(digits))


def _phone_tail(phone: str) -> str:
    # A landline's extension (0753-8123456-801) is not part of the number.
    parts = (phone or "").split("-")
    main = "".join(parts[:2]) if len(parts) >= 3 else "".join(parts)
    digits = re.sub(r"\D", "", main)
    return digits[-4:] if len(digits) >= 4 else ""


def _digits_match(case: Case | None, digits: str) -> bool:
    if case is None:
        # Same work as a real comparison: no timing hint that the number exists.
        hmac.compare_digest("0000", digits)
        return False
    id_tail = (case.applicant_id_number or "").strip().upper()[-4:]
    phone_tail = _phone_tail(case.applicant_phone)
    by_phone = len(phone_tail) == 4 and hmac.compare_digest(phone_tail, digits)
    by_id = len(id_tail) == 4 and hmac.compare_digest(id_tail, digits)
    return by_phone or by_id


def status_lookup(
    *, ip: str, case_number: str, digits: str, now: datetime | None = None
) -> LookupOutcome:
    """One citizen lookup: refused by the limiter, else found or wrong; logged.

    "No such case" and "wrong digits" are the same result. Each attempt is a
    ``LookupAttempt`` row of scope "status" (``workflows.web.limits``): the
    per-number lock is what stops guessing, short and doubling so that a
    stranger cannot shut the applicant out for long; the per-address limit
    only slows a noisy address down for a minute, because many honest
    citizens share one address (a mobile network, a proxy).
    """
    number = normalize_case_number(case_number)
    typed = normalize_digits(digits)

    def probe() -> Case | None:
        case = (
            Case.objects.select_related("item", "department", "center")
            .filter(number=number)
            .first()
        )
        return case if _digits_match(case, typed) else None

    outcome = limits.attempt(LookupScope.STATUS, target=number, ip=ip, probe=probe, now=now)
    if outcome.refusal is not None:
        logger.warning(
            "status lookup refused (too many wrong guesses %s): ip=%s number=%s",
            "from the address" if outcome.refusal.by_address else "for the number",
            limits.safe_for_log(ip),
            limits.safe_for_log(number),
        )
        return LookupOutcome(LookupResult.REFUSED, refusal=outcome.refusal)
    if outcome.found is None:
        logger.info(
            "status lookup wrong guess: ip=%s number=%s",
            limits.safe_for_log(ip),
            limits.safe_for_log(number),
        )
        return LookupOutcome(LookupResult.WRONG)
    return LookupOutcome(LookupResult.FOUND, outcome.found)
