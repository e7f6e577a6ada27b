"""CSV text: lines built from remembered pieces read back exactly as csv.writer's rows."""

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from seop_tui.services.csv_text import CsvLines, csv_bytes, safe_cell

TRICKY = st.text(alphabet=st.sampled_from(list('ab ,"\r\n\t=+-@\'é;')), max_size=8)


def reference_csv(columns, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue().encode("utf-8")


@given(st.lists(st.tuples(TRICKY, TRICKY, TRICKY), max_size=6))
def test_pieces_make_the_same_file_as_whole_rows(rows):
    out = CsvLines(("a", "b", "c"))
    for a, b, c in rows:
        out.line(out.cells(a), out.cells(b, c))
    assert out.encode() == reference_csv(("a", "b", "c"), rows)


@given(st.lists(st.lists(st.one_of(TRICKY, st.integers(), st.none()), min_size=1, max_size=4), max_size=6))
def test_whole_rows_are_written_as_csv_writer_writes_them(rows):
    assert csv_bytes(("x",), rows) == reference_csv(("x",), rows)


def test_formulas_are_neutralised_and_read_back_as_text():
    data = csv_bytes(("name", "note"), [["=HYPERLINK(\"x\")", "+1"], ["-2", "@SUM(A1)"], ["plain", ""]])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert rows == [["name", "note"], ["'=HYPERLINK(\"x\")", "'+1"], ["'-2", "'@SUM(A1)"], ["plain", ""]]
