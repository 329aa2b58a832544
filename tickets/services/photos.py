"""Photos: decoded with Pillow (never trusted by name), re-encoded without EXIF, thumbnailed."""

from __future__ import annotations

import io
import uuid
import warnings

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from tickets import permissions
from tickets.models import Photo, Ticket
from tickets.services.common import lock, record_event

MAX_PHOTOS = 10
MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
THUMB_SIZE = (480, 480)
FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}


def _read(upload) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ValidationError({"photos": _("“%(name)s” is larger than 10 MB.") % {"name": _name(upload)}})
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    upload.seek(0)
    if len(data) > MAX_BYTES:
        raise ValidationError({"photos": _("“%(name)s” is larger than 10 MB.") % {"name": _name(upload)}})
    return data


def _name(upload) -> str:
    return (getattr(upload, "name", "") or "photo")[-100:]


def _decode(upload) -> tuple[Image.Image, str]:
    """The fully decoded image and its format; ValidationError for anything else."""
    data = _read(upload)
    bad = ValidationError({"photos": _("“%(name)s” is not a JPEG, PNG or WebP image.") % {"name": _name(upload)}})
    too_big = ValidationError(
        {"photos": _("“%(name)s” has more than 40 megapixels.") % {"name": _name(upload)}}
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
            fmt = image.format
            if fmt not in FORMATS:
                raise bad
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise too_big
            image.load()  # decode every pixel: truncated or corrupt files fail here
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise too_big from None
        except ValidationError:
            raise
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            raise bad from None
    return image, fmt


def photo_validate(upload) -> None:
    """Raise ValidationError unless ``upload`` is a real JPEG/PNG/WebP within the size limits."""
    _decode(upload)


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
    elif fmt == "PNG":
        image.save(out, "PNG", optimize=True)
    else:
        image.save(out, "WEBP", quality=85)
    return out.getvalue()


def _thumbnail(image: Image.Image) -> bytes:
    thumb = image.copy()
    thumb.thumbnail(THUMB_SIZE)
    if thumb.mode not in ("RGB", "L"):
        background = Image.new("RGB", thumb.size, "white")
        rgba = thumb.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        thumb = background
    out = io.BytesIO()
    thumb.convert("RGB").save(out, "JPEG", quality=80)
    return out.getvalue()


@transaction.atomic
def photo_add(*, actor, ticket: Ticket, upload) -> Photo:
    """Store ``upload`` re-encoded (EXIF and trailing bytes dropped) under a random name, with a thumbnail."""
    locked = lock(ticket)  # serialises the count check
    if not permissions.can_add_photo(actor, locked):
        raise PermissionDenied(_("You may not add photos to this ticket."))
    if locked.photos.count() >= MAX_PHOTOS:
        raise ValidationError({"photos": _("A ticket holds at most %(n)s photos.") % {"n": MAX_PHOTOS}})
    image, fmt = _decode(upload)
    image = ImageOps.exif_transpose(image)  # keep the orientation the EXIF asked for, then drop EXIF
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    content_type, ext = FORMATS[fmt]
    data = _encode(image, fmt)
    stem = uuid.uuid4().hex
    photo = Photo(
        ticket=locked, content_type=content_type, width=image.width, height=image.height, size=len(data),
        original_name=_name(upload)[:255], uploaded_by=actor,
    )
    photo.image.save(f"{stem}.{ext}", ContentFile(data), save=False)
    photo.thumbnail.save(f"{stem}_thumb.jpg", ContentFile(_thumbnail(image)), save=False)
    photo.save()
    record_event(ticket=locked, actor=actor, action="photo", changes={"photo_id": photo.pk,
                                                                       "name": photo.original_name})
    return photo
