"""Values thousands of digits long are refused by their length, never converted (issue 9,
defect 3): Python's ``int()`` takes quadratic time up to 4,300 digits and raises ``ValueError``
beyond, where Go's ``strconv.Atoi`` simply errs."""

from __future__ import annotations

import pytest

from pynsc.claims import ValidationResults
from pynsc.claims.subjects import go_atoi, validate_renaming_subject


@pytest.mark.parametrize(
    ("text", "value"),
    [("-9223372036854775808", -(2**63)), ("9223372036854775807", 2**63 - 1),
     ("9223372036854775808", None), ("0" * 5000 + "7", 7), ("+12", 12), ("1" * 5000, None),
     ("-" + "9" * 20, None), ("1x", None)],
    ids=["min", "max", "max+1", "leading zeros", "plus", "5000 digits", "20 digits", "junk"],
)  # fmt: skip
def test_go_atoi_as_go(text: str, value: int | None) -> None:
    assert go_atoi(text) == value


def test_a_renaming_reference_of_5000_digits_is_no_reference() -> None:
    results = ValidationResults()
    validate_renaming_subject("$" + "1" * 5000, "a", results)  # raised ValueError
    assert results.is_empty()


@pytest.mark.parametrize(
    ("cidr", "valid"),
    [("10.0.0.0/8", True), ("10.0.0.0/" + "0" * 5000 + "8", True), ("::1/128", True),
     ("10.0.0.0/" + "1" * 5000, False), ("10.0.0.0/33", False), ("::1/0129", False)],
    ids=["plain", "leading zeros", "ipv6", "5000 digits", "too long a prefix", "ipv6 too long"],
)  # fmt: skip
def test_cidr_prefix_lengths(cidr: str, valid: bool) -> None:
    from pynsc.claims.subjects import is_valid_cidr

    assert is_valid_cidr(cidr) is valid  # 5000 digits raised ValueError
