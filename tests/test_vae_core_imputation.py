"""Filling in hidden pixels: the masks, the three ways of completing a digit, the error on hidden pixels,
and the claim the Fill-in page makes on the shipped models (the VAE fills a half in better than the AE)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from vae_core import ModelConfig, build_model, load_checkpoint, load_dataset
from vae_core.evaluator import features_and_classes
from vae_core.imputation import (
    MASK_KINDS,
    OPTIMISE_STEPS,
    complete,
    complete_by_iteration,
    complete_by_optimisation,
    hidden_error,
    hidden_mask,
    inpaint,
    masked,
)
from vae_core.shipped import COMPARED, DIFFUSION_FILE, EVALUATOR_FILE, IMPUTATION_PAIR

CHECKPOINTS = Path(__file__).resolve().parent.parent / "checkpoints"


def shipped(name: str):
    path = CHECKPOINTS / name
    if not path.exists():
        pytest.skip(f"{name} is not built (python -m vae_core.pretrain)")
    return load_checkpoint(path)[0]


@pytest.fixture(scope="module")
def digits() -> tuple[np.ndarray, np.ndarray]:
    data = load_dataset("mnist")
    return data.val_images[:200].numpy(), data.val_labels[:200].numpy()


@pytest.mark.parametrize("kind", ["top", "bottom", "left", "right"])
def test_a_half_mask_hides_exactly_that_half(kind: str) -> None:
    mask = hidden_mask(kind, 28, 28)
    assert mask.sum() == 28 * 14
    rows, cols = np.nonzero(mask)
    expected = {"top": rows < 14, "bottom": rows >= 14, "left": cols < 14, "right": cols >= 14}[kind]
    assert expected.all()


def test_a_square_hides_its_share_and_stays_inside_wherever_its_centre_is_asked() -> None:
    middle = hidden_mask("square", 28, 28, share=0.25)
    assert middle.sum() == 14 * 14 and middle[7:21, 7:21].all()
    corner = hidden_mask("square", 28, 28, share=0.25, center=(0.0, 1.0))  # pushed inside, top right
    assert corner.sum() == 14 * 14 and corner[:14, 14:].all()


def test_random_pixels_hide_about_their_share_and_the_same_seed_hides_the_same() -> None:
    mask = hidden_mask("random", 28, 28, share=0.3, seed=4)
    assert abs(mask.mean() - 0.3) < 0.05
    assert (mask == hidden_mask("random", 28, 28, share=0.3, seed=4)).all()
    assert (mask != hidden_mask("random", 28, 28, share=0.3, seed=5)).any()


@pytest.mark.parametrize(
    ("kind", "share"), [("circle", 0.5), ("square", 0.0), ("random", 1.0), ("square", float("nan"))]
)
def test_a_mask_out_of_range_is_refused_by_name(kind: str, share: float) -> None:
    with pytest.raises(ValueError, match="mask must be|hidden share"):
        hidden_mask(kind, 28, 28, share=share)


def test_a_mask_of_another_size_or_hiding_nothing_is_refused() -> None:
    images = np.zeros((2, 1, 28, 28), dtype=np.float32)
    with pytest.raises(ValueError, match="the mask is"):
        masked(images, np.ones((8, 8), dtype=bool))
    with pytest.raises(ValueError, match="hide some pixels"):
        masked(images, np.zeros((28, 28), dtype=bool))


def test_hidden_error_counts_the_hidden_pixels_only() -> None:
    truth = np.zeros((2, 1, 2, 2), dtype=np.float32)
    completed = truth.copy()
    completed[0, 0, 0, 0] = 0.5  # hidden: counts
    completed[0, 0, 1, 1] = 1.0  # seen: does not
    completed[1, 0, 0, 1] = 1.0
    hidden = np.array([[True, True], [False, False]])
    assert np.allclose(hidden_error(completed, truth, hidden), [0.25, 0.5])


def tiny_vae():
    torch.manual_seed(0)
    return build_model(ModelConfig(kind="vae", latent_dim=4, hidden_dims=(16,))).eval()


@pytest.mark.parametrize("method", ["optimise", "iterate"])
def test_every_method_gives_the_seen_pixels_back_untouched_and_keeps_its_steps(digits, method: str) -> None:
    images = digits[0][:5]
    hidden = hidden_mask("top", 28, 28)
    done = complete(tiny_vae(), images, hidden, method)
    assert done.steps.shape[1:] == images.shape and done.step_numbers[0] == 0
    assert np.array_equal(done.steps[0], masked(images, hidden))
    assert np.array_equal(done.result[..., ~hidden], images[..., ~hidden])
    assert ((done.result >= 0) & (done.result <= 1)).all()


def test_the_search_for_a_code_leaves_a_shared_model_without_gradients_or_changes() -> None:
    model = tiny_vae()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    complete_by_optimisation(model, np.random.default_rng(0).random((3, 1, 28, 28)), hidden_mask("left", 28, 28))
    assert all(p.grad is None for p in model.parameters())
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())


def test_the_search_lowers_the_vaes_objective_on_the_seen_pixels(digits) -> None:
    """Each kept state is closer to the truth on the hidden pixels than the black hole it started from."""
    model = shipped(IMPUTATION_PAIR["vae"])
    images, hidden = digits[0][:50], hidden_mask("bottom", 28, 28)
    done = complete_by_optimisation(model, images, hidden)
    assert done.step_numbers[-1] == OPTIMISE_STEPS
    errors = [hidden_error(state, images, hidden).mean() for state in done.steps]
    assert errors[-1] < errors[1] < errors[0]


def test_the_diffusion_model_samples_the_hidden_pixels_alone_and_repeats_itself_by_seed(digits) -> None:
    flow = shipped(DIFFUSION_FILE)
    images, hidden = digits[0][:4], hidden_mask("right", 28, 28)
    first = inpaint(flow, images, hidden, steps=3, resample=2, seed=1)
    assert np.array_equal(first.result[..., ~hidden], images[..., ~hidden])
    assert np.array_equal(first.result, inpaint(flow, images, hidden, steps=3, resample=2, seed=1).result)
    assert not np.array_equal(first.result, inpaint(flow, images, hidden, steps=3, resample=2, seed=2).result)
    assert first.step_numbers == (0, 1, 2, 3)


@pytest.mark.parametrize("kind", ["top", "bottom", "left", "right"])
def test_on_a_half_mask_the_shipped_vae_fills_in_closer_to_the_truth_than_the_ae(digits, kind: str) -> None:
    """The Fill-in page's claim, by both methods, on 200 validation digits."""
    assert IMPUTATION_PAIR == {k: COMPARED[k] for k in ("ae", "vae")}
    ae, vae = shipped(IMPUTATION_PAIR["ae"]), shipped(IMPUTATION_PAIR["vae"])
    images, hidden = digits[0], hidden_mask(kind, 28, 28)
    for method in ("optimise", "iterate"):
        errors = {name: hidden_error(complete(m, images, hidden, method).result, images, hidden).mean()
                  for name, m in (("ae", ae), ("vae", vae))}  # fmt: skip
        assert errors["vae"] < errors["ae"], (method, errors)


def test_the_loop_needs_its_steps() -> None:
    done = complete_by_iteration(tiny_vae(), np.zeros((1, 1, 28, 28)), hidden_mask("top", 28, 28), steps=3)
    assert done.step_numbers == (0, 1, 2, 3)


def test_every_mask_kind_is_accepted() -> None:
    for kind in MASK_KINDS:
        assert hidden_mask(kind, 28, 28, share=0.4).any()


def test_on_random_pixels_the_aes_free_search_does_as_well_as_the_vae(digits) -> None:
    """The page's other claim: where the seen pixels pin the digit down, the prior no longer helps."""
    ae, vae = shipped(IMPUTATION_PAIR["ae"]), shipped(IMPUTATION_PAIR["vae"])
    images, hidden = digits[0], hidden_mask("random", 28, 28, share=0.5, seed=7)  # the page's random mask
    errors = {name: hidden_error(complete(m, images, hidden).result, images, hidden).mean()
              for name, m in (("ae", ae), ("vae", vae))}  # fmt: skip
    assert errors["ae"] <= errors["vae"], errors


def test_the_evaluator_reads_99_whole_validation_digits_in_100(digits) -> None:
    """The Fill-in page says so of the evaluator, to set the table's reading share against."""
    data = load_dataset("mnist")
    classes = features_and_classes(shipped(EVALUATOR_FILE), data.val_images)[1]
    assert round(100 * float(np.mean(classes == data.val_labels.numpy()))) == 99


def test_a_painted_stroke_hides_the_pixels_under_the_brush_only() -> None:
    from vae_core.imputation import painted_mask  # noqa: PLC0415

    across = painted_mask([np.array([[0.0, 0.5], [1.0, 0.5]])], 28, 28, brush=0.1)
    hidden_rows = np.flatnonzero(across.any(axis=1))
    assert across[13:15].all() and hidden_rows.tolist() == [13, 14]  # a band 2.8 px wide about y = 14
    assert across.all(axis=1).sum() == len(hidden_rows)  # the whole width
    dot = painted_mask([np.array([[0.25, 0.75]])], 28, 28, brush=0.2)
    rows, cols = np.nonzero(dot)
    assert abs(rows.mean() - 20.5) < 0.6 and abs(cols.mean() - 6.5) < 0.6  # x is the column, y the row
    assert 0.02 < dot.mean() < 0.05  # a disc of diameter 0.2: π·0.1² ≈ 3 % of the square
    assert not painted_mask([], 28, 28).any()
