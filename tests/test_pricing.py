"""Price estimates and actual costs, checked against numbers worked out by hand.

Figures come from the tables in shared/docs/openai-images.md (prices of 2026-11-01):
gpt-image-2 per image 0.006/0.053/0.211 at 1024x1024 and 0.005/0.041/0.165 at the 1536 sizes;
gpt-image-1.5 token prices text in $5, image in $8, image out $32 per million;
gpt-image-1-mini text in $2, image in $2.50, image out $8; output tokens at 1024x1024
low 272, medium 1056, high 4160, 1.5x at the 1536 sizes; a partial image costs 100 output tokens.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from imgdesk.core.edit_types import EditParams, Usage
from imgdesk.core.pricing import cost_from_usage, estimate_usd, standard_size_for


def params(**changes: Any) -> EditParams:
    return dataclasses.replace(EditParams(prompt="a lighthouse"), **changes)


@pytest.mark.parametrize(
    ("changes", "request_size", "usd"),
    [
        ({"quality": "medium"}, (1024, 1024), 0.053),
        ({"quality": "low", "n": 4}, (1024, 1024), 4 * 0.006),
        ({"quality": "high", "n": 2}, (1024, 1536), 2 * 0.165),
        ({"quality": "medium", "n": 3}, (1536, 1024), 3 * 0.041),
        # 2048x1024 is landscape: 1536x1024's price times 2,097,152 / 1,572,864 = 4/3.
        ({"quality": "low"}, (2048, 1024), 0.005 * 4 / 3),
        # 3840x2160 is 8,294,400 px = 5.2734375 x 1536x1024.
        ({"quality": "medium"}, (3840, 2160), 0.041 * 5.2734375),
        # 1008x1008 is square: 1,016,064 / 1,048,576 of 1024x1024.
        ({"quality": "high"}, (1008, 1008), 0.211 * 0.968994140625),
        # 2160x3840 is portrait, priced from 1024x1536.
        ({"quality": "high"}, (2160, 3840), 0.165 * 5.2734375),
        ({"model": "gpt-image-1-mini", "quality": "low", "n": 10}, (1024, 1024), 0.05),
        ({"model": "gpt-image-1.5", "quality": "high"}, (1024, 1536), 0.2),
    ],
)
def test_estimate_per_image_table(
    changes: dict[str, Any], request_size: tuple[int, int], usd: float
) -> None:
    estimate = estimate_usd(params(**changes), request_size)
    assert estimate is not None
    assert estimate.usd == pytest.approx(usd, rel=1e-9)
    assert estimate.per_image * params(**changes).n == pytest.approx(usd, rel=1e-9)


def test_auto_quality_is_priced_as_medium_and_says_so() -> None:
    estimate = estimate_usd(params(quality="auto", n=3), (1536, 1024))
    assert estimate is not None
    assert estimate.usd == pytest.approx(3 * 0.041)
    assert "auto" in estimate.basis
    assert "medium" in estimate.basis
    assert "2026-11-01" in estimate.basis


def test_area_scaling_is_explained() -> None:
    estimate = estimate_usd(params(quality="low"), (2048, 1024))
    assert estimate is not None
    assert "2048x1024" in estimate.basis
    assert "1536x1024" in estimate.basis


def test_size_comes_from_params_when_no_request_size_is_given() -> None:
    from_params = estimate_usd(params(quality="high", size="1024x1536"))
    auto = estimate_usd(params(quality="high", size="auto"))
    assert from_params is not None
    assert auto is not None
    assert from_params.usd == pytest.approx(0.165)
    assert auto.usd == pytest.approx(0.211)  # auto without a plan is priced at 1024x1024


def test_partial_images_at_the_implied_token_price() -> None:
    # gpt-image-2 has no token prices: 0.053 / 1056 tokens per token, 2 x 100 tokens per image.
    estimate = estimate_usd(params(quality="medium", partial_images=2), (1024, 1024))
    assert estimate is not None
    assert estimate.per_image == pytest.approx(0.053 + 200 * 0.053 / 1056)
    assert estimate.usd == pytest.approx(0.06303787878787879)
    assert "200 output tokens" in estimate.basis


def test_partial_images_on_a_1536_size_use_one_and_a_half_times_the_tokens() -> None:
    # 1536x1024 medium makes 1056 x 1.5 = 1584 tokens for $0.041.
    estimate = estimate_usd(params(quality="medium", partial_images=1, n=2), (1536, 1024))
    assert estimate is not None
    assert estimate.per_image == pytest.approx(0.041 + 100 * 0.041 / 1584)
    assert estimate.usd == pytest.approx(2 * 0.0435883838383838)


def test_partial_images_at_the_published_output_token_price() -> None:
    # gpt-image-1.5 output tokens cost $32 per million: 3 x 100 tokens = $0.0096 per image.
    estimate = estimate_usd(
        params(model="gpt-image-1.5", quality="high", partial_images=3, n=2), (1536, 1024)
    )
    assert estimate is not None
    assert estimate.per_image == pytest.approx(0.2096)
    assert estimate.usd == pytest.approx(0.4192)


@pytest.mark.parametrize(
    "model_id", ["gpt-image-2.5-sunburst", "chatgpt-image-latest", "gpt-image-1", "no-such-model"]
)
def test_no_published_price_gives_none(model_id: str) -> None:
    assert estimate_usd(params(model=model_id), (1024, 1024)) is None


def test_standard_size_follows_orientation() -> None:
    assert standard_size_for(3000, 1000) == (1536, 1024)
    assert standard_size_for(1000, 3000) == (1024, 1536)
    assert standard_size_for(800, 800) == (1024, 1024)


def test_cost_from_token_usage_gpt_image_1_5() -> None:
    # 50 text x $5 + 1,000 image x $8 + 4,160 output x $32 = $141,370 per million tokens.
    usage = Usage(
        input_tokens=1050,
        input_image_tokens=1000,
        input_text_tokens=50,
        output_tokens=4160,
        total_tokens=5210,
    )
    cost = cost_from_usage("gpt-image-1.5", usage, 1, params(model="gpt-image-1.5"))
    assert cost is not None
    assert cost.exact
    assert cost.usd == pytest.approx(0.14137)


def test_cost_from_token_usage_gpt_image_1_mini() -> None:
    # 20 x $2 + 500 x $2.50 + 2,112 x $8 = $18,186 per million tokens.
    usage = Usage(520, 500, 20, 2112, 2632)
    cost = cost_from_usage("gpt-image-1-mini", usage, 2, params(model="gpt-image-1-mini"))
    assert cost is not None
    assert cost.exact
    assert cost.usd == pytest.approx(0.018186)


def test_cost_without_an_input_split_prices_input_as_image_and_is_not_exact() -> None:
    # 400 input tokens at the image rate $2.50 + 272 output x $8 = $3,176 per million.
    usage = Usage(input_tokens=400, output_tokens=272, total_tokens=672)
    cost = cost_from_usage("gpt-image-1-mini", usage, 1, params(model="gpt-image-1-mini"))
    assert cost is not None
    assert not cost.exact
    assert cost.usd == pytest.approx(0.003176)


def test_cost_falls_back_to_the_estimate_without_token_prices() -> None:
    usage = Usage(1000, 900, 100, 8320, 9320)
    cost = cost_from_usage("gpt-image-2", usage, 2, params(quality="high"))
    assert cost is not None
    assert not cost.exact
    assert cost.usd == pytest.approx(2 * 0.211)
    assert "Estimated" in cost.basis


def test_cost_counts_the_images_that_came_back_not_those_asked_for() -> None:
    cost = cost_from_usage("gpt-image-2", Usage(), 1, params(quality="low", n=5))
    assert cost is not None
    assert cost.usd == pytest.approx(0.006)


def test_cost_without_usage_is_estimated() -> None:
    mini = params(model="gpt-image-1-mini", quality="high")
    cost = cost_from_usage("gpt-image-1-mini", None, 3, mini, (1536, 1024))
    assert cost is not None
    assert not cost.exact
    assert cost.usd == pytest.approx(3 * 0.052)


def test_cost_is_unknown_without_any_price() -> None:
    assert cost_from_usage("gpt-image-2.5-flare", Usage(10, 5, 5, 100, 110), 1, params()) is None
    assert cost_from_usage("no-such-model", Usage(), 1, params()) is None
