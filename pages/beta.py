"""β and posterior collapse: a ladder of VAEs that differ only in the weight of their KL term."""

from ui.shell import page_setup

page_setup("beta")
