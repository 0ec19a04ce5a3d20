"""Streamlit-side helpers shared by Latent Lab's pages: texts, state, model picker, cached results,
figures and images. No torch here: the maths lives in `vae_core`."""
