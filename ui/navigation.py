"""The app's pages, listed once: the navigation, the Home page's links, the AppTests and the
browser tests all read this list.

Streamlit's file-based multipage mode runs `app.py` (Home) or one file of `pages/` on each run;
its own navigation, which would show the raw file names, is hidden (`client.showSidebarNavigation`)
and `ui.shell.page_setup` draws a translated one instead.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    name: str  # the file's stem: also the page's URL path ("latent_grid" → /latent_grid)
    path: str  # the script, relative to the app's folder, as st.page_link and st.switch_page take it
    icon: str
    needs_models: bool  # it shows a model pair, chosen in the sidebar's picker

    # One name per page everywhere: its file, its URL and its texts (nav.<name>, <name>.title, <name>.intro)
    @property
    def nav_key(self) -> str:
        """Text key of its name in the navigation and the browser tab."""
        return f"nav.{self.name}"

    @property
    def title_key(self) -> str:
        """Text key of its heading."""
        return f"{self.name}.title"


HOME = Page("home", "app.py", ":material/home:", needs_models=False)
PAGES: tuple[Page, ...] = (
    HOME,
    Page("lesson", "pages/lesson.py", ":material/school:", needs_models=False),
    Page("train", "pages/train.py", ":material/model_training:", needs_models=False),
    Page("own_images", "pages/own_images.py", ":material/upload_file:", needs_models=False),
    Page("latent_grid", "pages/latent_grid.py", ":material/grid_on:", needs_models=True),
    Page("latent_pad", "pages/latent_pad.py", ":material/touch_app:", needs_models=True),
    Page("latent_sliders", "pages/latent_sliders.py", ":material/tune:", needs_models=True),
    Page("interpolation", "pages/interpolation.py", ":material/linear_scale:", needs_models=True),
    Page("ae_vs_vae", "pages/ae_vs_vae.py", ":material/compare:", needs_models=True),
    Page("draw", "pages/draw.py", ":material/draw:", needs_models=True),
    Page("beta", "pages/beta.py", ":material/compress:", needs_models=False),
    Page("uses", "pages/uses.py", ":material/lightbulb:", needs_models=False),
    Page("fill_in", "pages/fill_in.py", ":material/format_color_fill:", needs_models=False),
    Page("style", "pages/style.py", ":material/gesture:", needs_models=False),
    Page("synthetic", "pages/synthetic.py", ":material/library_add:", needs_models=False),
    Page("generative", "pages/generative.py", ":material/compare_arrows:", needs_models=False),
    Page("quiz", "pages/quiz.py", ":material/quiz:", needs_models=False),
    Page("poll", "pages/poll.py", ":material/how_to_vote:", needs_models=False),
)
PAGE_BY_NAME: dict[str, Page] = {page.name: page for page in PAGES}
