"""/api/v1/: the versioned REST API, its OpenAPI document, interactive page and token endpoint.

Every view is exempt from the staff login (systems authenticate with tokens,
the catalogue and the documentation are public); anything else under
/api/v1/ answers with a problem document, never the HTML 404 page.
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from oauth2_provider.views import TokenView

from workflows.api import views
from workflows.api.problems import not_found

app_name = "api"

N = r"(?P<number>[A-Za-z0-9-]{1,40})"


def _open(view):  # type: ignore[no-untyped-def]
    return login_not_required(view)


urlpatterns = [
    path("oauth/token/", _open(TokenView.as_view()), name="token"),
    path("schema/", _open(SpectacularAPIView.as_view()), name="schema"),
    path("docs/", _open(SpectacularSwaggerSplitView.as_view(url_name="api:schema")), name="docs"),
    path("items/", _open(views.ItemList.as_view()), name="items"),
    re_path(
        r"^items/(?P<code>[A-Za-z0-9-]{1,32})/$", _open(views.ItemDetail.as_view()), name="item"
    ),
    path("applications/", _open(views.ApplicationCreate.as_view()), name="applications"),
    re_path(rf"^cases/{N}/$", _open(views.CaseDetail.as_view()), name="case"),
    re_path(rf"^cases/{N}/events/$", _open(views.CaseEvents.as_view()), name="case_events"),
    re_path(
        rf"^cases/{N}/documents/$", _open(views.CaseDocuments.as_view()), name="case_documents"
    ),
    re_path(rf"^cases/{N}/withdraw/$", _open(views.CaseWithdraw.as_view()), name="case_withdraw"),
    path("documents/<int:id>/pdf/", _open(views.DocumentPdf.as_view()), name="document_pdf"),
    path("subscriptions/", _open(views.SubscriptionList.as_view()), name="subscriptions"),
    path("subscriptions/<int:id>/", _open(views.SubscriptionDetail.as_view()), name="subscription"),
    path(
        "subscriptions/<int:id>/deliveries/",
        _open(views.DeliveryLog.as_view()),
        name="subscription_deliveries",
    ),
    re_path(
        r"^centers/(?P<code>[A-Za-z0-9-]{1,32})/ratings/$",
        _open(views.CenterRatings.as_view()),
        name="center_ratings",
    ),
    path("ratings/<int:id>/", _open(views.RatingDetail.as_view()), name="rating"),
    re_path(
        r"^centers/(?P<code>[A-Za-z0-9-]{1,32})/slots/$",
        _open(views.CenterSlots.as_view()),
        name="center_slots",
    ),
    path("bookings/", _open(views.BookingCreate.as_view()), name="bookings"),
    re_path(
        r"^bookings/(?P<reference>[A-Za-z0-9]{1,12})/$",
        _open(views.BookingDetail.as_view()),
        name="booking",
    ),
    re_path(r"^.*$", _open(not_found)),
]
