"""Latent tools: grid corners and spacing, interpolation ends and norms, projections, tiling."""

import numpy as np
import pytest
import torch

from vae_core import (decode, decode_grid, encode, grid_codes, grid_coordinates, interpolate, project_2d,
                      reconstruct, sample_prior, tile_images, traverse)  # fmt: skip


def test_grid_corners_and_layout():
    z = grid_codes(5, latent_dim=2, extent=2.0)
    assert z.shape == (25, 2)
    grid = z.reshape(5, 5, 2)
    assert grid[0, 0].tolist() == [-2.0, 2.0]  # top-left: smallest x, largest y
    assert grid[0, -1].tolist() == [2.0, 2.0]
    assert grid[-1, 0].tolist() == [-2.0, -2.0]
    assert grid[-1, -1].tolist() == [2.0, -2.0]


def test_grid_holds_other_dimensions_at_the_base_point():
    base = torch.tensor([0.5, -1.0, 0.25, 3.0])
    z = grid_codes(3, latent_dim=4, dims=(2, 0), extent=1.0, base=base)
    assert torch.all(z[:, 1] == -1.0) and torch.all(z[:, 3] == 3.0)
    assert sorted(set(z[:, 2].tolist())) == [-1.0, 0.0, 1.0]
    with pytest.raises(ValueError, match="two different dimensions"):
        grid_codes(3, latent_dim=4, dims=(1, 1))
    with pytest.raises(ValueError, match="below 4"):
        grid_codes(3, latent_dim=4, dims=(0, 4))


def test_a_1d_latent_space_has_a_single_row_of_codes():
    z = grid_codes(4, latent_dim=1, extent=3.0)
    assert z.shape == (4, 1) and z[:, 0].tolist() == [-3.0, -1.0, 1.0, 3.0]


def test_gaussian_spacing_is_even_in_probability():
    coords = grid_coordinates(7, extent=2.0, spacing="gaussian")
    assert coords[0].item() == pytest.approx(-2.0, abs=1e-4) and coords[-1].item() == pytest.approx(2.0, abs=1e-4)
    cdf = torch.distributions.Normal(0, 1).cdf(coords)
    gaps = cdf[1:] - cdf[:-1]
    torch.testing.assert_close(gaps, torch.full_like(gaps, gaps.mean().item()), atol=1e-5, rtol=0)
    lin = grid_coordinates(7, extent=2.0)
    assert (coords[1:-1].abs() < lin[1:-1].abs() + 1e-6).all() and torch.equal(coords[3], torch.tensor(0.0))


def test_bad_grid_arguments():
    with pytest.raises(ValueError, match="grid size"):
        grid_coordinates(0)
    with pytest.raises(ValueError, match="range must be positive"):
        grid_coordinates(3, extent=0)
    with pytest.raises(ValueError, match="spacing"):
        grid_coordinates(3, spacing="log")


@pytest.mark.parametrize("method", ["linear", "spherical"])
def test_interpolation_end_points(method):
    a, b = torch.tensor([1.0, 2.0, -1.0]), torch.tensor([-3.0, 0.5, 2.0])
    path = interpolate(a, b, 6, method=method)
    assert path.shape == (6, 3)
    torch.testing.assert_close(path[0], a)
    torch.testing.assert_close(path[-1], b)


def test_spherical_interpolation_keeps_the_norm():
    gen = torch.Generator().manual_seed(0)
    a = torch.randn(16, generator=gen)
    b = torch.randn(16, generator=gen)
    b = b / b.norm() * a.norm()
    norms = interpolate(a, b, 11, method="spherical").norm(dim=1)
    torch.testing.assert_close(norms, torch.full((11,), a.norm().item()))
    # ... while the straight line cuts through the middle, where the prior has little mass
    assert interpolate(a, b, 11, method="linear").norm(dim=1)[5] < 0.9 * a.norm()


def test_spherical_interpolation_of_unequal_norms_moves_the_norm_linearly():
    a, b = torch.tensor([2.0, 0.0]), torch.tensor([0.0, 4.0])
    norms = interpolate(a, b, 5, method="spherical").norm(dim=1)
    torch.testing.assert_close(norms, torch.tensor([2.0, 2.5, 3.0, 3.5, 4.0]))
    mid = interpolate(a, b, 3, method="spherical")[1]
    assert mid[0].item() == pytest.approx(mid[1].item())  # halfway in angle: 45°


def test_traverse_and_prior_samples():
    z = traverse(torch.zeros(4), 2, torch.linspace(-1, 1, 5))
    assert z.shape == (5, 4) and z[:, 2].tolist() == [-1.0, -0.5, 0.0, 0.5, 1.0] and z[:, [0, 1, 3]].abs().sum() == 0
    with pytest.raises(ValueError, match="out of range"):
        traverse(torch.zeros(4), 4, [0.0])
    assert torch.equal(sample_prior(8, 3, seed=1), sample_prior(8, 3, seed=1))
    big = sample_prior(20000, 2, seed=0)
    assert abs(big.mean().item()) < 0.03 and abs(big.std().item() - 1) < 0.03


def test_pca_projection_shape_and_transform():
    gen = np.random.default_rng(0)
    codes = gen.normal(size=(200, 8)) * np.array([5, 3, 1, 1, 1, 1, 1, 1])
    proj = project_2d(codes, method="pca")
    assert proj.points.shape == (200, 2) and proj.method == "pca"
    np.testing.assert_allclose(proj.transform(codes), proj.points, atol=1e-9)
    assert proj.explained_variance_ratio[0] > proj.explained_variance_ratio[1] > 0.1
    two_d = project_2d(codes[:, :2])
    assert two_d.method == "identity" and np.array_equal(two_d.points, codes[:, :2])
    assert project_2d(codes[:, :1]).points.shape == (200, 2)


def test_tsne_projection_shape():
    codes = np.random.default_rng(0).normal(size=(60, 5))
    proj = project_2d(codes, method="tsne")
    assert proj.points.shape == (60, 2)
    with pytest.raises(ValueError, match="t-SNE cannot place new points"):
        proj.transform(codes)


def test_tile_images_layout():
    imgs = torch.zeros(5, 1, 2, 3)
    imgs[4] = 1.0
    tile = tile_images(imgs, nrow=3, padding=1)
    assert tile.dtype == np.uint8 and tile.shape == (2 * 3 + 1, 3 * 4 + 1)
    assert tile[4:6, 5:8].min() == 255  # the 5th image: second row, second column
    assert tile[1:3, 1:4].max() == 0
    rgb = tile_images(torch.rand(2, 3, 4, 4), nrow=2)
    assert rgb.shape == (4 + 2, 2 * 5 + 1, 3)


def test_model_helpers_shapes(make_model, digits):
    for kind in ("ae", "vae"):
        model = make_model(kind, latent_dim=3)
        enc = encode(model, digits.val_images)
        assert enc.mu.shape == (180, 3)
        assert (enc.sigma is None) == (kind == "ae")
        if enc.sigma is not None:
            assert (enc.sigma > 0).all()
        assert reconstruct(model, digits.val_images[:4]).shape == (4, 1, 8, 8)
        images = decode_grid(model, 4, dims=(0, 2))
        assert images.shape == (16, 1, 8, 8) and 0 <= images.min() and images.max() <= 1
        assert decode(model, np.zeros((2, 3))).shape == (2, 1, 8, 8)
