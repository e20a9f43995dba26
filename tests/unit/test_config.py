"""Configuration mistakes: one clear message each (file, line, key path, what is allowed),
checked before any job runs; JSON Schema stays the schema of record."""

import copy

import pytest
from snakemake.exceptions import WorkflowError
from snakemake.utils import validate

from analysis.workflow.configcheck import ConfigError, check_config, read_config_text

from ..conftest import ROOT

SCHEMA = str(ROOT / "schemas/config.schema.yaml")
TEXT = (ROOT / "config.yaml").read_text(encoding="utf-8")


WAVE_KEYS = (
    "a wave has id, path, format, encoding, simulate, label, field_date, panel, revision, acknowledge_exclusions, "
    "columns, preset, sheet, value_labels, header_rows, id_column, metadata, ignore, selections, "
    "selected_text, delimiter, options_as, not_answered, ranking, ranking_separator, areas_as, partial_rankings, weights, strata, cluster, rake, trim, recode"
)


def test_project_config_is_valid(config):
    validate(copy.deepcopy(config), SCHEMA)


@pytest.mark.parametrize(
    "change",
    [
        lambda c: c.pop("waves"),
        lambda c: c["waves"].append({"id": "bad id!", "path": "x.csv"}),
        lambda c: c["reconstruction"]["invalid_rankings"].update(typo=1),
        lambda c: c["report"].update(engine="word"),
        lambda c: c.update(unknown_key=1),
    ],
)
def test_bad_config_is_rejected_by_the_schema_of_record(config, change):
    c = copy.deepcopy(config)
    change(c)
    with pytest.raises(WorkflowError):
        validate(c, SCHEMA)


def message(tmp_path, text: str, extra: str | None = None) -> str:
    """The message for config ``text`` (and an optional --configfile ``extra``), as the Snakefile gives it."""
    f = tmp_path / "config.yaml"
    f.write_text(text, encoding="utf-8")
    files = [f]
    config = read_config_text(f)
    if extra is not None:
        g = tmp_path / "extra.yaml"
        g.write_text(extra, encoding="utf-8")
        files.append(g)
        config.update(read_config_text(g))
    with pytest.raises(ConfigError) as e:
        check_config(config, files, read_config_text(SCHEMA), ROOT)
    return str(e.value)


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_misspelled_top_level_key_is_one_line_with_did_you_mean(tmp_path):
    bad = TEXT.replace("sensitivity:", "sensitivty:")
    msg = message(tmp_path, bad)
    assert msg.splitlines() == [
        f"{tmp_path / 'config.yaml'}:{line_of(bad, 'sensitivty:')}: sensitivty: unknown key 'sensitivty' (did you mean "
        "'sensitivity'?); the configuration has waves, published, codebook, countermeasures, reconstruction, "
        "inference, sensitivity, report"
    ]


def test_unknown_key_in_a_wave_names_the_wave_and_its_keys(tmp_path):
    bad = TEXT.replace("path: data/raw/2021", "pth: data/raw/2021")
    msg = message(tmp_path, bad)
    assert msg.splitlines() == [
        f"{tmp_path / 'config.yaml'}:{line_of(bad, 'pth:')}: waves[0].pth: unknown key 'pth' (did you mean 'path'?); "
        + WAVE_KEYS
    ]


def test_yaml_syntax_error_names_file_line_and_column(tmp_path):
    f = tmp_path / "config.yaml"
    f.write_text("report:\n  engine: [auto\nwaves: []\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"config\.yaml:3:\d+: not valid YAML"):
        read_config_text(f)


def test_config_that_is_not_utf8(tmp_path):
    f = tmp_path / "config.yaml"
    f.write_bytes("report:\n  authors: [{name: Zoë}]\n".encode("latin-1"))
    with pytest.raises(ConfigError, match=r"config\.yaml:2:22: the file is not UTF-8 text \(byte 0xeb\)"):
        read_config_text(f)


def test_two_waves_with_one_id(tmp_path):
    line = '  - {id: "2021", path: tests/data/bad/ties.csv, label: again}\n'
    msg = message(tmp_path, TEXT + line)
    assert msg == (
        f"{tmp_path / 'config.yaml'}:{len(TEXT.splitlines()) + 1}: waves[1].id: wave id '2021' is used "
        "twice (also waves[0]); each wave needs its own id"
    )


def test_wave_file_that_does_not_exist(tmp_path):
    msg = message(tmp_path, TEXT + '  - {id: "2026", path: data/raw/2026/responses.csv}\n')
    assert msg.endswith(f"waves[1].path: no file 'data/raw/2026/responses.csv' (paths are relative to {ROOT})")


def test_wave_path_that_is_a_folder_or_another_waves_file(tmp_path):
    msg = message(tmp_path, TEXT + '  - {id: "2026", path: data/raw}\n')
    assert msg.endswith("waves[1].path: 'data/raw' is a folder, not a file: name the export file in it")
    msg = message(tmp_path, TEXT + '  - {id: "2026", path: ./data/raw/2021/responses.csv}\n')
    assert msg.endswith(
        "waves[1].path: './data/raw/2021/responses.csv' is also the file of waves[0] ('2021'): one wave per file"
    )


def test_reconstruction_wave_must_name_a_wave(tmp_path):
    bad = TEXT.replace('{id: "2021"', '{id: "w2021"')
    msg = message(tmp_path, bad)
    # (no "did you mean": the only wave it may name is the one whose file is the article's data)
    assert msg == (
        f"{tmp_path / 'config.yaml'}:{line_of(bad, 'wave: ')}: reconstruction.wave: '2021' names no wave; "
        "waves are w2021. It must name the article's wave, whose file is the article's reconstructed data; "
        "another survey cannot stand in for it. To analyse only your own survey, remove the "
        "`reconstruction:` section"
    )


def test_values_outside_the_schema_say_what_is_allowed(tmp_path):
    bad = TEXT.replace("engine: auto", "engine: word")
    assert message(tmp_path, bad).endswith("report.engine: 'word' is not allowed; allowed: auto, builtin, quarto")
    sim = TEXT + '  - {id: "sim", simulate: {n: 10, seed: 1, invalid_share: 2}}\n'
    assert message(tmp_path, sim).endswith("waves[1].simulate.invalid_share: 2 is greater than the maximum of 1")
    both = TEXT + '  - {id: "x", path: data/raw/2021/responses.csv, simulate: {n: 1, seed: 1}}\n'
    assert message(tmp_path, both).endswith("waves[1]: a wave has either 'path' or 'simulate', not both")


def test_mistake_in_a_configfile_is_located_in_that_file(tmp_path):
    extra = (
        'waves:\n  - {id: "2021", path: data/raw/2021/responses.csv}\n  - {id: "x", path: data/raw/x.csv, lable: X}\n'
    )
    msg = message(tmp_path, TEXT, extra)
    assert msg.splitlines() == [
        f"{tmp_path / 'extra.yaml'}:3: waves[1].lable: unknown key 'lable' (did you mean 'label'?); " + WAVE_KEYS
    ]


def test_a_columns_mapping_to_no_codebook_column_is_named(tmp_path):
    bad = TEXT.replace('field_date: "2020"}', 'field_date: "2020", columns: {Q1: credit_qualty}}')
    assert bad != TEXT
    msg = message(tmp_path, bad)
    assert msg.splitlines()[0].endswith(
        "waves[0].columns.Q1: 'credit_qualty' is not a codebook column, question id or "
        "the ranking's id (did you mean 'credit_quality'?)"
    )


def test_the_papers_authors_and_date_say_what_is_wrong(tmp_path):
    """report.authors and report.date (the paper's title block): an unquoted date, a malformed
    ORCID iD and an author without a name are each one line naming the key."""
    unquoted = TEXT.replace('date: "2026-12-07"', "date: 2026-12-07")
    assert unquoted != TEXT
    assert message(tmp_path, unquoted).endswith(
        "report.date: 2026-12-07 is read as a date, not text; write it in quotes"
    )
    orcid = TEXT.replace('affiliation: "placeholder', 'orcid: "0000-0002-1825-009"\n      affiliation: "placeholder')
    assert message(tmp_path, orcid).endswith(
        "report.authors[0].orcid: '0000-0002-1825-009' does not match the form expected: ORCID iD, e.g. 0000-0002-1825-0097"
    )
    nameless = TEXT.replace('- name: "microstore-risk contributors"\n      affiliation', "- affiliation")
    assert message(tmp_path, nameless).endswith("report.authors[0]: missing key 'name' in an author")
