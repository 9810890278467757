"""Validators for the identifiers a window clerk types in.

- Resident ID numbers (居民身份证号码, GB 11643-1999): check digit by
  ISO 7064 MOD 11-2, birth date and sex derived from the number.
- Unified social credit codes (统一社会信用代码, GB 32100-2015): check
  character by the standard's weights, modulo 31.
- Mainland mobile and landline phone numbers, normalised to one spelling.

Every message is a module constant (tests assert it exactly); the ones with
``%(name)s`` placeholders are filled by ``ValidationError`` params.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

Sex = Literal["M", "F"]

# ---------------------------------------------------------------- messages

RESIDENT_ID_LENGTH = _("居民身份证号码应为 18 位，现为 %(length)d 位。")
RESIDENT_ID_CHARACTERS = _("居民身份证号码前 17 位应为数字，第 18 位应为数字或 X。")
RESIDENT_ID_CHECK_DIGIT = _(
    "居民身份证号码校验码错误：按前 17 位计算，第 18 位应为 %(expected)s，实为 %(actual)s。"
)
RESIDENT_ID_AREA = _("居民身份证号码前 6 位（%(area)s）不是有效的行政区划代码。")
RESIDENT_ID_DATE_INVALID = _("居民身份证号码中的出生日期（%(digits)s）不是真实存在的日期。")
RESIDENT_ID_DATE_FUTURE = _("居民身份证号码中的出生日期（%(birth_date)s）晚于今天。")
RESIDENT_ID_DATE_TOO_EARLY = _("居民身份证号码中的出生日期（%(birth_date)s）早于 1900 年。")
BIRTH_DATE_MISMATCH = _("出生日期与居民身份证号码不符：号码显示出生日期为 %(expected)s。")
SEX_MISMATCH = _("性别与居民身份证号码不符：号码显示性别为%(expected)s。")

USCC_LENGTH = _("统一社会信用代码应为 18 位，现为 %(length)d 位。")
USCC_CHARACTERS = _(
    "统一社会信用代码含有不允许的字符（%(chars)s）：只能使用数字和除 I、O、Z、S、V 以外的大写字母。"
)
USCC_AREA = _("统一社会信用代码第 3 至 8 位应为 6 位数字的行政区划码，现为 %(area)s。")
USCC_CHECK_DIGIT = _(
    "统一社会信用代码校验码错误：按前 17 位计算，第 18 位应为 %(expected)s，实为 %(actual)s。"
)

PHONE_INVALID = _(
    "请输入有效的电话号码：手机号码为 11 位（1 开头，第二位为 3 至 9），"
    "固定电话为区号加 7 至 8 位号码，例如 0753-8123456，分机号可写在最后，例如 0753-8123456-801。"
)
MOBILE_INVALID = _("请输入有效的手机号码：11 位数字，以 13 至 19 开头。")

# Codes on ValidationError, for callers that branch on the fault.
CODE_LENGTH: Final = "length"
CODE_CHARACTERS: Final = "characters"
CODE_CHECK_DIGIT: Final = "check_digit"
CODE_AREA: Final = "area"
CODE_DATE_INVALID: Final = "birth_date_invalid"
CODE_DATE_FUTURE: Final = "birth_date_future"
CODE_DATE_TOO_EARLY: Final = "birth_date_too_early"
CODE_BIRTH_DATE_MISMATCH: Final = "birth_date_mismatch"
CODE_SEX_MISMATCH: Final = "sex_mismatch"
CODE_PHONE: Final = "phone"

SEX_LABELS: Final[dict[str, str]] = {"M": "男", "F": "女"}

EARLIEST_BIRTH_DATE: Final = date(1900, 1, 1)


def _normalise(value: object) -> str:
    """Full-width to half-width (NFKC), spaces dropped, upper case.

    NFKC turns full-width digits into ASCII ones but leaves Arabic-Indic or Devanagari
    digits as they are; the checks below accept ASCII digits only, so those are refused.
    """
    text = unicodedata.normalize("NFKC", str(value or ""))
    return re.sub(r"\s+", "", text).upper()


# ---------------------------------------------------------------- resident ID (GB 11643-1999)

RESIDENT_ID_WEIGHTS: Final = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_CHECK_CHARS: Final = "10X98765432"

# First two digits of the GB/T 2260 area code: the 31 mainland provinces,
# Taiwan (71), Hong Kong (81) and Macao (82). 83 is the prefix of the residence
# permits for Taiwan residents (台湾居民居住证), numbered under GB 11643 too.
PROVINCE_CODES: Final = frozenset(
    {
        "11", "12", "13", "14", "15",
        "21", "22", "23",
        "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46",
        "50", "51", "52", "53", "54",
        "61", "62", "63", "64", "65",
        "71", "81", "82", "83",
    }
)  # fmt: skip


@dataclass(frozen=True)
class ResidentId:
    """A checked resident ID number and what it says about its holder."""

    number: str
    birth_date: date
    sex: Sex

    @property
    def area_code(self) -> str:
        """The 6-digit administrative division code of first registration."""
        return self.number[:6]

    @property
    def sex_label(self) -> str:
        """男 or 女."""
        return SEX_LABELS[self.sex]


def resident_id_check_digit(first17: str) -> str:
    """The GB 11643 check character (0-9 or X) for the first 17 digits."""
    if len(first17) != 17 or not (first17.isascii() and first17.isdigit()):
        raise ValueError("the check digit is defined on exactly 17 digits")
    total = sum(int(d) * w for d, w in zip(first17, RESIDENT_ID_WEIGHTS, strict=True))
    return RESIDENT_ID_CHECK_CHARS[total % 11]


def parse_resident_id(value: str, *, today: date | None = None) -> ResidentId:
    """Check an 18-character resident ID number and derive birth date and sex.

    Accepts a lower-case ``x`` and full-width characters, and ignores spaces.
    Checks, in order: length, characters, check digit, area code, birth date.
    Raises ``ValidationError`` with one message and code per fault.
    """
    number = _normalise(value)
    if len(number) != 18:
        raise ValidationError(RESIDENT_ID_LENGTH, code=CODE_LENGTH, params={"length": len(number)})
    if not re.fullmatch(r"[0-9]{17}[0-9X]", number):
        raise ValidationError(RESIDENT_ID_CHARACTERS, code=CODE_CHARACTERS)
    expected = resident_id_check_digit(number[:17])
    if number[17] != expected:
        raise ValidationError(
            RESIDENT_ID_CHECK_DIGIT,
            code=CODE_CHECK_DIGIT,
            params={"expected": expected, "actual": number[17]},
        )
    area = number[:6]
    if area[:2] not in PROVINCE_CODES:
        raise ValidationError(RESIDENT_ID_AREA, code=CODE_AREA, params={"area": area})
    digits = number[6:14]
    try:
        birth_date = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise ValidationError(
            RESIDENT_ID_DATE_INVALID, code=CODE_DATE_INVALID, params={"digits": digits}
        ) from None
    if birth_date < EARLIEST_BIRTH_DATE:
        raise ValidationError(
            RESIDENT_ID_DATE_TOO_EARLY,
            code=CODE_DATE_TOO_EARLY,
            params={"birth_date": birth_date.isoformat()},
        )
    if birth_date > (today or timezone.localdate()):
        raise ValidationError(
            RESIDENT_ID_DATE_FUTURE,
            code=CODE_DATE_FUTURE,
            params={"birth_date": birth_date.isoformat()},
        )
    sex: Sex = "M" if int(number[16]) % 2 else "F"
    return ResidentId(number=number, birth_date=birth_date, sex=sex)


def validate_resident_id(value: str) -> None:
    """Field validator: raise ``ValidationError`` unless ``value`` is a valid resident ID."""
    parse_resident_id(value)


def check_resident_id_matches(
    resident_id: ResidentId, *, birth_date: date | None = None, sex: str | None = None
) -> None:
    """Refuse a birth date or sex that contradicts the ID number.

    Empty values are not checked. Raises one ``ValidationError`` keyed by
    field (``birth_date``, ``sex``) so a form can attach each message to its field.
    """
    errors: dict[str, ValidationError] = {}
    if birth_date is not None and birth_date != resident_id.birth_date:
        errors["birth_date"] = ValidationError(
            BIRTH_DATE_MISMATCH,
            code=CODE_BIRTH_DATE_MISMATCH,
            params={"expected": resident_id.birth_date.isoformat()},
        )
    if sex and sex != resident_id.sex:
        errors["sex"] = ValidationError(
            SEX_MISMATCH, code=CODE_SEX_MISMATCH, params={"expected": resident_id.sex_label}
        )
    if errors:
        raise ValidationError(errors)


# ---------------------------------------------------------------- USCC (GB 32100-2015)

USCC_ALPHABET: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS: Final = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_character(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters of a credit code."""
    if len(first17) != 17 or any(c not in USCC_ALPHABET for c in first17):
        raise ValueError("the check character is defined on 17 characters of the code alphabet")
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def normalize_uscc(value: str) -> str:
    """Check a unified social credit code and return it in upper case.

    Raises ``ValidationError`` for a wrong length, a character outside the
    code alphabet, a non-numeric area part (positions 3-8) or a wrong check character.
    """
    code = _normalise(value)
    if len(code) != 18:
        raise ValidationError(USCC_LENGTH, code=CODE_LENGTH, params={"length": len(code)})
    bad = sorted({c for c in code if c not in USCC_ALPHABET})
    if bad:
        raise ValidationError(
            USCC_CHARACTERS, code=CODE_CHARACTERS, params={"chars": "、".join(bad)}
        )
    if not (code[2:8].isascii() and code[2:8].isdigit()):
        raise ValidationError(USCC_AREA, code=CODE_AREA, params={"area": code[2:8]})
    expected = uscc_check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            USCC_CHECK_DIGIT,
            code=CODE_CHECK_DIGIT,
            params={"expected": expected, "actual": code[17]},
        )
    return code


def validate_uscc(value: str) -> None:
    """Field validator: raise ``ValidationError`` unless ``value`` is a valid credit code."""
    normalize_uscc(value)


# ---------------------------------------------------------------- phone numbers

_PREFIX_RE: Final = re.compile(r"(?:\+86|0086)")
_MOBILE_RE: Final = re.compile(r"(?:86)?(1[3-9]\d{9})", re.ASCII)
# Area codes: 010 and 020-029 have three digits, every other one four (0753 梅州).
# Local numbers have 7 or 8 digits and never start with 0 or 1.
_LANDLINE_RE: Final = re.compile(r"(?P<area>010|02\d|0[3-9]\d{2})(?P<local>[2-9]\d{6,7})", re.ASCII)
_EXTENSION_RE: Final = re.compile(r"(?P<main>.+?)(?:转|分机|EXT\.?|#)(?P<ext>\d{1,6})", re.ASCII)
_SEPARATORS_RE: Final = re.compile(r"[-().·]+")


def _split_phone(value: str) -> tuple[str, str]:
    """The digits of a phone number and its extension ("" when none)."""
    text = _normalise(value)
    international = _PREFIX_RE.match(text)
    if international:
        text = text[international.end() :]
        # +86 753 8123456: the trunk prefix 0 is dropped in international form.
        if text and not text.lstrip("-(").startswith(("0", "1")):
            text = "0" + text.lstrip("-(")
    ext = ""
    marked = _EXTENSION_RE.fullmatch(text)
    if marked:
        text, ext = marked["main"], marked["ext"]
    groups = [g for g in _SEPARATORS_RE.split(text) if g]
    digits = "".join(groups)
    # 0753-8123456-801: a trailing group that does not fit the number is its extension.
    if (
        not ext
        and len(groups) >= 2
        and not _LANDLINE_RE.fullmatch(digits)
        and _LANDLINE_RE.fullmatch("".join(groups[:-1]))
        and re.fullmatch(r"[0-9]{1,6}", groups[-1])
    ):
        digits, ext = "".join(groups[:-1]), groups[-1]
    return digits, ext


def normalize_phone(value: str) -> str:
    """A mainland mobile or landline number in one spelling, or ``ValidationError``.

    Mobile numbers become 11 digits (``13800138000``); landlines become
    ``0753-8123456``, with an extension as ``0753-8123456-801`` (written
    ``-801``, ``转801``, ``分机801``, ``ext801`` or ``#801``). Spaces,
    hyphens, dots and brackets are accepted, as is a +86 or 0086 prefix.
    """
    digits, ext = _split_phone(value)
    mobile = _MOBILE_RE.fullmatch(digits)
    if mobile and not ext:
        return mobile.group(1)
    landline = _LANDLINE_RE.fullmatch(digits)
    if landline is None:
        raise ValidationError(PHONE_INVALID, code=CODE_PHONE)
    result = f"{landline['area']}-{landline['local']}"
    return f"{result}-{ext}" if ext else result


def validate_phone(value: str) -> None:
    """Field validator: a mainland mobile or landline number."""
    normalize_phone(value)


def normalize_mobile(value: str) -> str:
    """A mainland mobile number as 11 digits, or ``ValidationError``."""
    digits, ext = _split_phone(value)
    mobile = _MOBILE_RE.fullmatch(digits)
    if mobile is None or ext:
        raise ValidationError(MOBILE_INVALID, code=CODE_PHONE)
    return mobile.group(1)
