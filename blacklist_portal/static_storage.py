"""The static files storage of production: whitenoise's compressed manifest storage, with each
file's URL remembered. The manifest is read once when a process starts and never changes
under it, so a name always maps to the same URL; looking it up costs about 40 µs, and an admin
list page asks for the same few icons once per row."""

from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage


class RememberedUrlsStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name: str | None, force: bool = False) -> str:
        if force or name is None:
            return super().url(name, force)
        url = self._urls.get(name)
        if url is None:
            url = self._urls[name] = super().url(name)
        return url
