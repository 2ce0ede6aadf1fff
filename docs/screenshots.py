"""Take the README screenshots from a running newsqa server with Debian's Chromium.

.venv/bin/newsqa serve &            # then
.venv/bin/python docs/screenshots.py --url http://127.0.0.1:7860
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

# Without the background-networking flags Chromium keeps dialling out on a closed network.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
OUT = Path(__file__).resolve().parent / "images"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:7860")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        page.goto(args.url)
        for question in ("Who is joining BRICS?",
                         "How many North Korean troops have been sent to Russia?"):  # fmt: skip
            page.locator("#question textarea").fill(question)
            page.locator("#ask").click()
            expect(page.locator("#sources")).to_contain_text(question.split()[-1].rstrip("?"),
                                                             timeout=60_000)  # fmt: skip
        expect(page.locator("#sources .conflict")).to_be_visible(timeout=60_000)
        page.screenshot(path=str(OUT / "chat.png"), full_page=True)
        page.get_by_role("tab", name="Library").click()
        expect(page.locator("#library")).to_be_visible()
        page.screenshot(path=str(OUT / "library.png"), full_page=True)
        browser.close()
    print(f"wrote {OUT / 'chat.png'} and {OUT / 'library.png'}")


if __name__ == "__main__":
    main()
