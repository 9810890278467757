"""Every write of 好差评: atomic, permission-checked, one ``RatingEvent`` each.

A rating's rules live here: who may rate (the applicant, proved by the last
four digits; or the clerk's counter pad for the case in front of them), one
current rating per case and moment (a newer one replaces it within
``RATING_REVISE_HOURS``, or after a rectification's feedback), a 差评 needs a
reason and opens a rectification whose clocks run in working days on the
legal calendar. Records for the provincial platform go to ``PushRecord`` in
the same transaction; ``push`` sends them.

Invitations, ratings, rectifications, appeals, the platform records and the
unsaved rows each have their module; this package re-exports their services.
"""

from workflows.rating.services._base import setting
from workflows.rating.services.appeals import appeal_decide, appeal_file
from workflows.rating.services.invitations import (
    CODE_ALPHABET,
    CODE_LENGTH,
    invitation_for,
    moments_for,
    normalize_code,
    rating_invite,
    rating_send_sms,
    rating_url,
)
from workflows.rating.services.ratings import (
    COMMENT_MAX,
    may_rate,
    rating_submit,
    ratings_default_due,
)
from workflows.rating.services.records import rating_record
from workflows.rating.services.rectifications import (
    heads_of,
    is_assignee,
    rectification_call_back,
    rectification_feed_back,
    rectification_open,
    rectification_resolve,
)
from workflows.rating.services.rows import invitation_row, rating_row, rectification_row

__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "COMMENT_MAX",
    "appeal_decide",
    "appeal_file",
    "heads_of",
    "invitation_for",
    "invitation_row",
    "is_assignee",
    "may_rate",
    "moments_for",
    "normalize_code",
    "rating_invite",
    "rating_record",
    "rating_row",
    "rating_send_sms",
    "rating_submit",
    "rating_url",
    "ratings_default_due",
    "rectification_call_back",
    "rectification_feed_back",
    "rectification_open",
    "rectification_resolve",
    "rectification_row",
    "setting",
]
