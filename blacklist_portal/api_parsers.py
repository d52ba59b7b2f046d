"""Request body parsers of the API."""

from collections.abc import Mapping
from typing import Any

from rest_framework.parsers import JSONParser


class Utf8JSONParser(JSONParser):
    """JSON is UTF-8 (RFC 8259 §8.1), whatever charset the Content-Type names. DRF would
    decode with that charset: a client sending `charset=latin-1` by mistake had its Chinese
    stored garbled, in an audited check, with a 201."""

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        return super().parse(stream, media_type, {**(parser_context or {}), "encoding": "utf-8"})
