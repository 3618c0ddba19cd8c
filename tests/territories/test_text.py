import pytest

from territories.text import normalize_name


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Saint-Malo", "saint malo"),
        ("SAINT MALO", "saint malo"),
        ("  saint   malo ", "saint malo"),
        ("St-Malo", "saint malo"),
        ("Ste Marie", "sainte marie"),
        ("Gérardmer", "gerardmer"),
        ("L'Haÿ-les-Roses", "l hay les roses"),
        ("Œuilly", "oeuilly"),
        ("Provence-Alpes-Côte d\u2019Azur", "provence alpes cote d azur"),
        ("Stenay", "stenay"),
        ("", ""),
    ],
)
def test_normalize_name(name, expected):
    assert normalize_name(name) == expected
