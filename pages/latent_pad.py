"""Latent pad: both decoders follow the pointer over the 2-D latent plane, decoded in the browser."""

from ui.shell import page_setup

page_setup("latent_pad")
