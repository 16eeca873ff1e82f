"""Chart labels are numbers as the office writes them."""

from __future__ import annotations

from ui.charts import number_text


def test_chart_labels_use_indonesian_digits() -> None:
    assert number_text(2.5) == "2,5"
    assert number_text(3.0) == "3"
    assert number_text(1234.4) == "1.234"
