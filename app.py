"""Entry point for `make run`: settings -> index (sample articles on first start) -> UI."""

from assistant import offline

offline.enforce()

from assistant.chat.serve import serve  # noqa: E402
from assistant.settings import load_settings  # noqa: E402


def main() -> None:
    serve(load_settings())


if __name__ == "__main__":
    main()
