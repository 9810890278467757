"""/api/v1/: thin views over the cases, documents and API services; every call audited.

One module per resource group; ``urls.py`` and callers import the views from here.
"""

from workflows.api.views.base import ApiView, PublicView
from workflows.api.views.bookings import BookingCreate, BookingDetail, CenterSlots, booking_data
from workflows.api.views.cases import (
    ApplicationCreate,
    CaseDetail,
    CaseEvents,
    CaseWithdraw,
    case_data,
)
from workflows.api.views.catalogue import ItemDetail, ItemList
from workflows.api.views.documents import CaseDocuments, DocumentPdf, PdfRenderer
from workflows.api.views.ratings import CenterRatings, RatingDetail, rating_data
from workflows.api.views.webhooks import DeliveryLog, SubscriptionDetail, SubscriptionList

__all__ = [
    "ApiView",
    "ApplicationCreate",
    "BookingCreate",
    "BookingDetail",
    "CaseDetail",
    "CaseDocuments",
    "CaseEvents",
    "CaseWithdraw",
    "CenterRatings",
    "CenterSlots",
    "DeliveryLog",
    "DocumentPdf",
    "ItemDetail",
    "ItemList",
    "PdfRenderer",
    "PublicView",
    "RatingDetail",
    "SubscriptionDetail",
    "SubscriptionList",
    "booking_data",
    "case_data",
    "rating_data",
]
