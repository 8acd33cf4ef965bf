"""What a case document may be, checked by its content, and metadata removed where feasible.

Accepted: PDF, JPEG, PNG and DOCX, up to ``MAX_BYTES`` (10 MB by default,
``settings.AMPARO["CASE_DOCUMENT_MAX_BYTES"]`` to change it). The type is read from the bytes
themselves (magic numbers; images are decoded by Pillow; a DOCX must be a ZIP with the parts
of a Word document), and the file name's extension must agree with it, so a renamed
executable or a PDF called ``photo.jpg`` is refused.

JPEG and PNG are re-encoded from their pixels by Pillow, which drops EXIF (GPS position, camera
serial, time), XMP, ICC and text chunks; the picture is first turned upright from its EXIF
orientation so nothing looks different. PDF and DOCX metadata (author, producer) are kept: they
cannot be removed without rewriting the document, which could change what a court receives.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
PDF, JPEG, PNG, DOCX = (
    "application/pdf",
    "image/jpeg",
    "image/png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
EXTENSIONS: dict[str, frozenset[str]] = {
    PDF: frozenset({".pdf"}),
    JPEG: frozenset({".jpg", ".jpeg"}),
    PNG: frozenset({".png"}),
    DOCX: frozenset({".docx"}),
}
#: Decompression bombs: refuse images with more pixels than this (a 50-megapixel photo is fine).
MAX_PIXELS = 60_000_000


class DocumentRefused(ValueError):
    """The file cannot be stored; ``message`` is translated and says what to do."""

    def __init__(self, message: object) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class CheckedDocument:
    content: bytes
    content_type: str
    filename: str
    metadata_stripped: bool


def max_bytes() -> int:
    value: Any = settings.AMPARO.get("CASE_DOCUMENT_MAX_BYTES", DEFAULT_MAX_BYTES)
    return int(value)


def sniff(data: bytes) -> str | None:
    """The type of ``data`` from its content alone, or None if it is none of ours."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return DOCX
    return None


def _clean_name(filename: str) -> str:
    name = PurePath(filename.replace("\\", "/")).name.strip()
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"/\\|?*')
    return name[:200] or "document"


def _strip_image(data: bytes, content_type: str) -> bytes:
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.width * probe.height > MAX_PIXELS:
                raise DocumentRefused(_("This picture is too large. Send a smaller one."))
            probe.verify()  # checks the file's structure without decoding every pixel
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
            mode = upright.mode
            if content_type == JPEG and mode not in ("RGB", "L", "CMYK"):
                upright = upright.convert("RGB")
                mode = "RGB"
            # A fresh image holds the pixels and nothing else: no EXIF, XMP, ICC or text.
            clean = Image.new(mode, upright.size)
            clean.paste(upright)
            palette = upright.getpalette() if mode == "P" else None
            if palette is not None:
                clean.putpalette(palette)
            out = io.BytesIO()
            if content_type == JPEG:
                clean.save(out, format="JPEG", quality=92, optimize=True)
            else:
                clean.save(out, format="PNG", optimize=True)
            return out.getvalue()
    except DocumentRefused:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
    ) as exc:
        raise DocumentRefused(_("This picture is damaged or is not really a JPEG or PNG.")) from exc


def check_document(data: bytes, filename: str) -> CheckedDocument:
    """Accept ``data`` as a case document or raise ``DocumentRefused`` with the reason."""
    if not data:
        raise DocumentRefused(_("The file is empty."))
    limit = max_bytes()
    if len(data) > limit:
        raise DocumentRefused(
            _("The file is larger than %(mb)s MB. Send a smaller file.")
            % {"mb": limit // (1024 * 1024)}
        )
    content_type = sniff(data)
    if content_type is None:
        raise DocumentRefused(_("Send a PDF, JPEG, PNG or Word (DOCX) file."))
    name = _clean_name(filename)
    extension = PurePath(name).suffix.lower()
    if extension not in EXTENSIONS[content_type]:
        raise DocumentRefused(
            _("The file's name does not match what it contains. Check that it is the right file.")
        )
    stripped = False
    if content_type in (JPEG, PNG):
        data = _strip_image(data, content_type)
        stripped = True
    return CheckedDocument(
        content=data, content_type=content_type, filename=name, metadata_stripped=stripped
    )
