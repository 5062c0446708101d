import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from data_platform.sources.readers import Drop, ReadStats, read_drop
from data_platform.sources.registry import FieldMap, Source

LANDED = datetime(2026, 1, 1, tzinfo=UTC)


def read_all(
    source: Source, path: Path, chunk_rows: int = 50_000
) -> tuple[pl.DataFrame, pl.DataFrame, ReadStats]:
    stats = ReadStats()
    drop = Drop(source=source, path=path, batch_id=f"{source.id}:{path.name}", ingested_at=LANDED)
    chunks = list(read_drop(drop, stats, chunk_rows=chunk_rows))
    records = pl.concat([c.records for c in chunks])
    rejects = pl.concat([c.rejects for c in chunks])
    assert stats.records_in == records.height + rejects.height, "records in = accepted + quarantined"
    return records, rejects, stats


def jsonl(path: Path, lines: list[str | dict]) -> Path:
    body = "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n"
    path.write_text(body, encoding="utf-8")
    return path


def test_faulty_lines_are_quarantined_with_line_and_field_and_the_rest_kept(tmp_path, source_factory) -> None:
    path = jsonl(
        tmp_path / "a.jsonl",
        [
            {"id": "1", "text": "first"},
            "",
            {"id": "2", "text": 5},
            '{"id": "3", "text": "cut',
            {"id": "4"},
            "[1, 2]",
            {"id": "5", "text": "last", "topic": "x"},
        ],
    )
    records, rejects, stats = read_all(source_factory(), path)
    assert records["text"].to_list() == ["first", "last"]
    assert records["origin_line"].to_list() == [1, 7]
    assert records["meta"].to_list() == [
        '{"id": "1", "text": "first"}',
        '{"id": "5", "text": "last", "topic": "x"}',
    ]
    got = {(r["origin_line"], r["reason"], r["field"]) for r in rejects.to_dicts()}
    assert got == {
        (3, "wrong_type", "text"),
        (4, "invalid_json", None),
        (5, "missing_field", "text"),
        (6, "not_an_object", None),
    }
    assert all(str(path) in d and "line" in d for d in rejects["detail"])
    assert stats.blank_lines == 1


def test_records_carry_provenance_and_stable_ids(tmp_path, source_factory) -> None:
    path = jsonl(tmp_path / "a.jsonl", [{"id": "k1", "text": "héllo"}])
    records, _, _ = read_all(source_factory(), path)
    row = records.row(0, named=True)
    assert row["origin_file"] == str(path) and row["origin_byte"] == 0
    assert row["licence"] == "CC-BY-4.0" and row["consent"] == "public-dataset"
    assert row["lang"] == "en" and row["ingested_at"] == LANDED
    again, _, _ = read_all(source_factory(), jsonl(tmp_path / "b.jsonl", [{"id": "k1", "text": "other"}]))
    assert again["record_id"][0] == row["record_id"], "the id depends on source and key only"
    assert len(row["record_id"]) == 32 and len(row["content_sha256"]) == 64


def test_invalid_utf8_line_is_quarantined(tmp_path, source_factory) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(
        b'{"id": "1", "text": "ok"}\n{"id": "2", "text": "bad \xff\xfe"}\n{"id": "3", "text": "ok too"}\n'
    )
    records, rejects, _ = read_all(source_factory(), path)
    assert records["record_id"].len() == 2
    assert rejects.select("origin_line", "reason").row(0) == (2, "invalid_utf8")


def test_truncated_gzip_keeps_everything_before_the_cut(tmp_path, source_factory) -> None:
    rows = [{"id": str(i), "text": f"record number {i} " * 5} for i in range(2000)]
    data = gzip.compress(("\n".join(json.dumps(r) for r in rows) + "\n").encode())
    path = tmp_path / "a.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    records, rejects, _ = read_all(source_factory(format="jsonl.gz"), path, chunk_rows=300)
    assert 0 < records.height < 2000
    assert records["origin_line"].to_list() == list(range(1, records.height + 1))
    [reject] = rejects.to_dicts()
    assert reject["reason"] == "truncated_file"


def test_single_line_over_the_size_limit_is_quarantined_without_loading_neighbours(
    tmp_path, source_factory
) -> None:
    big = json.dumps({"id": "big", "text": "x" * 5_000_000})
    path = jsonl(tmp_path / "a.jsonl", [{"id": "1", "text": "before"}, big, {"id": "2", "text": "after"}])
    records, rejects, _ = read_all(source_factory(max_record_bytes=1_000_000), path)
    assert records["text"].to_list() == ["before", "after"]
    assert rejects.select("origin_line", "reason").row(0) == (2, "record_too_large")
    records, rejects, _ = read_all(source_factory(max_record_bytes=10_000_000), path)
    assert records.height == 3 and rejects.height == 0


def test_empty_file_gives_a_quarantine_row(tmp_path, source_factory) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b"")
    records, rejects, _ = read_all(source_factory(), path)
    assert records.height == 0
    assert rejects["reason"].to_list() == ["empty_file"]


def test_repeated_key_within_a_drop_keeps_the_first_across_chunks(tmp_path, source_factory) -> None:
    lines = [{"id": str(i % 7), "text": f"t{i}"} for i in range(20)]
    records, rejects, _ = read_all(source_factory(), jsonl(tmp_path / "a.jsonl", lines), chunk_rows=3)
    assert records["text"].to_list() == [f"t{i}" for i in range(7)]
    assert set(rejects["reason"]) == {"duplicate_key"} and rejects.height == 13


def test_chunking_does_not_change_the_result(tmp_path, source_factory) -> None:
    lines = [{"id": str(i), "text": f"text {i}"} for i in range(1000)] + ["{broken"]
    path = jsonl(tmp_path / "a.jsonl", lines)
    small = read_all(source_factory(), path, chunk_rows=7)
    large = read_all(source_factory(), path)
    assert small[0].equals(large[0]) and small[1].equals(large[1])


def test_csv_with_embedded_newlines_and_ragged_rows(tmp_path, source_factory) -> None:
    path = tmp_path / "a.csv"
    path.write_text(
        'id,text,lang\n1,"line one\nline two",en\n2,plain,en\n3,too,many,columns\n4,"say ""hi""",de\n',
        encoding="utf-8",
    )
    source = source_factory(format="csv", fields=FieldMap(id="id", lang="lang"), languages=("en", "de"))
    records, rejects, _ = read_all(source, path)
    assert records["text"].to_list() == ["line one\nline two", "plain", 'say "hi"']
    assert records["origin_line"].to_list() == [2, 4, 6]
    assert records["lang"].to_list() == ["en", "en", "de"]
    assert rejects.select("origin_line", "reason").rows() == [(5, "malformed_row")]


def test_parquet_drop_with_wrong_types(tmp_path, source_factory) -> None:
    path = tmp_path / "a.parquet"
    pl.DataFrame({"id": ["1", "2"], "text": ["fine", None], "score": [0.5, 0.7]}).write_parquet(path)
    records, rejects, _ = read_all(source_factory(format="parquet"), path)
    assert records["text"].to_list() == ["fine"]
    assert records["meta"].to_list() == ['{"id": "1", "score": 0.5, "text": "fine"}']
    assert rejects.select("origin_line", "reason", "field").rows() == [(2, "missing_field", "text")]


def test_corrupt_parquet_is_quarantined_not_raised(tmp_path, source_factory) -> None:
    path = tmp_path / "a.parquet"
    path.write_bytes(b"PAR1 this is not parquet")
    records, rejects, _ = read_all(source_factory(format="parquet"), path)
    assert records.height == 0 and rejects["reason"].to_list() == ["corrupt_file"]


@pytest.mark.parametrize(
    ("turns", "reason", "field"),
    [
        (None, "missing_field", "turns"),
        ("not json", "wrong_type", "turns"),
        ([{"speaker": "user"}], "missing_field", "text"),
        ([{"speaker": "user", "text": 3}], "wrong_type", "text"),
        (["hello"], "wrong_type", "turns[0]"),
    ],
)
def test_conversation_turns_are_validated(tmp_path, source_factory, turns, reason, field) -> None:
    path = jsonl(tmp_path / "a.jsonl", [{"id": "c1", "turns": turns}])
    _, rejects, _ = read_all(source_factory(kind="conversation"), path)
    assert rejects.select("reason", "field").row(0) == (reason, field)


def test_conversations_keep_turn_order_and_hash_the_turns(tmp_path, source_factory) -> None:
    turns = [{"speaker": "user", "text": "hi"}, {"speaker": "agent", "text": "hello"}]
    path = jsonl(tmp_path / "a.jsonl", [{"id": "c1", "turns": turns, "domain": "x"}])
    records, _, _ = read_all(source_factory(kind="conversation"), path)
    assert records["turns"].to_list() == [turns]
    assert records["text"].to_list() == [None]


@pytest.mark.parametrize("kind", ["text", "conversation"])
def test_column_wise_and_line_by_line_paths_give_the_same_records(tmp_path, source_factory, kind) -> None:
    def row(i: int) -> dict:
        if kind == "text":
            return {"id": i, "text": f"text number {i} é", "extra": {"k": i}}
        return {
            "id": f"c{i}",
            "turns": [{"speaker": "user", "text": f"hi {i}"}, {"speaker": "bot", "text": "ok"}],
        }

    clean = jsonl(tmp_path / "clean.jsonl", [row(i) for i in range(50)])
    mixed = jsonl(tmp_path / "mixed.jsonl", [row(i) for i in range(50)] + ["{not json"])
    source = source_factory(kind=kind)
    fast, _, _ = read_all(source, clean)
    slow, rejects, _ = read_all(source, mixed)
    assert rejects["reason"].to_list() == ["invalid_json"]
    columns = ["record_id", "text", "turns", "lang", "origin_line", "origin_byte", "content_sha256", "meta"]
    assert fast.select(columns).equals(slow.select(columns))


def test_lines_over_the_json_limits_are_quarantined_before_parsing(tmp_path, source_factory) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(
        b'{"id": "1", "text": "before"}\n'
        + b'{"id": '
        + b"9" * 5000
        + b', "text": "x"}\n'
        + b'{"id": "d", "text": "t", "m": '
        + b"[" * 10_000
        + b"]" * 10_000
        + b"}\n"
        + b'{"id": "s", "text": "'
        + b"y" * 300
        + b'"}\n'
        + b'{"id": "2", "text": "brackets in a string [[[[[[[[ do not count"}\n'
    )
    source = source_factory(max_json_depth=5, max_field_bytes=200)
    records, rejects, _ = read_all(source, path)
    assert records["origin_line"].to_list() == [1, 5]
    assert rejects.select("origin_line", "reason").rows() == [
        (2, "number_too_long"),
        (3, "too_deep"),
        (4, "field_too_large"),
    ]
    assert "nesting depth 6 exceeds the limit of 5" in rejects["detail"][1]


@pytest.mark.parametrize(
    ("name", "prefix", "ending", "encoding"),
    [
        ("bom", b"\xef\xbb\xbf", "\n", "utf-8"),
        ("crlf", b"", "\r\n", "utf-8"),
        ("cr", b"", "\r", "utf-8"),
        ("utf16", b"", "\n", "utf-16"),
    ],
)
def test_byte_order_marks_and_line_endings(tmp_path, source_factory, name, prefix, ending, encoding) -> None:
    body = ending.join(json.dumps({"id": str(i), "text": f"t{i} é"}) for i in range(3)) + ending
    path = tmp_path / f"{name}.jsonl"
    path.write_bytes(prefix + body.encode(encoding))
    records, rejects, _ = read_all(source_factory(), path)
    assert records["text"].to_list() == ["t0 é", "t1 é", "t2 é"] and rejects.height == 0
    if name == "bom":
        assert records["origin_byte"][0] == 3, "offsets count the file's bytes, the mark included"


def test_whitespace_lines_of_any_length_are_blank(tmp_path, source_factory) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(
        b'{"id": "1", "text": "a"}\n'
        + b" " * 40
        + b"\n\t \r\n"
        + b" " * 20_000
        + b'\n{"id": "2", "text": "b"}\n'
    )
    records, rejects, stats = read_all(source_factory(max_record_bytes=10_000), path)
    assert records.height == 2 and rejects.height == 0 and stats.blank_lines == 3


def test_empty_ids_are_refused_on_both_paths(tmp_path, source_factory) -> None:
    clean = jsonl(tmp_path / "a.jsonl", [{"id": "1", "text": "a"}, {"id": "  ", "text": "b"}])
    records, rejects, _ = read_all(source_factory(), clean)
    assert records.height == 1 and rejects.select("reason", "field").row(0) == ("missing_field", "id")


def csv_read(tmp_path: Path, source_factory, data: bytes, **changes) -> tuple[pl.DataFrame, pl.DataFrame]:
    path = tmp_path / "a.csv"
    path.write_bytes(data)
    records, rejects, _ = read_all(source_factory(format="csv", **changes), path)
    return records, rejects


def test_csv_unterminated_quote_gives_back_the_rows_it_swallowed(tmp_path, source_factory) -> None:
    data = b'id,text\n1,ok\n2,"broken\n3,good\n4,"quoted" here\n5,"fine"\n6,"never closed\n7,last\n'
    records, rejects = csv_read(tmp_path, source_factory, data)
    assert records["text"].to_list() == ["ok", "good", "quoted here", "fine", "last"]
    assert rejects.select("origin_line", "reason").rows() == [(3, "malformed_row"), (7, "malformed_row")]


def test_csv_field_over_the_limit_is_one_unit_up_to_where_its_quote_closes(tmp_path, source_factory) -> None:
    cell = "\n".join(f"r{i},line of a long cell" for i in range(200))
    data = f'id,text\n1,ok\n2,"{cell}"\n3,after\n'.encode()
    records, rejects = csv_read(tmp_path, source_factory, data, max_field_bytes=1000)
    assert records["text"].to_list() == ["ok", "after"]
    assert rejects.select("origin_line", "reason").rows() == [(3, "field_too_large")]
    assert "lines 3-202" in rejects["detail"][0]
    # The same cell, never closed: the quote was a mistake, and the rows after it are read again.
    records, rejects = csv_read(
        tmp_path, source_factory, data[: data.rindex(b'"')] + b"\n", max_field_bytes=1000
    )
    assert records.height == 200 and rejects.select("origin_line", "reason").rows() == [(3, "malformed_row")]


def test_csv_from_excel_bom_blank_rows_and_repeated_headers(tmp_path, source_factory) -> None:
    data = b"\xef\xbb\xbfid,text,text\r\n1,a,b\r\n   \r\n,,\r\n ,  , \r\n2,c,d\r\n3,bad\xff,e\r\n"
    records, rejects = csv_read(tmp_path, source_factory, data)
    assert records["text"].to_list() == ["a", "c"]
    assert json.loads(records["meta"][0]) == {"id": "1", "text": "a", "text#2": "b"}
    assert rejects.select("origin_line", "reason", "field").rows() == [(7, "invalid_utf8", "text")]


def test_synthetic_records_carry_their_origin_and_untraced_ones_are_quarantined(
    tmp_path, source_factory
) -> None:
    origin = {"generator": "recombine-v1", "recipe": {"operator": "crossover"}, "parents": ["a", "b"]}
    lines = [
        {"id": "s1", "text": "move money to savings", "synthetic": origin},
        {"id": "s2", "text": "no origin at all"},
        {"id": "s3", "text": "parents missing", "synthetic": {"generator": "g"}},
        {"id": "s4", "text": "send cash to checking", "synthetic": origin},
    ]
    drop = jsonl(tmp_path / "synthetic.jsonl", lines)
    records, rejects, _ = read_all(source_factory(synthetic=True), drop)
    assert records["synthetic"].to_list() == [True, True]
    assert [json.loads(o)["parents"] for o in records["synthetic_origin"].to_list()] == [
        ["a", "b"],
        ["a", "b"],
    ]
    assert rejects["reason"].to_list() == ["missing_field", "missing_field"]
    assert rejects["field"].to_list() == ["synthetic", "synthetic"]
    assert rejects["origin_line"].to_list() == [2, 3]
    # A collected source ignores the field: its records are never synthetic.
    collected, _, _ = read_all(source_factory(), drop)
    assert not collected["synthetic"].any() and collected["synthetic_origin"].is_null().all()
