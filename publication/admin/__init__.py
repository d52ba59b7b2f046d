from publication.admin import archive  # noqa: F401
