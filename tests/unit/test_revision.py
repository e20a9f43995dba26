"""Questionnaire revisions as data: a wave's revision applied to the codebook, checked against
it, proposed by wave-init from a platform's export, and a three-wave build from exports alone
(the last wave with an added and a dropped option) whose paper names the revisions, shows every
wave's flow and flags a planted monotone trend as the only significant one."""

import pytest

from analysis.revision import RevisionError, common, left_out, revised

PLANTED = "logistics.no_carrier_choice"


def test_a_revision_adds_drops_and_renames(codebook):
    c = revised(
        codebook,
        {
            "added_options": [{"question": "logistics", "id": "live_stream", "label": "Live-stream selling"}],
            "dropped_options": ["credit.other"],
            "renamed_options": {"credit.quality": "Quality"},
            "added_areas": [{"id": "platform", "label": "Platform risks"}],
        },
    )
    opts = c.options.assign(oid=lambda o: o["question"] + "." + o["option"]).set_index("oid")
    assert opts.at["logistics.live_stream", "column"] == "logistics_live_stream" and "credit.other" not in opts.index
    assert opts.at["credit.quality", "label"] == "Quality"
    assert c.areas["area"].iloc[-1] == "platform" and c.scores == [5, 4, 3, 2, 1]
    assert c.revision["dropped_options"] == ["credit.other"]
    assert len(codebook.areas) == 4  # the codebook itself unchanged
    both = common([codebook, c])
    assert "credit.other" not in {f"{q['id']}.{o['id']}" for q in both.question_items for o in q["options"]}
    assert both.areas.empty  # four areas against five: no common ranking
    gone = left_out({"a": codebook, "b": c})
    assert (
        gone["a"][:1] == ["credit.other"] and "logistics.live_stream" in gone["b"] and "ranking.platform" in gone["b"]
    )


@pytest.mark.parametrize(
    "revision, message",
    [
        ({"dropped_options": ["credit.nothing"]}, "dropped_options: 'credit.nothing' is not an option of the codebook"),
        (
            {"added_options": [{"question": "price", "id": "x", "label": "X"}]},
            "question 'price' is not in the codebook",
        ),
        ({"added_areas": [{"id": "credit", "label": "Credit"}]}, "added_areas: 'credit' is already a ranking area"),
    ],
)
def test_a_revision_that_does_not_fit_is_one_message(codebook, revision, message):
    with pytest.raises(RevisionError, match=message):
        revised(codebook, revision)
