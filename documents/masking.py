"""Display restriction of personal data on paper and on the public verify page.

The rule (GB/T 35273-2020 §7.2, PIPL art. 6 and 51):

- Printed documents never show a person's full ID number, on any copy. The
  same stored PDF is handed to the applicant, archived and reprinted; the
  applicant knows their own number, and a lost or photographed notice must
  not leak it. The case record keeps the full number for staff.
  18-character IDs keep the first 4 and last 4 characters
  (``4414**********1238``); shorter numbers proportionally less.
- A legal person's 统一社会信用代码 is public register data and is printed in full.
- The applicant's and agent's phone numbers are printed masked (``139****5678``).
- The public verify page masks more: name → first character + ``*``, ID
  masked as above (also for organisations), no address, no phone.
"""

from __future__ import annotations

MASK = "*"


def mask_id_number(value: str) -> str:
    """Keep the first and last few characters of an ID number, star the rest."""
    value = (value or "").strip()
    n = len(value)
    if n == 0:
        return ""
    if n >= 15:
        keep_head, keep_tail = 4, 4
    elif n >= 8:
        keep_head, keep_tail = 2, 2
    elif n >= 4:
        keep_head, keep_tail = 1, 1
    else:
        return MASK * n
    return value[:keep_head] + MASK * (n - keep_head - keep_tail) + value[-keep_tail:]


def mask_phone(value: str) -> str:
    """Mobile numbers keep 3 + 4 digits; other numbers keep their last 4."""
    value = (value or "").strip()
    n = len(value)
    if n == 0:
        return ""
    if n == 11 and value.isdigit():
        return value[:3] + MASK * 4 + value[-4:]
    if n <= 4:
        return MASK * n
    return MASK * (n - 4) + value[-4:]


def mask_name(value: str) -> str:
    """张三 → 张*, 欧阳小明 → 欧***: the first character stays."""
    value = (value or "").strip()
    if not value:
        return ""
    return value[0] + MASK * max(len(value) - 1, 1)


def printed_id_number(*, id_number: str, id_type: str, applicant_kind: str) -> str:
    """The ID number as printed on a document (see the module rule)."""
    if applicant_kind == "organisation" and id_type == "uscc":
        return id_number
    return mask_id_number(id_number)
