"""Guided lesson: steps through the notes' story, each opening a page on the right view."""

from ui.shell import page_setup

page_setup("lesson")
