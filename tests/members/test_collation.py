"""Vietnamese alphabetical order: a pure key, and the same order from the
database on SQLite (Python collation) and PostgreSQL (ICU collation)."""

import random

import pytest

from members.collation import compare, sort_key
from members.models import Agency
from tests.members.factories import AgencyFactory, ProvinceFactory

# The order a Vietnamese reader expects.
EXPECTED = [
    "Ban Dân tộc",
    "Báo Quảng Ngãi",
    "Dê",
    "Dế",
    "Đài Phát thanh và Truyền hình tỉnh",
    "Đê",
    "Sở Du lịch",
    "Sở Giáo dục và Đào tạo",
    "Sở Khoa học và Công nghệ",
    "Sở Nội vụ",
    "Sở Tư pháp",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Y tế",
    "Trường Cao đẳng Cộng đồng",
    "Ủy ban Mặt trận",
]


def _shuffled(items):
    """A fixed shuffle, so a key that ignored letters could not pass by luck."""
    return random.Random(2026).sample(items, len(items))


def test_d_with_stroke_is_a_letter_after_d():
    assert sorted(["Đông", "Dung", "Em"], key=sort_key) == ["Dung", "Đông", "Em"]


@pytest.mark.parametrize(
    "letters",
    [["a", "ă", "â", "b"], ["e", "ê", "g"], ["o", "ô", "ơ", "p"], ["u", "ư", "v"]],
)
def test_vowels_with_shapes_follow_their_base(letters):
    assert sorted(_shuffled(letters), key=sort_key) == letters


def test_tones_only_break_ties_in_dictionary_order():
    # ngang, huyền, hỏi, ngã, sắc, nặng
    assert sorted(["bạ", "bá", "bã", "bả", "bà", "ba"], key=sort_key) == [
        "ba",
        "bà",
        "bả",
        "bã",
        "bá",
        "bạ",
    ]
    assert sorted(["bàn", "ban"], key=sort_key) == ["ban", "bàn"]
    # Letters decide first over the whole name: "Bàn" is a prefix of "Ban Dân".
    assert sorted(["Ban Dân", "Bàn"], key=sort_key) == ["Bàn", "Ban Dân"]


def test_case_does_not_change_the_letter_order():
    assert sorted(["sở y tế", "Sở Tư pháp"], key=sort_key) == ["Sở Tư pháp", "sở y tế"]


def test_whole_list_in_python():
    assert sorted(_shuffled(EXPECTED), key=sort_key) == EXPECTED
    assert compare("Đê", "Dê") == 1
    assert compare("Dê", "Dê") == 0


@pytest.mark.django_db
def test_the_database_sorts_agencies_the_same_way():
    province = ProvinceFactory()
    for name in reversed(EXPECTED):
        AgencyFactory(province=province, name=name)
    names = list(
        Agency.objects.filter(province=province).alphabetical().values_list("name", flat=True)
    )
    assert names == EXPECTED
