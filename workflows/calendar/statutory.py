"""Statutory holidays of 《全国年节及纪念日放假办法》, computed for a year.

Used only for years without a published State Council arrangement: such a
year is *provisional* and its working days are Monday to Friday minus these
holidays, with no 调休 (make-up working days are unknowable in advance).

Each revision of the 办法 is applied to the years it governed, so that an
unpublished past year is not judged by today's rules:

- 1999 text (until 2007): 元旦 1, 春节 初一至初三, 劳动节 5-01至5-03, 国庆 10-01至10-03.
- 2007 revision (2008–2013): 元旦 1, 春节 除夕至初二, 清明 1, 劳动节 1, 端午 1, 中秋 1, 国庆 3.
- 2013 revision (2014–2024): as 2007 but 春节 初一至初三.
- 2024 revision (from 2025): 春节 除夕至初三, 劳动节 5-01至5-02 (13 days in all).

Lunar dates and the 清明 solar term come from lunar_python (6tail), so no table
needs updating when a new year comes.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from lunar_python import Lunar, Solar

NEW_YEAR = "元旦"
SPRING_FESTIVAL = "春节"
QINGMING = "清明节"
LABOUR_DAY = "劳动节"
DRAGON_BOAT = "端午节"
MID_AUTUMN = "中秋节"
NATIONAL_DAY = "国庆节"


def _from_lunar(year: int, month: int, day: int) -> date:
    solar = Lunar.fromYmd(year, month, day).getSolar()
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def _qingming(year: int) -> date:
    # Mid-April always lies in the lunar year whose term table holds this year's 清明.
    term = Solar.fromYmd(year, 4, 15).getLunar().getJieQiTable()["清明"]
    return date(term.getYear(), term.getMonth(), term.getDay())


@lru_cache(maxsize=256)
def statutory_holidays(year: int) -> dict[date, str]:
    """The statutory public holidays of ``year`` (weekends included), mapped to their festival."""
    days: dict[date, str] = {date(year, 1, 1): NEW_YEAR}
    lunar_new_year = _from_lunar(year, 1, 1)
    if year <= 2007 or 2014 <= year <= 2024:
        first, count = lunar_new_year, 3
    elif year <= 2013:
        first, count = lunar_new_year - timedelta(days=1), 3
    else:
        first, count = lunar_new_year - timedelta(days=1), 4
    for offset in range(count):
        days[first + timedelta(days=offset)] = SPRING_FESTIVAL
    labour_days = 3 if year <= 2007 else (1 if year <= 2024 else 2)
    for day in range(1, labour_days + 1):
        days[date(year, 5, day)] = LABOUR_DAY
    if year >= 2008:
        days[_qingming(year)] = QINGMING
        days[_from_lunar(year, 5, 5)] = DRAGON_BOAT
        days[_from_lunar(year, 8, 15)] = MID_AUTUMN
    for day in range(1, 4):
        # 中秋 can fall on 10-01..10-03: the statute gives no extra day for the overlap.
        national = date(year, 10, day)
        days[national] = (
            f"{NATIONAL_DAY}、{MID_AUTUMN}" if days.get(national) == MID_AUTUMN else NATIONAL_DAY
        )
    return dict(sorted(days.items()))
