"""SMS: E.164 numbers, texts cut cleanly to one SMS, the backends, and the operator's test command."""

import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from notifications import sms
from notifications.sms.text import fit_sms, sms_length, to_e164
from notifications.tests.fakes import FakeSmsGateway

LINK = "http://127.0.0.1:8000/tickets/123/"


@pytest.mark.parametrize(("raw", "e164"), [
    ("+44 7911 123456", "+447911123456"),
    ("07911 123456", "+447911123456"),  # national form, default region GB
    ("+1 (202) 555-0143", "+12025550143"),
])
def test_numbers_go_out_in_e164(raw, e164):
    assert to_e164(raw) == e164


@pytest.mark.parametrize("raw", ["", "hello", "123", "+44 1"])
def test_invalid_numbers_are_refused(raw):
    with pytest.raises(ValueError):
        to_e164(raw)


def test_short_text_is_untouched():
    assert fit_sms("Job FD-000001 is yours", keep_tail=LINK) == f"Job FD-000001 is yours {LINK}"


@pytest.mark.parametrize("words", [10, 40, 200])
def test_long_gsm_text_fits_one_sms_cut_at_a_word_and_keeps_the_link(words):
    text = " ".join(f"word{i}" for i in range(words))
    out = fit_sms(text, keep_tail=LINK)
    length, limit = sms_length(out)
    assert limit == 160 and length <= 160
    assert out.endswith(LINK)
    if len(text) + len(LINK) + 1 > 160:
        head = out[: -len(LINK) - 1]
        assert head.endswith("...")
        assert head[:-3].split()[-1] in text.split()  # the last word is whole


def test_unicode_text_fits_the_70_unit_limit():
    out = fit_sms("Réparation urgente: fuite d’eau au 3ᵉ étage, bâtiment B, près de l’ascenseur " * 3)
    length, limit = sms_length(out)
    assert limit == 70 and length <= 70 and out.endswith("...")


def test_gsm_extension_characters_count_twice():
    assert sms_length("€" * 80) == (160, 160)
    assert sms_length(fit_sms("€" * 100))[0] <= 160


def test_locmem_backend_collects(settings):
    settings.SMS_BACKEND = "notifications.sms.backends.locmem.SmsBackend"
    sent = sms.send_sms("07911 123456", "Hello")
    assert sms.outbox == [sent] and sent.to == "+447911123456" and sent.provider_id


def test_console_backend_prints():
    stream = io.StringIO()
    sms.send_sms("+447911123456", "Hello there",
                 connection=sms.get_connection("notifications.sms.backends.console.SmsBackend", stream=stream))
    assert "SMS to +447911123456: Hello there" in stream.getvalue()


def test_twilio_backend_needs_its_settings(settings):
    settings.TWILIO_ACCOUNT_SID = ""
    with pytest.raises(ImproperlyConfigured):
        sms.get_connection("notifications.sms.backends.twilio.SmsBackend")


@pytest.fixture
def gateway(settings):
    gw = FakeSmsGateway()
    settings.SMS_BACKEND = "notifications.sms.backends.twilio.SmsBackend"
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN = "AC123", "tok"
    settings.TWILIO_FROM_NUMBER, settings.TWILIO_API_URL = "+447700900000", gw.url
    yield gw
    gw.stop()


def test_send_test_sms_command(gateway):
    out = io.StringIO()
    call_command("send_test_sms", "07911 123456", stdout=out)
    assert "sent to +447911123456 (id SM" in out.getvalue()
    assert gateway.received[0]["To"] == "+447911123456" and "gateway works" in gateway.received[0]["Body"]


def test_send_test_sms_dry_run_sends_nothing(gateway):
    out = io.StringIO()
    call_command("send_test_sms", "+447911123456", "--dry-run", stdout=out)
    assert "would send to +447911123456" in out.getvalue() and gateway.received == []


def test_send_test_sms_reports_a_failing_gateway(gateway):
    gateway.failing = True
    with pytest.raises(CommandError, match="503"):
        call_command("send_test_sms", "+447911123456", stdout=io.StringIO())


def test_send_test_sms_refuses_a_bad_number(gateway):
    with pytest.raises(CommandError, match="not a"):
        call_command("send_test_sms", "12", stdout=io.StringIO())
