"""The model picker shown in the sidebar of every model page: data set, latent size, AE/VAE pair.

The choice lives in session state under `keep.` keys, so it follows the user from page to page.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import streamlit as st

from vae_core import CheckpointError
from vae_core.catalog import Catalog, ModelPair, Variant

from .browser import memory
from .cached_models import LoadedModel, catalog, load_model, short_time
from .session_training import session_models
from .state import default
from .texts import IMPORTED_PREFIX, dataset_label, kind_label, labels, number, plain, printable, t

DATASET_KEY, LATENT_KEY, PAIR_KEY, OTHERS_KEY = (
    "keep.pick_dataset",
    "keep.pick_latent",
    "keep.pick_pair",
    "keep.pick_others",
)
PREFERRED_DATASET, PREFERRED_LATENT = "mnist", 2
PAIR_LABEL_FITS = 26  # characters the sidebar's select box shows without cutting


@dataclass(frozen=True)
class PickedModels:
    """The pair a page works with: loaded members, or None where missing or unreadable."""

    pair: ModelPair
    ae: LoadedModel | None
    vae: LoadedModel | None

    def member(self, kind: str) -> LoadedModel | None:
        return self.ae if kind == "ae" else self.vae

    @property
    def loaded(self) -> list[LoadedModel]:
        return [m for m in (self.ae, self.vae) if m is not None]

    @property
    def kinds(self) -> list[str]:
        return [m.kind for m in self.loaded]

    @property
    def dataset(self) -> str:
        return self.pair.dataset

    @property
    def latent_dim(self) -> int:
        return self.pair.latent_dim


def current_catalog() -> Catalog:
    """The models this browser may pick: another user's models trained on that user's own images stay
    that user's (the images are never shown to others)."""
    found = catalog(session_models(), include_others=bool(st.session_state.get(OTHERS_KEY, False)))
    own = memory().datasets
    theirs = lambda p: p.source == "others" and p.dataset.startswith(IMPORTED_PREFIX) and p.dataset not in own
    mine = [p for p in found.pairs if not theirs(p)]
    return found if len(mine) == len(found.pairs) else replace(found, pairs=mine)


def select_pair(pair: ModelPair) -> None:
    """Make a pair the current choice (e.g. right after training it). Call before the picker draws."""
    st.session_state[DATASET_KEY] = pair.dataset
    st.session_state[LATENT_KEY] = pair.latent_dim
    st.session_state[PAIR_KEY] = pair.id


def variant_label(variant: Variant) -> str:
    """'denoising (Gaussian 0.5)', 'without 7s', 'β = 4', joined by commas when several apply; '' when plain."""
    parts = []
    if variant.corruption is not None:  # trained on noisy inputs with clean targets
        noise = t(f"picker.variant.noise.{variant.corruption}")
        parts.append(t("picker.variant.denoising", noise=noise, level=number(variant.corruption_level)))
    if variant.without_digit is not None:  # never saw this digit
        parts.append(t("picker.variant.without", digit=variant.without_digit))
    if variant.beta != 1.0:  # the KL term weighed β times
        parts.append(t("picker.variant.beta", beta=number(variant.beta)))
    return ", ".join(parts)


def pair_label(pair: ModelPair) -> str:
    """'Pre-trained · MLP 512–256' / 'Trained here 21/11 14:05 · MLP 128–64 · β = 4 (VAE only)'."""
    when = short_time(pair.created)
    source = {
        "shipped": t("picker.source.shipped"),
        "session": t("picker.source.session", time=when),
        "others": t("picker.source.others", time=when),
    }[pair.source]
    text = f"{source} · {t('arch.' + pair.arch)} {'–'.join(map(str, pair.widths))}"
    if not pair.variant.plain:
        text += f" · {variant_label(pair.variant)}"
    if len(pair.kinds) == 1:
        text += " " + t("picker.only", kind=kind_label(pair.kinds[0]))
    return text


def _others_checkbox() -> None:
    default(OTHERS_KEY, False)
    st.sidebar.checkbox(t("picker.others"), key=OTHERS_KEY, help=t("picker.others_help"))


def model_picker() -> PickedModels:
    """Draw the picker in the sidebar and return the chosen pair, loaded; stops the page if there is none."""
    found = current_catalog()
    bar = st.sidebar
    bar.header(t("picker.header"))
    for broken in found.broken:
        bar.error(t("picker.broken", message=plain(broken.message)))
    if not found.pairs:
        _others_checkbox()  # other users' models may be all there is
        st.warning(t("picker.none"))
        st.stop()

    datasets = sorted({p.dataset for p in found.pairs})
    default(DATASET_KEY, PREFERRED_DATASET if PREFERRED_DATASET in datasets else datasets[0], datasets)
    dataset = bar.selectbox(t("picker.dataset"), datasets, key=DATASET_KEY, format_func=labels(datasets, dataset_label))

    sizes = sorted({p.latent_dim for p in found.pairs if p.dataset == dataset})
    default(LATENT_KEY, PREFERRED_LATENT if PREFERRED_LATENT in sizes else sizes[0], sizes)
    size_label = labels(sizes, lambda d: t("picker.latent_value", d=d))
    latent_dim = bar.selectbox(t("picker.latent"), sizes, key=LATENT_KEY, format_func=size_label)

    pairs = {p.id: p for p in found.pairs if p.dataset == dataset and p.latent_dim == latent_dim}
    default(PAIR_KEY, next(iter(pairs)), list(pairs))
    pair_names = labels(pairs, lambda i: pair_label(pairs[i]))
    pair_id = bar.selectbox(
        t("picker.pair"), list(pairs), key=PAIR_KEY, help=t("picker.pair_help"), format_func=pair_names
    )
    if len(pair_names(pair_id)) > PAIR_LABEL_FITS:  # the box cuts a long name: the whole of it below
        bar.caption(plain(pair_names(pair_id)))
    _others_checkbox()
    pair = pairs[pair_id]

    loaded: dict[str, LoadedModel | None] = {"ae": None, "vae": None}
    for kind in ("ae", "vae"):
        item = pair.member(kind)
        if item is None:
            bar.warning(t("picker.missing", kind=kind_label(kind)))
            continue
        try:
            loaded[kind] = load_model(item)
        except CheckpointError as exc:
            bar.error(t("picker.broken", message=plain(str(exc))))
            continue
        bar.text(f"{kind_label(kind)}: {printable(item.file.name)}")  # st.text: never markdown
    picked = PickedModels(pair, loaded["ae"], loaded["vae"])
    if not picked.loaded:
        st.error(t("picker.unusable"))
        st.stop()
    return picked
