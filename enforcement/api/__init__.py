"""REST API of the enforcement app (``/api/v1/``): reads through the visibility helper, writes
through ``enforcement.services``."""
