"""Release diffs on hand-built releases: every change and reason known in advance."""

import polars as pl

from data_platform.evaluation.release_diff import LEFT_OUT_SCHEMA, ReleaseSide, describe_diff, release_diff

LABEL = pl.Struct({"task": pl.String, "value": pl.String})


def side(version, rows, left_out, batches, excluded=None) -> ReleaseSide:
    """rows: (record_id, batch_id, source_id, lang, intent or None, record hash)."""
    records = pl.DataFrame(
        {
            "record_id": [r[0] for r in rows],
            "batch_id": [r[1] for r in rows],
            "source_id": [r[2] for r in rows],
            "lang": [r[3] for r in rows],
            "labels": [[{"task": "intent", "value": r[4]}] if r[4] else [] for r in rows],
            "record_sha256": [r[5] for r in rows],
        },
        schema={
            "record_id": pl.String,
            "batch_id": pl.String,
            "source_id": pl.String,
            "lang": pl.String,
            "labels": pl.List(LABEL),
            "record_sha256": pl.String,
        },
    )
    return ReleaseSide(
        version,
        records,
        pl.DataFrame(left_out, schema=LEFT_OUT_SCHEMA, orient="row"),
        batches,
        excluded or {},
    )


EARLIER = side(
    "v1",
    [
        ("r1", "b1", "shop", "en", "a", "h1"),
        ("r2", "b1", "shop", "en", "a", "h2"),
        ("r3", "b2", "forum", "de", None, "h3"),
        ("r4", "b1", "shop", "en", "a", "h4"),
    ],
    [("r5", "b1", "shop", "under_review", "intent:label_error")],
    ["b1", "b2"],
)
LATER = side(
    "v2",
    [
        ("r1", "b1", "shop", "en", "a", "h1"),
        ("r4", "b1", "shop", "en", "b", "h4-relabelled"),
        ("r5", "b1", "shop", "en", "a", "h5"),
        ("r6", "b3", "shop", "fr", "b", "h6"),
    ],
    [
        ("r2", "b1", "shop", "superseded", "delivered again in b3"),
        ("r2", "b3", "shop", "takedown", "req-1"),
    ],
    ["b1", "b3"],
    {"b2": "annotated gate failed: labels"},
)


def test_each_record_change_has_its_reason() -> None:
    diff = release_diff(EARLIER, LATER)
    rows = {r["record_id"]: (r["change"], r["reason"], r["detail"]) for r in diff.changes.to_dicts()}
    assert rows == {
        "r2": ("removed", "takedown", "req-1"),  # the latest copy's reason, not the superseded one's
        "r3": ("removed", "batch_excluded", "annotated gate failed: labels"),
        "r4": ("changed", "relabelled", None),
        "r5": ("added", "admitted", "left out of v1: under_review"),
        "r6": ("added", "new_batch", None),
    }


def test_the_summary_counts_sources_languages_and_labels_on_both_sides() -> None:
    summary = release_diff(EARLIER, LATER).summary()
    assert summary["parent"] == "v1"
    assert summary["removed"] == {"batch_excluded": 1, "takedown": 1}
    assert summary["added"] == {"admitted": 1, "new_batch": 1}
    assert summary["changed"] == {"relabelled": 1}
    assert summary["by_source"] == {
        "forum": {"earlier": 1, "later": 0, "added": 0, "removed": 1, "changed": 0},
        "shop": {"earlier": 3, "later": 4, "added": 2, "removed": 1, "changed": 1},
    }
    assert summary["languages"] == {"de": [1, 0], "fr": [0, 1]}  # en: 3 -> 3, unmoved
    assert summary["labels"] == [
        {"task": "intent", "value": "a", "earlier": 3, "later": 2},
        {"task": "intent", "value": "b", "earlier": 0, "later": 2},
    ]


def test_identical_releases_differ_in_nothing() -> None:
    diff = release_diff(EARLIER, EARLIER)
    assert diff.changes.is_empty()
    assert diff.summary()["languages"] == {} and diff.summary()["labels"] == []
    text = describe_diff(release_diff(EARLIER, LATER))
    assert "removed: 2 (1 batch_excluded, 1 takedown)" in text
    assert "shop: 3 -> 4 (+2 -1 ~1)" in text
