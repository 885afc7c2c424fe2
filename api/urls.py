"""The public read API under /api/v2/ (portal/urls.py includes these): pages, images, documents."""

from wagtail.api.v2.router import WagtailAPIRouter

from .views import PublicDocumentsAPIViewSet, PublicImagesAPIViewSet, PublicPagesAPIViewSet

api_router = WagtailAPIRouter("kindred_api")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)

# The namespace the router reverses detail addresses under.
app_name = "kindred_api"
urlpatterns = api_router.get_urlpatterns()
