"""CSV tables (calculator.export.tables): monthly tidy and wide and the horizon's totals read
back to the engine's arrays exactly, and no text cell a spreadsheet would run as a formula.

The worked example's hand-computed totals are in conftest.py (WORKED_YAML)."""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pytest
from conftest import HOSTILE, TODAY

from calculator import export
from calculator.model import totals
from calculator.model.decision import decide


def read(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")


def test_worked_example_totals_read_back_to_the_hand_computed_numbers(worked36):
    df = read(export.csv_bytes(export.totals_table(worked36)))
    assert list(df["option"]) == ["api", "model"]
    assert list(df["total_cost"]) == [108_000.0, 105_820.0]   # see WORKED_YAML in conftest
    assert list(df["live_month"]) == [1, 3]
    t = totals(worked36.result)
    for key in ("money_cost", "error_cost", "total_cost", "present_value", "cost_per_1k_calls"):
        assert np.array_equal(df[key].to_numpy(), t[key][0]), key


def test_monthly_tidy_reads_back_to_the_engines_arrays_exactly(moderation):
    d, _ = moderation
    r = d.result
    df = read(export.csv_bytes(export.monthly_tidy(d)))
    for i, name in enumerate(r.names):
        for comp, arr in r.components.items():
            rows = df[(df["option"] == name) & (df["component"] == comp)]
            assert np.array_equal(rows["month"].to_numpy(), r.months)
            assert np.array_equal(rows["cost"].to_numpy(), arr[0, i]), (name, comp)
        month_sum = df[df["option"] == name].groupby("month")["cost"].sum().to_numpy()
        assert np.allclose(month_sum, r.total[0, i], rtol=1e-12)


def test_monthly_wide_reads_back_to_the_engines_arrays_exactly(moderation):
    d, _ = moderation
    r = d.result
    df = read(export.csv_bytes(export.monthly_wide(d)))
    assert np.array_equal(df["calls"].to_numpy(), r.volume[0])
    assert np.array_equal(df["discount_factor"].to_numpy(), r.weights)
    for i, name in enumerate(r.names):
        assert np.array_equal(df[f"{name} money_cost"].to_numpy(), r.money[0, i])
        assert np.array_equal(df[f"{name} error_cost"].to_numpy(), r.error[0, i])
        assert np.array_equal(df[f"{name} total_cost"].to_numpy(), r.total[0, i])
        assert np.array_equal(df[f"{name} cumulative_present_value"].to_numpy(),
                              r.cumulative()[0, i])


@pytest.mark.parametrize("text", ["=1+1", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "  =1"])
def test_formula_like_text_is_neutralised(text):
    assert export.neutralise(text) == "'" + text


# A formula character behind leading whitespace of any kind or invisible characters:
# no-break space, em space, ideographic space, a tab then a space, a newline, zero-width
# space, byte-order mark, narrow no-break space then a word joiner; and full-width forms.
@pytest.mark.parametrize("text", ["\u00a0=1+1", "\u2003+1", "\u3000@SUM(A1)", "\t -1",
                                  "\n=1", "\u200b=1", "\ufeff=HYPERLINK(\"http://x\")",
                                  "\u202f\u2060-2", "\uff1d1+1", "\uff20SUM(A1)"],
                         ids=["nbsp", "em-space", "ideographic", "tab-space", "newline", "zwsp",
                              "bom", "nnbsp-wj", "fullwidth-equals", "fullwidth-at"])
def test_formula_behind_whitespace_or_invisible_characters_is_neutralised(text):
    assert export.neutralise(text) == "'" + text


@pytest.mark.parametrize("value", [-3.5, 0, 12, "plain", "a=b", "in_house", "\u00a0plain",
                                   "\u200bx-1", " ", "", "1-2"])
def test_numbers_and_plain_text_are_untouched(value):
    assert export.neutralise(value) == value


def test_hostile_names_come_out_inert_in_every_csv(hostile36):
    for suffix, data in export.csv_files(hostile36).items():
        text = data.decode("utf-8-sig")
        for row in csv.reader(io.StringIO(text)):
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (suffix, cell)
        df = read(data)
        assert set(df["scenario"]) == {"'" + HOSTILE}, suffix
    totals_df = read(export.csv_files(hostile36)["totals.csv"])
    assert list(totals_df["option"]) == ["api", "'-model"]
    assert totals_df["total_cost"].tolist() == [108_000.0, 105_820.0]   # numbers untouched
    wide = read(export.csv_files(hostile36)["monthly-wide.csv"])
    assert "'-model total_cost" in wide.columns


def test_a_name_hiding_a_formula_behind_a_no_break_space_is_inert_in_every_csv(hostile36):
    name = "\u00a0=HYPERLINK(\"http://x\",\"click\")"
    d = decide(hostile36.scenario.model_copy(update={"name": name}), today=TODAY)
    for suffix, data in export.csv_files(d).items():
        df = read(data)
        assert set(df["scenario"]) == {"'" + name}, suffix
        # what a spreadsheet sees after trimming: never a formula
        for cell in df.select_dtypes(exclude="number").to_numpy().ravel():
            assert not cell.lstrip().startswith(("=", "+", "-", "@")), (suffix, cell)


def test_negative_numbers_stay_numbers():
    df = pd.DataFrame({"name": ["-x"], "value": [-3.5]})
    back = read(export.csv_bytes(df))
    assert back["value"].tolist() == [-3.5] and back["name"].tolist() == ["'-x"]


def test_the_files_are_utf8_with_a_bom_and_crlf_line_ends(worked36):
    files = export.csv_files(worked36)
    # a build and a buy option: the decision map's cells too
    assert list(files) == ["monthly-tidy.csv", "monthly-wide.csv", "totals.csv",
                           "decision-map.csv"]
    for name, data in files.items():
        assert data.startswith("\ufeff".encode()), name         # Excel reads accents right
        text = data.decode("utf-8-sig")
        assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", ""), name


def test_monthly_tidy_has_one_labelled_row_per_month_option_and_component(worked36):
    r = worked36.result
    df = export.monthly_tidy(worked36)
    assert list(df.columns) == ["scenario", "month", "option", "component",
                                "component_label", "cost"]
    assert len(df) == 36 * len(r.names) * len(r.components)
    assert df["component_label"].notna().all()                  # every component is named
    assert set(df["scenario"]) == {"Worked example"}


def test_monthly_wide_without_discounting_has_the_plain_cumulative_only(worked36):
    df = export.monthly_wide(worked36)
    assert list(df["month"]) == list(range(1, 37))
    assert (df["discount_factor"] == 1).all()
    assert not [c for c in df.columns if c.endswith("cumulative_present_value")]
    # model: 24,000 + 23,000 by month 2, then 1,730 a month: 47,000 + 34 x 1,730 = 105,820
    assert df["model cumulative_total"].iloc[1] == pytest.approx(47_000)
    assert df["model cumulative_total"].iloc[-1] == pytest.approx(105_820)
    assert df["api cumulative_total"].iloc[-1] == pytest.approx(108_000)      # 36 x 3,000


def test_the_totals_table_names_its_scenario_and_currency(worked36):
    df = export.totals_table(worked36)
    assert list(df["scenario"]) == ["Worked example"] * 2
    assert list(df["currency"]) == ["USD"] * 2
    assert list(df["kind"]) == ["GenAI API", "in-house model"]
