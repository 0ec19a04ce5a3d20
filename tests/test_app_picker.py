"""The sidebar picker: the plain 2-D MNIST pair is the default, and the shipped lesson models
(denoising, a digit left out, the β ladder) are pairs of their own, named so in both languages."""

import pytest

from tests.app_testing import assert_clean, open_app
from ui.picker import LATENT_KEY, PAIR_KEY
from vae_core.shipped import ANOMALY_PAIR, BETA_LADDER, DENOISING_PAIR, UNSEEN_DIGIT

VARIANT_LABELS = {
    "en": {
        "denoising": "Pre-trained · Convolutional 32–64 · denoising (Gaussian 0.5)",
        "unseen": f"Pre-trained · MLP 256–128 · without {UNSEEN_DIGIT}s",
        "beta4": "Pre-trained · MLP 256–128 · β = 4 (VAE only)",
        "beta16": "Pre-trained · MLP 256–128 · β = 16 (VAE only)",
    },
    "pt": {
        "denoising": "Pré-treinado · Convolucional 32–64 · remoção de ruído (gaussiano 0,5)",
        "unseen": f"Pré-treinado · MLP 256–128 · sem o dígito {UNSEEN_DIGIT}",
        "beta4": "Pré-treinado · MLP 256–128 · β = 4 (só VAE)",
        "beta16": "Pré-treinado · MLP 256–128 · β = 16 (só VAE)",
    },
}
PLAIN_LABELS = {
    "en": ["Pre-trained · Convolutional 32–64", "Pre-trained · MLP 256–128"],
    "pt": ["Pré-treinado · Convolucional 32–64", "Pré-treinado · MLP 256–128"],
}


def _files(at) -> set[str]:
    return {text.value.split(": ", 1)[1] for text in at.sidebar.text if ": " in text.value}


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_the_default_is_the_plain_2d_pair_and_variants_are_named(lang):
    at = open_app("latent_grid", lang=lang)
    assert_clean(at)
    assert _files(at) == {"mnist-ae-mlp-2d.pt", "mnist-vae-mlp-2d.pt"}
    assert len(at.selectbox(key=PAIR_KEY).options) == 1  # no variant of the 2-D pair

    at.selectbox(key=LATENT_KEY).set_value(16).run()
    assert_clean(at)
    options = at.selectbox(key=PAIR_KEY).options
    assert set(VARIANT_LABELS[lang].values()) <= set(options), options
    assert len(options) == 6  # plain conv, plain MLP, denoising conv, MLP without one digit, β = 4 and β = 16
    assert options[:2] == PLAIN_LABELS[lang]  # the plain pairs first

    expected = {
        "denoising": set(DENOISING_PAIR.values()),
        "unseen": set(ANOMALY_PAIR.values()),
        "beta4": {BETA_LADDER[4.0]},
    }
    for variant, files in expected.items():
        at.selectbox(key=PAIR_KEY).select_index(options.index(VARIANT_LABELS[lang][variant])).run()
        assert_clean(at)
        assert _files(at) == files, variant
