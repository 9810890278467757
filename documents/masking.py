"""The one masking policy for personal data: what each audience sees of an ID number or phone.

Every screen, document and public page masks through this module; no other code stars
characters. There are three named variants, because three audiences see a person's data
(GB/T 35273-2020 §7.2 display restriction, PIPL arts. 6, 28 and 51):

``SCREEN`` — staff screens (window, task, supervision pages).
    18-character ID numbers keep the first 6 and last 4 characters
    (``441426********1238``). The first six are the issuing county, which staff use to
    tell apart two applicants of the same name and to route residence-bound items; the
    last four (with the check character) let the clerk compare the card in hand. The full
    number is never on a screen by default: revealing it is an explicit, logged action
    with a purpose (``workflows.cases.services.case_reveal_personal_data``).

``PRINT`` — every printed document (receipts, notices, tickets; the stored PDF content).
    18-character ID numbers keep the first 4 and last 4 (``4414**********1238``). Paper
    leaves the office's control — it is handed over, archived, photographed and lost —
    so it shows less than a staff screen: no county of birth. The applicant knows their
    own number; the last four stay because the receipt tells the applicant which four
    digits to type on /status/.

``PUBLIC`` — the public /verify/ page, reachable by anyone who scans the QR code.
    ID numbers keep only the first 4 and never the tail (``4414**************``): the
    last four digits are the /status/ credential, and a stranger with a photographed QR
    code must not learn them from us. Names keep their first character (``张*``); no
    phone and no address are shown.

Short numbers (passports, permits: 8–14 characters) keep 2 + 2 on screen and in print, 5–7
characters 1 + 1, and 1 + 0 in public; numbers of 4 characters or fewer are starred whole.
A legal person's 统一社会信用代码 is public register data: shown whole on screen and
in print, masked like any number in public (its tail is also the /status/ credential).
Phones: mobile numbers keep 3 + 4 (``139****5678``), other numbers their last 4, on screen
and in print; never in public.
"""

from __future__ import annotations

from enum import StrEnum

MASK = "*"


class Audience(StrEnum):
    """Who is looking (see the module docstring for the reason behind each)."""

    SCREEN = "screen"
    PRINT = "print"
    PUBLIC = "public"


# (head, tail) kept for long (>= 15 characters), short (8-14) and tiny (5-7) numbers.
_ID_KEEP: dict[Audience, tuple[tuple[int, int], ...]] = {
    Audience.SCREEN: ((6, 4), (2, 2), (1, 1)),
    Audience.PRINT: ((4, 4), (2, 2), (1, 1)),
    Audience.PUBLIC: ((4, 0), (1, 0), (1, 0)),
}

USCC = "uscc"


def mask_id_number(
    value: str, audience: Audience = Audience.PRINT, *, id_type: str = "resident_id"
) -> str:
    """An ID number as ``audience`` sees it (see the module docstring)."""
    audience = Audience(audience)
    value = (value or "").strip()
    if id_type == USCC and audience is not Audience.PUBLIC:
        return value
    n = len(value)
    if n <= 4:
        return MASK * n
    long_keep, short_keep, tiny_keep = _ID_KEEP[audience]
    head, tail = long_keep if n >= 15 else short_keep if n >= 8 else tiny_keep
    return value[:head] + MASK * (n - head - tail) + (value[-tail:] if tail else "")


def mask_phone(value: str, audience: Audience = Audience.PRINT) -> str:
    """Mobile numbers keep 3 + 4 digits; other numbers keep their last 4; public shows none."""
    value = (value or "").strip()
    n = len(value)
    if n == 0:
        return ""
    if Audience(audience) is Audience.PUBLIC or n <= 4:
        return MASK * n
    if n == 11 and value.isdigit():
        return value[:3] + MASK * 4 + value[-4:]
    return MASK * (n - 4) + value[-4:]


def mask_name(value: str) -> str:
    """张三 → 张*, 欧阳小明 → 欧***: the first character stays (audience ``PUBLIC`` only)."""
    value = (value or "").strip()
    if not value:
        return ""
    return value[0] + MASK * max(len(value) - 1, 1)


def printed_id_number(*, id_number: str, id_type: str, applicant_kind: str) -> str:
    """The ID number as printed on a document (audience ``PRINT``)."""
    if applicant_kind != "organisation" and id_type == USCC:
        id_type = "resident_id"  # only an organisation's credit code is public data
    return mask_id_number(id_number, Audience.PRINT, id_type=id_type)
