"""Phone numbers in E.164 form and SMS texts that fit in one message."""

import phonenumbers
from django.conf import settings

# GSM 03.38 basic character set (one septet each) and its extension table (two septets each).
GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = set("^{}\\[~]|€\f")
GSM_LIMIT = 160
UCS2_LIMIT = 70
ELLIPSIS = "..."


def to_e164(number) -> str:
    """``number`` (a PhoneNumber or text) in E.164 form; ValueError when it is not a valid number."""
    if hasattr(number, "as_e164"):
        if not number.is_valid():
            raise ValueError(f"not a valid phone number: {number}")
        return number.as_e164
    try:
        parsed = phonenumbers.parse(str(number), settings.PHONENUMBER_DEFAULT_REGION)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"not a phone number: {number!r}") from exc
    if not phonenumbers.is_valid_number(parsed):
        raise ValueError(f"not a valid phone number: {number!r}")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def is_gsm(text: str) -> bool:
    return all(c in GSM_BASIC or c in GSM_EXTENDED for c in text)


def sms_length(text: str) -> tuple[int, int]:
    """(length in the text's encoding units, the limit of one SMS in that encoding)."""
    if is_gsm(text):
        return sum(2 if c in GSM_EXTENDED else 1 for c in text), GSM_LIMIT
    # UCS-2: characters outside the BMP take two units.
    return sum(2 if ord(c) > 0xFFFF else 1 for c in text), UCS2_LIMIT


def fit_sms(text: str, *, keep_tail: str = "") -> str:
    """``text`` (+ a space and ``keep_tail``, e.g. a link, never cut) within one SMS.

    A text that is too long is cut at a word boundary and ends with "...", never in the middle
    of a word or of a two-unit character.
    """
    text = " ".join(text.split())
    tail = f" {keep_tail}" if keep_tail else ""
    whole = text + tail
    length, limit = sms_length(whole)
    if length <= limit:
        return whole
    budget = limit - sms_length(tail + ELLIPSIS)[0]
    if budget <= 0:  # the tail alone does not fit: cut everything
        return fit_sms(whole)
    cut, used = [], 0
    for c in text:
        w = sms_length(c)[0] if limit == GSM_LIMIT else (2 if ord(c) > 0xFFFF else 1)
        if used + w > budget:
            break
        cut.append(c)
        used += w
    head = "".join(cut)
    if len(head) < len(text) and not text[len(head)].isspace():
        # Mid-word: go back to the last space, unless the text is one long word.
        space = head.rfind(" ")
        if space > budget // 2:
            head = head[:space]
    head = head.rstrip(" ,.;:-")
    return head + ELLIPSIS + tail
