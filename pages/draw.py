"""Draw a digit: a student's own drawing or photo, prepared as MNIST was, encoded and redrawn by both models."""

from ui.shell import page_setup

page_setup("draw")
