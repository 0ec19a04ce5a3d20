"""Your images: upload a zip of images, an .npz or a CSV of pixels; see what was read (how many, at what
size, which classes, what was left out) and a preview; keep them to train an AE and a VAE on them."""

from ui.shell import page_setup

page_setup("own_images")

import streamlit as st

from ui.navigation import PAGE_BY_NAME
from ui.own_images import (
    keep,
    kept_sets,
    preview_url,
    problem_text,
    read_upload,
    receive_shared,
    share_link,
    summary_lines,
)
from ui.state import default
from ui.texts import dataset_description, dataset_label, number, option_labels, plain, t
from ui.train_autoencoders import KEYS, use_dataset_defaults
from vae_core.image_import import SIDE, ImportLimits

SIDE_KEY, INVERT_KEY = "keep.own_images_side", "keep.own_images_invert"
SIDES, INVERSIONS = ("resize", "keep"), ("auto", "yes", "no")
LIMITS = ImportLimits()

st.markdown(
    t(
        "own_images.formats",
        megabytes=LIMITS.max_upload_bytes // 2**20,
        images=number(LIMITS.max_images, ",d"),
        minimum=LIMITS.min_images,
        side=SIDE,
        kept=LIMITS.max_side_kept,
    )
)
receive_shared()  # a set shared by its link: now among this browser's sets too
default(SIDE_KEY, "resize", list(SIDES))
default(INVERT_KEY, "auto", list(INVERSIONS))
c1, c2 = st.columns(2)
side = c1.radio(t("own_images.side"), SIDES, key=SIDE_KEY, format_func=option_labels(SIDES, "own_images.side"))
invert = c2.radio(
    t("own_images.invert"),
    INVERSIONS,
    key=INVERT_KEY,
    format_func=option_labels(INVERSIONS, "own_images.invert"),
    help=t("own_images.invert_help"),
)
uploaded = st.file_uploader(
    t("own_images.upload"),
    # No `type=`: Streamlit would refuse another file with its own error; ours names the problem.
    max_upload_size=LIMITS.max_upload_bytes // 2**20,
    key="own_images_file",
    help=t("own_images.upload_help"),
)

if uploaded is None:
    st.info(t("own_images.none"))
else:
    read = read_upload(uploaded, SIDE if side == "resize" else None, invert)
    if read.problem is not None:
        st.error(problem_text(read.problem))
    else:
        st.markdown("\n".join(f"- {line}" for line in summary_lines(read.imported, read.title)))
        st.image(preview_url(read.imported), width="stretch", alt=t("alt.own_images.preview"))
        if st.button(t("own_images.keep"), type="primary", icon=":material/model_training:", key="own_images_keep"):
            st.session_state[KEYS["dataset"]] = keep(read)
            use_dataset_defaults()
            st.switch_page(PAGE_BY_NAME["train"].path)
        st.caption(t("own_images.private"))

kept = kept_sets()
if kept:
    st.subheader(t("own_images.kept_title"))
    st.markdown("\n".join(f"- **{plain(dataset_label(name))}**: {dataset_description(name)}" for name in kept))
    st.caption(t("own_images.kept_note"))
    with st.expander(t("own_images.share_title")):
        st.markdown(t("own_images.share_note"))
        for name in kept:
            st.caption(plain(dataset_label(name)))
            st.code(share_link(name), language=None)  # plain text, with a copy button
