"""Reading the FANE gold corpora into khabar's four types."""

import gzip

import pytest

from khabar.entities.fane import FANE_TO_COARSE, read_fane, with_domain


def write(tmp_path, lines):
    path = tmp_path / "fane.txt.gz"
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        stream.write("\ufeff" + "".join(line + "\r\n" for line in lines))
    return path


def test_fine_classes_become_the_four_types_and_marks_are_dropped(tmp_path):
    path = write(tmp_path, ["\u200eقال\tO", "\u200eعادل\tB-Politician", "\u200eالجبير\tI-Politician",
                            "\u200eفي\tO", "\u200eالرياض\tB-Population-Center", "\t",
                            "\u200eالفلسطينيون\tB-Group", "\u200eقرأوا\tO", "\u200eالقرآن\tB-Book"])
    first, second = read_fane(path)
    assert first == [("قال", "O"), ("عادل", "B-PERS"), ("الجبير", "I-PERS"), ("في", "O"), ("الرياض", "B-LOC")]
    assert second == [("الفلسطينيون", "O"), ("قرأوا", "O"), ("القرآن", "B-MISC")]


def test_an_entity_whose_first_token_was_mapped_away_starts_where_it_continues(tmp_path):
    mapping = dict(FANE_TO_COARSE, Politician=None)
    path = write(tmp_path, ["\u200eعادل\tB-Group", "\u200eالجبير\tI-Politician"])
    assert read_fane(path, mapping) == [[("عادل", "O"), ("الجبير", "O")]]
    path = write(tmp_path, ["\u200eوفد\tB-Group", "\u200eمصر\tI-Nation"])
    assert read_fane(path) == [[("وفد", "O"), ("مصر", "B-LOC")]]


def test_an_unknown_class_is_an_error_that_names_it(tmp_path):
    with pytest.raises(ValueError, match="Spaceship"):
        read_fane(write(tmp_path, ["\u200eX\tB-Spaceship"]))


def test_domain_features_keep_a_shared_copy():
    assert with_domain([["w=x", "bias"]], "A") == [["w=x", "bias", "A|w=x", "A|bias"]]
