"""Streamlit-side helpers shared by Latent Lab's pages: texts, state, model picker, cached results,
figures and images. No torch here: the maths lives in `vae_core`."""

import os

# One CPU thread per torch operation, set before any page loads torch (an administrator's setting
# wins): page reruns and training jobs already run side by side, and threads of one operation
# spread over the same few cores only wait on each other.
os.environ.setdefault("OMP_NUM_THREADS", "1")
