"""The Codebook object: parsed once, immutable, and the same vocabulary the YAML file gives."""

import dataclasses

import pytest

from analysis.codebook import Codebook
from analysis.io import read_codebook, read_yaml

from ..conftest import ROOT


def test_the_article_codebook_as_frames_and_lookups():
    book = read_codebook(ROOT / "data/codebook.yaml")
    assert book.questions == ["credit", "promotion", "logistics", "customer_service"]
    assert book.areas["area"].tolist() == book.questions and book.scores == [4, 3, 2, 1]
    assert len(book.options) == 20 and book.options.groupby("question").size().to_dict() == {
        "credit": 5,
        "customer_service": 5,
        "logistics": 6,
        "promotion": 4,
    }
    assert book.threshold == 3.2 and book.id_column == "respondent_id" and book.ranking_section == "4.5"
    assert book.question_sections == {
        "credit": "4.1",
        "promotion": "4.2",
        "logistics": "4.3",
        "customer_service": "4.4",
    }
    assert book.attributes["attribute"].tolist() == ["group", "gender", "age_band"] and book.min_cell == 5
    assert len(book.columns) == 1 + 20 + 4 and book.columns[0] == "respondent_id"
    assert {"credit", book.ranking_id, "rank_credit", "gender"} <= book.targets


def test_a_codebook_cannot_be_changed_through_what_it_hands_out():
    raw = read_yaml(ROOT / "data/codebook.yaml")
    book = Codebook(raw)
    raw["id_column"] = "changed"  # the mapping it was made from
    frame = book.areas  # a frame it handed out
    frame.loc[0, "label"] = "changed"
    book.question_items[0]["label"] = "changed"
    book.questions.append("changed")
    assert book.id_column == "respondent_id" and book.areas.at[0, "label"] == "Credit risks"
    assert book.question_labels["credit"] == "Credit risk problems of micro stores" and len(book.questions) == 4
    with pytest.raises(dataclasses.FrozenInstanceError):
        book.mapping = {}  # type: ignore[misc]
    assert book == Codebook(book.to_dict()) and book != Codebook({**book.to_dict(), "id_column": "x"})
