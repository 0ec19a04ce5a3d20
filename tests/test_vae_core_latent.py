"""Latent tools: grid corners and spacing, interpolation ends and norms, slider ranges, projections, tiling,
traversals, and a code's σ ellipse seen through a projection (checked against sampled Gaussians)."""

import numpy as np
import pytest
import torch

from vae_core import (
    VAE_CODE_RANGE,
    code_ranges,
    decode,
    encode,
    grid_codes,
    grid_coordinates,
    interpolate,
    project_2d,
    reconstruct,
    sample_prior,
    tile_images,
)
from vae_core.latent import Projection, ellipse_points, linear_map, plane_codes, projected_ellipse, traversal_codes


def test_grid_corners_and_layout():
    z = grid_codes(5, latent_dim=2, extent=2.0)
    assert z.shape == (25, 2)
    grid = z.reshape(5, 5, 2)
    assert grid[0, 0].tolist() == [-2.0, 2.0]  # top-left: smallest x, largest y
    assert grid[0, -1].tolist() == [2.0, 2.0]
    assert grid[-1, 0].tolist() == [-2.0, -2.0]
    assert grid[-1, -1].tolist() == [2.0, -2.0]


def test_grid_holds_other_dimensions_at_the_base_point():
    base = np.array([0.5, -1.0, 0.25, 3.0])
    z = grid_codes(3, latent_dim=4, dims=(2, 0), extent=1.0, base=base)
    assert np.all(z[:, 1] == -1.0) and np.all(z[:, 3] == 3.0)
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
    assert coords[0] == pytest.approx(-2.0, abs=1e-4) and coords[-1] == pytest.approx(2.0, abs=1e-4)
    cdf = torch.distributions.Normal(0, 1).cdf(torch.from_numpy(coords))
    gaps = cdf[1:] - cdf[:-1]
    torch.testing.assert_close(gaps, torch.full_like(gaps, gaps.mean().item()), atol=1e-5, rtol=0)
    lin = grid_coordinates(7, extent=2.0)
    assert (np.abs(coords[1:-1]) < np.abs(lin[1:-1]) + 1e-6).all() and coords[3] == 0.0


def test_bad_grid_arguments():
    with pytest.raises(ValueError, match="grid size"):
        grid_coordinates(0)
    with pytest.raises(ValueError, match="range must be positive"):
        grid_coordinates(3, extent=0)
    with pytest.raises(ValueError, match="spacing"):
        grid_coordinates(3, spacing="log")


@pytest.mark.parametrize("method", ["linear", "spherical"])
def test_interpolation_end_points(method):
    a, b = np.array([1.0, 2.0, -1.0]), np.array([-3.0, 0.5, 2.0])
    path = interpolate(a, b, 6, method=method)
    assert path.shape == (6, 3)
    np.testing.assert_allclose(path[0], a, rtol=1.3e-6, atol=1e-5)  # torch.testing's float32 tolerances
    np.testing.assert_allclose(path[-1], b, rtol=1.3e-6, atol=1e-5)


def test_spherical_interpolation_keeps_the_norm():
    rng = np.random.default_rng(0)
    a = rng.normal(size=16).astype(np.float32)
    b = rng.normal(size=16).astype(np.float32)
    b = b / np.linalg.norm(b) * np.linalg.norm(a)
    norms = np.linalg.norm(interpolate(a, b, 11, method="spherical"), axis=1)
    np.testing.assert_allclose(norms, np.full(11, np.linalg.norm(a)), rtol=1.3e-6, atol=1e-5)
    # ... while the straight line cuts through the middle, where the prior has little mass
    assert np.linalg.norm(interpolate(a, b, 11, method="linear"), axis=1)[5] < 0.9 * np.linalg.norm(a)


def test_spherical_interpolation_of_unequal_norms_moves_the_norm_linearly():
    a, b = np.array([2.0, 0.0]), np.array([0.0, 4.0])
    norms = np.linalg.norm(interpolate(a, b, 5, method="spherical"), axis=1)
    np.testing.assert_allclose(norms, [2.0, 2.5, 3.0, 3.5, 4.0], rtol=1.3e-6, atol=1e-5)
    mid = interpolate(a, b, 3, method="spherical")[1]
    assert mid[0] == pytest.approx(mid[1])  # halfway in angle: 45°


def test_bad_interpolation_arguments():
    with pytest.raises(ValueError, match="at least 2 steps"):
        interpolate(np.zeros(2), np.ones(2), 1)
    with pytest.raises(ValueError, match="different sizes"):
        interpolate(np.zeros(2), np.ones(3), 4)
    with pytest.raises(ValueError, match="'linear' or 'spherical'"):
        interpolate(np.zeros(2), np.ones(2), 4, method="cubic")


def test_prior_samples_are_seeded_standard_normal():
    assert np.array_equal(sample_prior(8, 3, seed=1), sample_prior(8, 3, seed=1))
    big = sample_prior(20000, 2, seed=0)
    assert abs(big.mean()) < 0.03 and abs(big.std() - 1) < 0.03
    # the same numbers as torch.randn with a seeded generator: pictures drawn before stay the same
    assert np.array_equal(sample_prior(4, 2, seed=7), torch.randn(4, 2, generator=torch.Generator().manual_seed(7)))


def test_code_ranges_of_a_vae_are_the_prior_range_unless_a_code_lies_further_out():
    mu = np.array([[0.5, -2.0], [-1.0, 5.2]], dtype=np.float32)
    ranges = code_ranges(mu, variational=True)
    assert ranges.shape == (2, 2) and ranges.dtype == np.float32
    assert ranges.tolist() == [[-VAE_CODE_RANGE, VAE_CODE_RANGE], [-6.0, 6.0]]


def test_code_ranges_of_an_ae_span_the_codes_padded_rounded_and_including_zero():
    mu = np.array([[1.0, -30.0, 2.0], [3.0, 40.0, 2.0]], dtype=np.float32)
    ranges = code_ranges(mu, variational=False)
    # dim 0: [1, 3] padded by 0.2 → [0.8, 3.2], widened to 0 → [0, 3.5] in steps of 0.5
    # dim 1: [-30, 40] padded by 7 → [-37, 47], a span over 10 → steps of 1
    # dim 2: a single value 2 padded by 1e-4 → [0, 2.0001] → [0, 2.5]
    assert ranges.tolist() == [[0.0, 3.5], [-37.0, 47.0], [0.0, 2.5]]
    assert (ranges[:, 0] <= mu.min(axis=0)).all() and (ranges[:, 1] >= mu.max(axis=0)).all()
    with pytest.raises(ValueError, match="non-empty"):
        code_ranges(np.zeros((0, 2)), variational=False)


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
    imgs = np.zeros((5, 1, 2, 3), dtype=np.float32)
    imgs[4] = 1.0
    tile = tile_images(imgs, nrow=3, padding=1)
    assert tile.dtype == np.uint8 and tile.shape == (2 * 3 + 1, 3 * 4 + 1)
    assert tile[4:6, 5:8].min() == 255  # the 5th image: second row, second column
    assert tile[1:3, 1:4].max() == 0
    rgb = tile_images(np.random.default_rng(0).random((2, 3, 4, 4)), nrow=2)
    assert rgb.shape == (4 + 2, 2 * 5 + 1, 3)
    assert np.array_equal(tile_images(torch.from_numpy(imgs), nrow=3), tile)  # a tensor tiles the same


def test_model_helpers_shapes(make_model, digits):
    for kind in ("ae", "vae"):
        model = make_model(kind, latent_dim=3)
        enc = encode(model, digits.val_images)
        assert enc.mu.shape == (180, 3)
        assert (enc.sigma is None) == (kind == "ae")
        if enc.sigma is not None:
            assert (enc.sigma > 0).all()
        assert reconstruct(model, digits.val_images[:4]).shape == (4, 1, 8, 8)
        images = decode(model, grid_codes(4, latent_dim=3, dims=(0, 2)))
        assert images.shape == (16, 1, 8, 8) and 0 <= images.min() and images.max() <= 1
        assert decode(model, np.zeros((2, 3))).shape == (2, 1, 8, 8)


def test_reconstruct_decodes_the_mean_code(make_model, digits):
    model = make_model("vae", latent_dim=3)
    x = digits.val_images[:5].numpy()
    np.testing.assert_array_equal(reconstruct(model, x), decode(model, encode(model, x).mu))
    with torch.no_grad():  # the reference: the decoder's Bernoulli means at μ, straight from the model
        expected = torch.sigmoid(model.decode(model.encode(torch.from_numpy(x))[0])).numpy()
    np.testing.assert_allclose(reconstruct(model, x), expected, rtol=1e-6, atol=1e-6)


def test_every_latent_function_returns_numpy_of_the_documented_shape(make_model, digits):
    """Numpy in, numpy out: the app never sees a tensor."""
    model = make_model("vae", latent_dim=3)
    images = digits.val_images[:6].numpy()  # (6, 1, 8, 8)
    enc = encode(model, images)
    results = {
        "encode.mu": (enc.mu, (6, 3), np.float32),
        "encode.sigma": (enc.sigma, (6, 3), np.float32),
        "decode": (decode(model, enc.mu), (6, 1, 8, 8), np.float32),
        "reconstruct": (reconstruct(model, images), (6, 1, 8, 8), np.float32),
        "interpolate": (interpolate(enc.mu[0], enc.mu[1], 5), (5, 3), np.float32),
        "interpolate spherical": (interpolate(enc.mu[0], enc.mu[1], 5, method="spherical"), (5, 3), np.float32),
        "sample_prior": (sample_prior(4, 3, seed=0), (4, 3), np.float32),
        "grid_coordinates": (grid_coordinates(5), (5,), np.float32),
        "grid_codes": (grid_codes(5, latent_dim=3, base=enc.mu[0]), (25, 3), np.float32),
        "code_ranges": (code_ranges(enc.mu, variational=True), (3, 2), np.float32),
        "tile_images": (tile_images(images, nrow=3), (2 * 9 + 1, 3 * 9 + 1), np.uint8),
        "project_2d": (project_2d(enc.mu).points, (6, 2), np.float64),
    }
    for name, (value, shape, dtype) in results.items():
        assert isinstance(value, np.ndarray), f"{name} returned {type(value).__name__}"
        assert value.shape == shape and value.dtype == dtype, (name, value.shape, value.dtype)
    pixels = results["decode"][0]
    assert 0 <= pixels.min() and pixels.max() <= 1


def test_traversal_codes_change_one_coordinate_per_row():
    code = np.array([0.5, -1.0, 2.0, 0.0], dtype=np.float32)
    values = np.array([-3.0, 0.0, 3.0], dtype=np.float32)
    codes = traversal_codes(code, (2, 0), values)
    expected = np.array(
        [
            [0.5, -1.0, -3.0, 0.0],
            [0.5, -1.0, 0.0, 0.0],
            [0.5, -1.0, 3.0, 0.0],
            [-3.0, -1.0, 2.0, 0.0],
            [0.0, -1.0, 2.0, 0.0],
            [3.0, -1.0, 2.0, 0.0],
        ]
    )
    np.testing.assert_array_equal(codes, expected)
    assert codes.dtype == np.float32 and code.tolist() == [0.5, -1.0, 2.0, 0.0]  # the code itself is kept
    assert traversal_codes(code, (), values).shape == (0, 4)


def test_the_linear_map_is_pcas_components_or_the_codes_first_axes():
    codes = np.random.default_rng(0).normal(size=(50, 5))
    pca = project_2d(codes, method="pca")
    np.testing.assert_array_equal(linear_map(pca, 5), pca.components)
    np.testing.assert_array_equal(linear_map(project_2d(codes[:, :2]), 2), np.eye(2))
    np.testing.assert_array_equal(linear_map(project_2d(codes[:, :1]), 1), [[1.0], [0.0]])  # nothing upwards
    for proj, dim in [(pca, 5), (project_2d(codes[:, :2]), 2), (project_2d(codes[:, :1]), 1)]:
        # the map is the projection's linear part: differences of codes go through it alike
        diff = proj.transform(codes[:, :dim][1:2]) - proj.transform(codes[:, :dim][:1])
        np.testing.assert_allclose(diff[0], linear_map(proj, dim) @ (codes[1, :dim] - codes[0, :dim]), atol=1e-12)
    with pytest.raises(ValueError, match="t-SNE is not a linear map"):
        linear_map(Projection(np.zeros((3, 2)), "tsne"), 5)


def test_the_projected_ellipse_of_axis_aligned_and_turned_gaussians():
    """By hand: the first two axes of a 3-D Gaussian keep their σs; a rotation turns the long axis with it."""
    lengths, axes = projected_ellipse(np.array([0.5, 2.0, 7.0]), np.eye(2, 3))
    np.testing.assert_allclose(lengths, [0.5, 2.0])  # ascending, as eigh gives them
    np.testing.assert_allclose(np.abs(axes), [[0.5, 0.0], [0.0, 2.0]], atol=1e-12)
    turn = np.deg2rad(30)
    rotation = np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]])
    lengths, axes = projected_ellipse(np.array([1.0, 3.0]), rotation)
    np.testing.assert_allclose(lengths, [1.0, 3.0])
    np.testing.assert_allclose(np.abs(axes[:, 1]), 3.0 * np.abs(rotation[:, 1]), atol=1e-12)  # the long axis, turned
    assert np.dot(axes[:, 0], axes[:, 1]) == pytest.approx(0.0, abs=1e-12)  # half-axes at right angles


def test_the_projected_ellipse_holds_the_projected_gaussians_covariance_and_its_share_of_samples():
    """The reference: samples of N(0, diag σ²) projected by a random map. Their covariance is the
    ellipse's (axes @ axesᵀ = M diag σ² Mᵀ), and a 2-D Gaussian's 1-σ ellipse holds 1 − e^(−1/2) of them."""
    rng = np.random.default_rng(0)
    sigma, matrix = rng.uniform(0.1, 2.0, 6), rng.normal(size=(2, 6))
    lengths, axes = projected_ellipse(sigma, matrix)
    np.testing.assert_allclose(axes @ axes.T, (matrix * sigma**2) @ matrix.T, rtol=1e-12)
    np.testing.assert_allclose(np.linalg.norm(axes, axis=0), lengths)
    points = (rng.normal(size=(200_000, 6)) * sigma) @ matrix.T  # (N, 2)
    np.testing.assert_allclose(np.cov(points.T), axes @ axes.T, rtol=0.02, atol=0.02 * lengths.max() ** 2)
    inside = np.linalg.solve(axes, points.T)  # each point in the ellipse's own coordinates (2, N)
    assert (np.linalg.norm(inside, axis=0) <= 1).mean() == pytest.approx(1 - np.exp(-0.5), abs=0.005)


def test_a_flat_projection_gives_a_zero_length_not_a_nan():
    lengths, axes = projected_ellipse(np.array([1.0, 2.0]), np.array([[1.0, 1.0], [1.0, 1.0]]))  # rank 1
    assert lengths[0] == pytest.approx(0.0, abs=1e-7) and np.isfinite(axes).all()
    assert lengths[1] == pytest.approx(np.sqrt(2 * (1 + 4)))  # both rows see σ₁² + σ₂²: (1, 1) · √5


def test_ellipse_points_lie_on_the_ellipse_and_close_it():
    rng = np.random.default_rng(1)
    centers = rng.normal(size=(3, 2))
    axes = np.stack([projected_ellipse(rng.uniform(0.2, 1.0, 4), rng.normal(size=(2, 4)))[1] for _ in range(3)])
    points = ellipse_points(centers, axes, points=25, scale=2.5)
    assert points.shape == (3, 25, 2)
    np.testing.assert_allclose(points[:, 0], points[:, -1], atol=1e-12)  # from 0 to 2π: the outline closes
    for center, axis, outline in zip(centers, axes, points, strict=True):
        inside = np.linalg.solve(axis, (outline - center).T)  # (2, 25): (cos t, sin t) scaled
        np.testing.assert_allclose(np.linalg.norm(inside, axis=0), 2.5)
    assert ellipse_points(centers[0], axes[0]).shape == (40, 2)  # one ellipse, the default points


def test_plane_codes_are_cell_centres_top_row_first_with_the_others_at_base() -> None:
    base = np.array([9.0, 7.0, 5.0], dtype=np.float32)
    z = plane_codes((-2.0, 2.0, 0.0, 4.0), 2, dims=(2, 0), base=base)  # (4, 3): x on z3, y on z1
    assert z.shape == (4, 3) and z.dtype == np.float32
    np.testing.assert_allclose(z[:, 2], [-1.0, 1.0, -1.0, 1.0])  # x: left to right in each row
    np.testing.assert_allclose(z[:, 0], [3.0, 3.0, 1.0, 1.0])  # y: the top row (largest) first
    np.testing.assert_allclose(z[:, 1], 7.0)  # the dimension off the plane keeps the base's value
    with pytest.raises(ValueError, match="at least one cell"):
        plane_codes((0, 1, 0, 1), 0, dims=(0, 1), base=base)
