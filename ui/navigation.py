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
    nav_key: str  # text key of its name in the navigation and the browser tab
    title_key: str  # text key of its heading
    icon: str
    needs_models: bool  # it shows a model pair, chosen in the sidebar's picker


HOME = Page("home", "app.py", "nav.home", "home.title", ":material/home:", needs_models=False)
PAGES: tuple[Page, ...] = (
    HOME,
    Page("lesson", "pages/lesson.py", "nav.lesson", "lesson.title", ":material/school:", needs_models=False),
    Page("train", "pages/train.py", "nav.train", "train.title", ":material/model_training:", needs_models=False),
    Page("latent_grid", "pages/latent_grid.py", "nav.grid", "grid.title", ":material/grid_on:", needs_models=True),
    Page("latent_pad", "pages/latent_pad.py", "nav.pad", "pad.title", ":material/touch_app:", needs_models=True),
    Page(
        "latent_sliders",
        "pages/latent_sliders.py",
        "nav.sliders",
        "sliders.title",
        ":material/tune:",
        needs_models=True,
    ),
    Page(
        "interpolation",
        "pages/interpolation.py",
        "nav.interpolation",
        "interp.title",
        ":material/linear_scale:",
        needs_models=True,
    ),
    Page("ae_vs_vae", "pages/ae_vs_vae.py", "nav.compare", "compare.title", ":material/compare:", needs_models=True),
    Page("draw", "pages/draw.py", "nav.draw", "draw.title", ":material/draw:", needs_models=True),
    Page("beta", "pages/beta.py", "nav.beta", "beta.title", ":material/compress:", needs_models=False),
    Page("uses", "pages/uses.py", "nav.uses", "uses.title", ":material/lightbulb:", needs_models=False),
    Page(
        "generative",
        "pages/generative.py",
        "nav.generative",
        "generative.title",
        ":material/compare_arrows:",
        needs_models=False,
    ),
    Page("quiz", "pages/quiz.py", "nav.quiz", "quiz.title", ":material/quiz:", needs_models=False),
)
PAGE_BY_NAME: dict[str, Page] = {page.name: page for page in PAGES}
