from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kommunestyre.domain.model import InvoiceDetails, ParticipantDetails
from kommunestyre.domain.validation import (
    clean_text,
    ean_check_digit,
    ean_warnings,
    parse_amount,
    validate_cvr,
    validate_ean,
    validate_email,
    validate_invoice,
    validate_participant,
    validate_phone,
)
from kommunestyre.errors import InvalidRecord, ValidationError

FIELDS = ["kommunaldirektor", "teknik_miljo", "andet"]


@pytest.mark.parametrize("ean", ["5798009813640", "5798000123458", "5798 0001 2345 8"])
def test_valid_ean_numbers(ean: str) -> None:
    assert validate_ean(ean) == ean.replace(" ", "")


def test_worked_example_check_digit() -> None:
    assert ean_check_digit("579800012345") == 8


@pytest.mark.parametrize(
    ("ean", "reason"),
    [
        ("5798009813641", "check digit"),
        ("579800981364", "13 digits"),
        ("57980098136400", "13 digits"),
        ("579800981364X", "13 digits"),
        ("５７９８００９８１３６４０", "13 digits"),  # full-width digits are not digits here
    ],
)
def test_invalid_ean_numbers(ean: str, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        validate_ean(ean)


@given(st.text(alphabet="0123456789", min_size=12, max_size=12), st.integers(1, 9))
def test_ean_check_digit_catches_every_single_digit_error(first: str, delta: int) -> None:
    ean = first + str(ean_check_digit(first))
    assert validate_ean(ean) == ean
    wrong = ean[:12] + str((int(ean[12]) + delta) % 10)
    with pytest.raises(ValidationError):
        validate_ean(wrong)


def test_private_ean_is_a_warning_not_an_error() -> None:
    ean = "579000000000" + str(ean_check_digit("579000000000"))
    assert validate_ean(ean) == ean
    assert ean_warnings(ean)
    assert ean_warnings("5798009813640") == []


@pytest.mark.parametrize("cvr", ["37284114", "13748136", "13585628", "DK37284114", "3728 4114"])
def test_valid_cvr_numbers(cvr: str) -> None:
    assert validate_cvr(cvr) == cvr.replace("DK", "").replace(" ", "")


@pytest.mark.parametrize("cvr", ["37284115", "13585627", "03728411", "1234567", "abcdefgh"])
def test_invalid_cvr_numbers(cvr: str) -> None:
    with pytest.raises(ValidationError):
        validate_cvr(cvr)


@pytest.mark.parametrize(
    ("phone", "expected"),
    [
        ("12345678", "12 34 56 78"),
        ("12 34 56 78", "12 34 56 78"),
        ("+45 12 34 56 78", "12 34 56 78"),
        ("+4512345678", "12 34 56 78"),
        ("0045 1234 5678", "12 34 56 78"),
        ("", ""),
    ],
)
def test_danish_phone_numbers(phone: str, expected: str) -> None:
    assert validate_phone(phone) == expected


@pytest.mark.parametrize("phone", ["1234567", "123456789", "+46 12 34 56 78", "12-34-56-78", "tlf"])
def test_invalid_phone_numbers(phone: str) -> None:
    with pytest.raises(ValidationError, match="Danish phone number"):
        validate_phone(phone)


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("jens.hansen@aarhus.dk", "jens.hansen@aarhus.dk"),
        ("  Jens.Hansen@AARHUS.DK ", "Jens.Hansen@aarhus.dk"),
        ("a+b@sub.kommune.example", "a+b@sub.kommune.example"),
        ("x@københavn.dk", "x@københavn.dk"),
    ],
)
def test_valid_email(email: str, expected: str) -> None:
    assert validate_email(email) == expected


@pytest.mark.parametrize(
    "email",
    [
        "jens",
        "jens@",
        "@aarhus.dk",
        "jens@aarhus",
        "jens hansen@aarhus.dk",
        "jens@@aarhus.dk",
        "jens..hansen@aarhus.dk",
        ".jens@aarhus.dk",
        "jens@-aarhus.dk",
        "jens@aarhus.d",
        "jens@aarhus.dk\r\nBcc: x@y.dk",
        "jens@aar\nhus.dk",
        "søren@aarhus.dk",
        "",
    ],
)
def test_invalid_email(email: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_email(email)
    assert caught.value.field == "email"


def test_text_refuses_line_breaks_and_empty_names() -> None:
    with pytest.raises(ValidationError, match="one line"):
        clean_text("Jens\nHansen", "name")
    with pytest.raises(ValidationError, match="empty"):
        clean_text("   ", "name", required=True)
    with pytest.raises(ValidationError, match="too long"):
        clean_text("x" * 201, "name")


def test_amounts_are_exact_and_never_floats() -> None:
    assert str(parse_amount(14900, "price")) == "14900"
    assert str(parse_amount("14900.50", "price")) == "14900.50"
    for bad in (14900.0, True, "fourteen", "-1", "NaN"):
        with pytest.raises(ValidationError):
            parse_amount(bad, "price")


def test_participant_validation_reports_every_bad_field_at_once() -> None:
    details = ParticipantDetails(name=" ", field="nope", email="bad", phone="12")
    with pytest.raises(InvalidRecord) as caught:
        validate_participant(details, FIELDS)
    problems = caught.value
    assert {p.field for p in problems.problems} == {"name", "field", "email", "phone"}
    assert problems.for_field("email") is not None
    assert problems.for_field("title") is None


def test_participant_validation_cleans() -> None:
    details = ParticipantDetails(
        name=" Jens Hansen ",
        title="Kommunaldirektør",
        field="kommunaldirektor",
        email="Jens@Aarhus.DK",
        phone="+45 12345678",
        extra_fields=("teknik_miljo", "teknik_miljo"),
    )
    clean = validate_participant(details, FIELDS)
    assert clean.name == "Jens Hansen"
    assert clean.email == "Jens@aarhus.dk"
    assert clean.phone == "12 34 56 78"
    assert clean.extra_fields == ("teknik_miljo",)


def test_invoice_validation() -> None:
    clean = validate_invoice(
        InvoiceDetails(ean="5798009813640", cvr="37284114", reference=" PO 1 ")
    )
    assert clean.reference == "PO 1"
    with pytest.raises(InvalidRecord) as caught:
        validate_invoice(InvoiceDetails(ean="5798009813641", cvr="37284115", contact_email="x"))
    assert {p.field for p in caught.value.problems} == {"ean", "cvr", "contact_email"}


@pytest.mark.parametrize(
    "email", ["anne@aarhus\u00ad.dk", "anne@aarhus\uff0edk", "anne@aar\u200bhus.dk"]
)
def test_look_alike_domains_are_refused(email: str) -> None:
    with pytest.raises(ValidationError, match=r"invisible|look-alike"):
        validate_email(email)


def test_more_phone_and_cvr_edges() -> None:
    with pytest.raises(ValidationError):
        validate_phone("00451234")
    with pytest.raises(ValidationError, match="missing after DK"):
        validate_cvr("DK")


def test_danish_thousands_separator_is_not_read_as_a_decimal() -> None:
    with pytest.raises(ValidationError, match="thousands separator"):
        parse_amount("14.900", "price")
    assert str(parse_amount("14900.50", "price")) == "14900.50"
