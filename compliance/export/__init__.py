"""The archive of "Download my data": what goes in it (``sections``) and how it is
written (``archive``). The services in ``compliance.services.exports`` call it."""
