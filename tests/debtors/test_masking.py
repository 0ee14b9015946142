from debtors.rules import mask_id_number


def test_eighteen_digit_number_keeps_four_at_each_end_and_hides_the_birth_date():
    masked = mask_id_number("330103199001011234")
    assert masked == "3301**********1234"
    assert "19900101" not in masked


def test_fifteen_digit_number_hides_its_six_digit_birth_date():
    masked = mask_id_number("330103900101123")
    assert masked == "3301*******1123"
    assert "900101" not in masked


def test_short_values_keep_less():
    assert mask_id_number("12345678") == "12****78"
    assert mask_id_number("123") == "***"
    assert mask_id_number("") == ""
