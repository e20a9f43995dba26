"""Writes the bad-input corpus of this folder (run once; the files are committed).

Each file is a small wave with one kind of fault; manifest.yaml says whether the fault
stops the build (``stop``, with a message fragment) or excludes rows (``exclude``, with
the reasons expected in exclusions.csv).
"""

from pathlib import Path

import yaml

from analysis.io import read_codebook

HERE = Path(__file__).parent
ROOT = HERE.parents[2]
code = read_codebook(ROOT / "data/codebook.yaml")
opts = code.options["column"].tolist()
firsts = {q["options"][0]["column"] for q in code.question_items}
areas = code.areas["column"].tolist()
header = ["respondent_id", *opts, *areas]


def row(rid, ranks=("4", "3", "2", "1"), **cells):
    r = {"respondent_id": str(rid), **{c: ("1" if c in firsts else "0") for c in opts}, **dict(zip(areas, ranks))}
    r.update(cells)
    return r


def csv(rows, cols=header, sep=","):
    lines = [sep.join(cols)] + [sep.join(str(r.get(c, "")) for c in cols) for r in rows]
    return "\n".join(lines) + "\n"


def good(n=6):
    return [row(i) for i in range(1, n + 1)]


files: dict[str, bytes] = {}
manifest: list[dict] = []


def add(name, data, kind, outcome, expect, **kw):
    files[name] = data if isinstance(data, bytes) else data.encode()
    manifest.append({"file": name, "kind": kind, "outcome": outcome, "expect": expect, **kw})


add("empty.csv", b"", "empty file", "stop", "file is empty")
add("header_only.csv", csv([]), "header only", "stop", "header only")
add(
    "latin1.csv",
    csv(good()).replace("respondent_id", "respondent_id").encode() + "7,café\n".encode("latin-1"),
    "wrong encoding (Latin-1)",
    "stop",
    "not utf-8 text",
)
add("utf16.csv", csv(good()).encode("utf-16"), "UTF-16 text", "stop", "binary data")
add("garbage.bin.csv", bytes(range(256)) * 8, "binary garbage", "stop", "binary data")
add(
    "missing_column.csv",
    csv(good(), [c for c in header if c != "rank_logistics"]),
    "missing column",
    "stop",
    "missing column(s) rank_logistics",
)
add(
    "extra_column.csv",
    csv(good(), header + ["favourite_colour"]),
    "extra column",
    "stop",
    "unknown column(s) favourite_colour",
)
add(
    "duplicate_column.csv",
    csv(good(), header + ["credit_quality"]),
    "duplicated column",
    "stop",
    "unknown column(s) credit_quality.1",
)
add(
    "extra_fields.csv",
    csv(good()) + "99," + ",".join(["0"] * (len(header) + 2)) + "\n",
    "row with extra fields",
    "stop",
    "malformed CSV",
)
add("not_a_workbook.xlsx", b"this is not a spreadsheet\n", "text file named .xlsx", "stop", "not a readable .xlsx")
add("not_spss.sav", b"$FL2 not really spss", "damaged .sav", "stop", "not a readable SPSS .sav")
add(
    "all_empty_question.csv",
    csv([{**row(i), "credit_counterfeit": "0"} for i in range(1, 6)]),
    "all-empty question",
    "stop",
    "question 'credit' has no selection in any row",
)
add(
    "unmapped_chinese_header.csv",
    csv(good(), ["编号", *header[1:]]),
    "question text not mapped",
    "stop",
    "missing column(s) respondent_id",
)
add(
    "truncated.csv",
    csv(good()) + ",".join(["7", "1", "0", "0"]),
    "truncated file (last row cut)",
    "exclude",
    {"truncated_row": 1},
)
add("duplicate_ids.csv", csv(good() + [row(3)]), "duplicate ids", "exclude", {"duplicate_id": 1})
add("bad_ids.csv", csv(good() + [row(""), row("  ")]), "empty ids", "exclude", {"empty_id": 2})
add(
    "text_ids.csv",
    csv([row(i) for i in ("W2-0001", "R_3kT9xQ", "0042", "42", " 7 ", "W2-0001")]),
    "ids as survey platforms write them (text, leading zeros, spaces); one repeated",
    "exclude",
    {"duplicate_id": 1},
)
add(
    "ties.csv",
    csv(good() + [row(7, ("4", "4", "2", "1")), row(8, ("3", "3", "3", "3"))]),
    "ties in rankings",
    "exclude",
    {"tie": 2},
)
add(
    "gaps.csv",
    csv(good() + [row(7, ("4", "", "2", "1")), row(8, ("", "", "", ""))]),
    "gaps and blanks in rankings",
    "exclude",
    {"incomplete": 1, "blank": 1},
)
add(
    "score_out_of_range.csv",
    csv(good() + [row(7, ("5", "3", "2", "1")), row(8, ("0", "3", "2", "1"))]),
    "scores out of range",
    "exclude",
    {"out_of_range": 2},
)
add(
    "non_numeric_scores.csv",
    csv(good() + [row(7, ("four", "3", "2", "1")), row(8, ("2.5", "3", "4", "1"))]),
    "non-numeric scores",
    "exclude",
    {"out_of_range": 2},
)
add(
    "code_out_of_range.csv",
    csv(good() + [row(7, credit_quality="2"), row(8, logistics_other="yes")]),
    "multiple-response codes out of range",
    "exclude",
    {"code_out_of_range": 2},
)
add(
    "formula.csv",
    csv(good() + [row(7, credit_quality="=cmd|' /C calc'!A0"), row(8, ranks=("@SUM(1+1)", "3", "2", "1"))]),
    "formula-looking strings",
    "exclude",
    {"code_out_of_range": 1, "out_of_range": 1},
    neutralised=True,
)
add(
    "html_free_text.csv",
    csv(
        good()
        + [
            {**row(7), "comment": "<script>window.__xss=1</script><b>hi</b>"},
            row(8, credit_quality="<img src=x onerror=alert(1)>"),
        ],
        header + ["comment"],
    ),
    "HTML in free text and in a code cell",
    "exclude",
    {"code_out_of_range": 1},
    free_text=True,
)
add(
    "attribute_out_of_range.csv",
    csv([{**r, "group": "student"} for r in good()] + [{**row(7), "group": "retired"}], header + ["group"]),
    "attribute value not in the codebook",
    "exclude",
    {"attribute_not_coded": 1},
)
add(
    "crlf_bom.csv",
    "\ufeff".encode() + csv(good()).replace("\n", "\r\n").encode(),
    "Windows line ends with BOM (valid)",
    "exclude",
    {},
)

for name, data in files.items():
    (HERE / name).write_bytes(data)
(HERE / "manifest.yaml").write_text(
    "# Generated by make_corpus.py: expected outcome of each bad input.\n"
    + yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False)
)
print(len(files), "files")
