"""The model catalog: complete against the installed library, and strict about requests."""

from __future__ import annotations

import dataclasses
from typing import Any, get_args

import pytest
from openai.types.image_model import ImageModel

from imgdesk.core.catalog import load_catalog, validate, validation_problems
from imgdesk.core.edit_types import EditParams
from imgdesk.core.errors import Action, ErrorKind, ImgdeskError

STANDARD_SIZES = ("1024x1024", "1024x1536", "1536x1024")


def params(**changes: Any) -> EditParams:
    return dataclasses.replace(EditParams(prompt="a red kite in the sky"), **changes)


def test_catalog_knows_every_model_the_installed_library_names() -> None:
    library_models = set(get_args(ImageModel))
    assert library_models, "openai.types.image_model.ImageModel is no longer a Literal"
    missing = library_models - set(load_catalog().models)
    assert not missing, f"add these models to imgdesk/data/models.json: {sorted(missing)}"


def test_default_model_is_gpt_image_2_and_usable() -> None:
    catalog = load_catalog()
    assert catalog.default_model == "gpt-image-2"
    assert catalog.get("gpt-image-2").usable
    assert validation_problems(params()) == []


def test_gpt_image_1_is_shut_down_with_a_usable_replacement() -> None:
    catalog = load_catalog()
    model = catalog.get("gpt-image-1")
    assert model.state == "shut_down"
    assert model.shut_down_on == "2026-10-23"
    assert model.replacement is not None
    assert catalog.get(model.replacement).usable
    assert model not in catalog.usable_models()


@pytest.mark.parametrize("model_id", ["dall-e-2", "dall-e-3"])
def test_dall_e_is_shut_down(model_id: str) -> None:
    model = load_catalog().get(model_id)
    assert model.state == "shut_down"
    assert model.shut_down_on == "2026-05-12"
    assert not model.usable


def test_choosing_gpt_image_1_says_shut_down_and_names_the_replacement() -> None:
    problems = validation_problems(params(model="gpt-image-1"))
    assert len(problems) == 1
    (error,) = problems
    assert error.kind is ErrorKind.MODEL_UNAVAILABLE
    assert error.field == "model"
    assert error.action is Action.SWITCH_MODEL
    assert "shut down" in error.message
    assert "2026-10-23" in error.message
    assert "gpt-image-2.5-sunburst" in error.message
    with pytest.raises(ImgdeskError) as raised:
        validate(params(model="gpt-image-1"))
    assert raised.value.kind is ErrorKind.MODEL_UNAVAILABLE


def test_catalog_data_is_consistent() -> None:
    catalog = load_catalog()
    for model in catalog.models.values():
        if model.replacement:
            assert catalog.get(model.replacement).usable, model.id
        if model.snapshot_of:
            assert catalog.get(model.snapshot_of).state == model.state, model.id
        if model.state == "shut_down":
            assert model.shut_down_on, model.id
            assert model.replacement, model.id
        if model.per_image_usd:
            assert set(model.per_image_usd) == set(STANDARD_SIZES), model.id
            for table in model.per_image_usd.values():
                assert set(table) == {"low", "medium", "high"}, model.id
        assert model.usable == (model.state != "shut_down")


def test_every_usable_model_accepts_plain_edit_params() -> None:
    for model in load_catalog().usable_models():
        assert validation_problems(params(model=model.id)) == [], model.id


# (changes to the default params, reference images, the one field that must be refused)
BAD_PARAMS: list[tuple[dict[str, Any], int, str]] = [
    ({"prompt": ""}, 0, "prompt"),
    ({"prompt": "   \n"}, 0, "prompt"),
    ({"prompt": "x" * 32_001}, 0, "prompt"),
    ({"quality": "ultra"}, 0, "quality"),
    ({"quality": "xhigh"}, 0, "quality"),  # 2.5 models only
    ({"quality": "hd"}, 0, "quality"),
    ({"n": 0}, 0, "n"),
    ({"n": 11}, 0, "n"),
    ({"size": "big"}, 0, "size"),
    ({"size": "1024*1024"}, 0, "size"),
    ({"size": "1000x1000"}, 0, "size"),
    ({"output_format": "gif"}, 0, "output_format"),
    ({"background": "none"}, 0, "background"),
    ({"background": "transparent", "output_format": "jpeg"}, 0, "background"),
    ({"input_fidelity": "high"}, 0, "input_fidelity"),
    ({"input_fidelity": "low"}, 0, "input_fidelity"),
    ({"model": "gpt-image-1-mini", "input_fidelity": "high"}, 0, "input_fidelity"),
    ({"model": "gpt-image-1.5", "size": "2048x2048"}, 0, "size"),
    ({"partial_images": 4}, 0, "partial_images"),
    ({"partial_images": -1}, 0, "partial_images"),
    ({}, 16, "references"),
    ({"model": "gpt-image-9"}, 0, "model"),
    ({"model": "dall-e-3"}, 0, "model"),
    ({"model": "dall-e-2"}, 0, "model"),
]


@pytest.mark.parametrize(
    ("changes", "references", "field"),
    BAD_PARAMS,
    ids=[f"{field}-{i}" for i, (_, _, field) in enumerate(BAD_PARAMS)],
)
def test_validation_names_the_field_at_fault(
    changes: dict[str, Any], references: int, field: str
) -> None:
    problems = validation_problems(params(**changes), reference_count=references)
    assert [problem.field for problem in problems] == [field]
    problem = problems[0]
    expected_kind = ErrorKind.MODEL_UNAVAILABLE if field == "model" else ErrorKind.INVALID_REQUEST
    assert problem.kind is expected_kind
    assert problem.message.endswith((".", "”."))


def test_several_bad_fields_are_all_reported() -> None:
    problems = validation_problems(
        params(prompt="", quality="ultra", n=20, size="1000x1000", partial_images=9)
    )
    assert {problem.field for problem in problems} == {
        "prompt",
        "quality",
        "n",
        "size",
        "partial_images",
    }


def test_input_fidelity_is_accepted_where_the_model_takes_it() -> None:
    assert validation_problems(params(model="gpt-image-1.5", input_fidelity="high")) == []
    assert validation_problems(params(model="gpt-image-1-mini", input_fidelity="low")) == []


def test_fifteen_references_fit_beside_the_photo() -> None:
    assert validation_problems(params(), reference_count=15) == []


@pytest.mark.parametrize(
    ("size", "accepted"),
    [
        ("3840x2160", True),  # the largest size, exactly at the pixel cap
        ("2160x3840", True),
        ("3856x2160", False),  # wider than 3840
        ("3840x2176", False),  # multiples of 16 and short enough, but over the pixel cap
        ("4000x1000", False),  # 4:1 is beyond 3:1
        ("1000x1000", False),  # not a multiple of 16
        ("1008x1008", True),  # the nearest multiple of 16 above it
        ("1024x1024", True),
        ("1536x1024", True),
        ("3072x1024", True),  # exactly 3:1
        ("1024x3072", True),  # exactly 1:3
        ("1024x3088", False),  # taller than 1:3
        ("3088x1024", False),  # wider than 3:1
        ("512x512", False),  # below the minimum pixel count
        ("816x816", True),  # 665,856 pixels, just above the minimum
        ("800x800", False),  # 640,000 pixels, just below the minimum
    ],
)
def test_gpt_image_2_sizes(size: str, accepted: bool) -> None:
    problems = validation_problems(params(size=size))
    if accepted:
        assert problems == []
    else:
        assert [problem.field for problem in problems] == ["size"]
        assert size in problems[0].message


def test_fixed_size_models_list_their_sizes_when_refusing() -> None:
    (problem,) = validation_problems(params(model="gpt-image-1.5", size="1008x1008"))
    assert problem.field == "size"
    assert "1024x1024, 1536x1024, 1024x1536" in problem.message


def test_unknown_model_lists_usable_models_only() -> None:
    with pytest.raises(ImgdeskError) as raised:
        load_catalog().get("gpt-image-9")
    assert raised.value.kind is ErrorKind.MODEL_UNAVAILABLE
    assert "gpt-image-2" in raised.value.message
    assert "dall-e-2" not in raised.value.message


@pytest.mark.parametrize(
    ("typed", "suggestion"),
    [
        ("gpt-imag-2", "gpt-image-2"),
        ("GPT-Image-1.5", "gpt-image-1.5"),
        ("gpt-image-1-mnii", "gpt-image-1-mini"),
        ("dalle-3", "dall-e-3"),  # shut down, but what was meant: its own error names the successor
        ("midjourney", None),
    ],
)
def test_a_mistyped_model_name_gets_the_nearest_real_one(
    typed: str, suggestion: str | None
) -> None:
    with pytest.raises(ImgdeskError) as raised:
        load_catalog().get(typed)
    error = raised.value
    assert error.field == "model"
    assert error.values["suggestion"] == suggestion
    if suggestion is None:
        assert "Did you mean" not in error.message
    else:
        assert f"“{typed}”. Did you mean {suggestion}? Known models: gpt-image-2," in error.message


@pytest.mark.parametrize(
    ("size", "sentence"),
    [
        ("1000x1000", "width and height must both be multiples of 16."),
        ("4000x1008", "the aspect ratio must be between 1:3 and 3:1."),
        ("3856x2160", "no side may be longer than 3840 pixels."),
        ("3840x2176", "that is more than its maximum of 8,294,400 pixels."),
        ("512x512", "that is less than its minimum of 655,360 pixels."),
    ],
)
def test_size_refusals_are_whole_sentences_with_the_models_numbers(
    size: str, sentence: str
) -> None:
    (problem,) = validation_problems(params(size=size))
    assert problem.message == f"GPT Image 2 cannot make {size}: {sentence}"
    # The template keeps every value out of the text, so a translation can place them.
    assert problem.template is not None
    assert size not in problem.template
    rule = load_catalog().get("gpt-image-2").sizes
    assert rule.problem(*(int(side) for side in size.split("x"))) == (
        f"This model cannot make {size}: {sentence}"
    )


def test_a_shut_down_model_is_explained_by_a_template() -> None:
    model = load_catalog().get("dall-e-2")
    error = model.unavailable_error()
    assert error is not None
    assert error.template == "{label} was shut down on {date}; use {replacement} instead."
    expected = f"{model.label} was shut down on 2026-05-12; use gpt-image-2 instead."
    assert error.message == expected
    assert model.unavailable_reason == expected
    assert load_catalog().get("gpt-image-2").unavailable_error() is None
