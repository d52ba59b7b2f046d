"""Private files (evidence, proof of interest; SPEC §4): one abstract model for how they are
stored and one response for how they are served. Who may read a file is each app's rule; the
app decides and passes the answer in."""

import re
import unicodedata
import uuid

from django.core.files.storage import Storage, storages
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.http import FileResponse, Http404, HttpRequest
from django.utils.translation import gettext_lazy as _

from kernel.uploads import EXTENSIONS, CheckedUpload


def private_storage() -> Storage:
    # The default storage is the private one: it lives outside the static files and has no
    # MEDIA_URL, so a stored file is reachable only through private_file_response.
    return storages["default"]


def private_upload_path(instance: "PrivateFile", filename: str) -> str:
    # A random stored name with the extension of the type found in the content: nothing the
    # uploader typed reaches the file system.
    extension = EXTENSIONS.get(instance.content_type, "bin")
    return f"{instance.upload_folder()}/{uuid.uuid4().hex}.{extension}"


class PrivateFile(models.Model):
    """An uploaded file that is never public. Subclasses say which folder it goes in and hold
    the link to what it belongs to."""

    file = models.FileField(
        _("file"), upload_to=private_upload_path, storage=private_storage, max_length=200
    )
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    def upload_folder(self) -> str:
        """The folder under the private storage, e.g. "evidence/<record id>"."""
        raise NotImplementedError

    def store(self, upload: "UploadedFile[bytes]", checked: CheckedUpload) -> None:
        """Take a checked upload's facts and content; the caller saves the row."""
        self.original_name = checked.original_name
        self.content_type = checked.content_type
        self.size = checked.size
        self.sha256 = checked.sha256
        self.file.save(checked.original_name, upload, save=False)

    @property
    def download_name(self) -> str:
        """The name offered to the browser: the uploader's name with the extension of the
        type found in the content, so a PNG called "x.pdf" is saved as "x.png" and opens."""
        stem = self.original_name.rsplit(".", 1)[0]
        stem = "".join(ch for ch in stem if unicodedata.category(ch)[0] != "C")
        stem = re.sub(r'[\\/"]', "_", stem).strip(" .") or "file"
        return f"{stem}.{EXTENSIONS.get(self.content_type, 'bin')}"


def private_file_response(
    request: HttpRequest, file_obj: PrivateFile | None, *, allowed: bool
) -> FileResponse:
    """The file as an attachment, or 404 when it is missing or the caller is not allowed to
    read it: a 403 would tell a stranger that the file exists."""
    if file_obj is None or not allowed:
        raise Http404
    response = FileResponse(
        file_obj.file.open("rb"),
        as_attachment=True,
        filename=file_obj.download_name,  # Django adds RFC 5987 filename* for non-ASCII
        content_type=file_obj.content_type,
    )
    # Never let the browser guess a type from the bytes, nor a shared cache keep a copy.
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
