"""Hypothesis strategies shared by the property tests: valid scenarios as plain data."""

from __future__ import annotations

from hypothesis import strategies as st

money = st.floats(0, 5_000, allow_nan=False, allow_infinity=False)
share = st.floats(0, 1, allow_nan=False, allow_infinity=False)


@st.composite
def scenario_data(draw, max_horizon: int = 36) -> dict:
    h = draw(st.integers(1, max_horizon))
    growth = draw(st.sampled_from(["none", "linear", "compound"]))
    traffic: dict = {"calls_per_month": draw(st.floats(1, 5e7)), "growth": growth,
                     "peak_to_average": draw(st.floats(1, 5))}
    if growth == "compound":
        traffic["growth_rate_monthly"] = draw(st.floats(-0.5, 0.2))
    if growth == "linear":
        traffic["growth_calls_per_month"] = draw(st.floats(-1e6, 1e6))
    team = {"mle": draw(st.floats(1_000, 30_000)), "swe": draw(st.floats(1_000, 30_000))}
    options: dict = {
        "rules": {"kind": "rules", "accuracy": draw(share),
                  "setup": {"team_months": {"swe": draw(st.floats(0, 3))}},
                  "run_team": {"swe": draw(st.floats(0, 0.5))},
                  "cost_per_1k_calls": draw(st.floats(0, 0.1))},
        "vendor": {"kind": "vendor_api", "accuracy": draw(share),
                   "units_per_call": draw(st.floats(0.5, 4)),
                   "tier_mode": draw(st.sampled_from(["graduated", "volume"])),
                   "tiers": [{"up_to_units": 1000.0, "price_per_1k_units": 0.0},
                             {"up_to_units": 5e6, "price_per_1k_units": draw(st.floats(0, 3))},
                             {"price_per_1k_units": draw(st.floats(0, 3))}],
                   "monthly_minimum": draw(st.floats(0, 500))},
        "llm": {"kind": "genai_api", "accuracy": draw(share),
                "input_tokens_per_call": draw(st.floats(0, 3000)),
                "output_tokens_per_call": draw(st.floats(0, 500)),
                "price_per_million_input_tokens": draw(st.floats(0, 5)),
                "price_per_million_output_tokens": draw(st.floats(0, 25)),
                "cached_input_share": draw(share), "batch_share": draw(share),
                "price_change_per_year": draw(st.floats(-0.5, 0.5))},
        "model": {"kind": "in_house", "accuracy": draw(share),
                  "interim": draw(st.sampled_from([None, "llm", "rules", "vendor"])),
                  "start_month": draw(st.integers(1, 6)), "build_months": draw(st.integers(0, 8)),
                  "build_team": {"mle": draw(st.floats(0, 3))},
                  "setup": {"cost": draw(money)}, "run_team": {"mle": draw(st.floats(0, 1))},
                  "monthly_cost": draw(money), "node_cost_per_hour": draw(st.floats(0, 3)),
                  "node_capacity_rps": draw(st.floats(1, 500)),
                  "min_nodes": draw(st.integers(0, 3)),
                  "retraining": {"every_months": draw(st.integers(1, 12)), "cost": draw(money)}},
    }
    if options["model"]["interim"] is None:
        del options["model"]["interim"]
    return {"schema_version": 1, "name": "prop", "horizon_months": h,
            "discount_rate_annual": draw(st.sampled_from([0.0, 0.08])),
            "traffic": traffic, "team": team,
            "quality": {"cost_per_error": draw(st.floats(0, 0.05)),
                        "value_per_correct_prediction": draw(st.sampled_from([0.0, 0.01]))},
            "options": options}
