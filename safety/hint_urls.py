"""The personal-data hints a writer asks for while writing."""

urlpatterns = []
