from compliance import erasure_urls, export_urls

app_name = "compliance"

# Download my data and delete my account, each in its own module.
urlpatterns = [*export_urls.urlpatterns, *erasure_urls.urlpatterns]
