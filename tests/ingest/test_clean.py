"""Cleaning folds white space and drops site furniture, never a real paragraph."""

from assistant.ingest.clean import clean_text


def test_boilerplate_lines_are_dropped_and_paragraphs_kept():
    raw = (
        "Skip to content\nFirst   paragraph\u00a0line one\nline two.\n\n\n\nAdvertisement\n"
        "Second paragraph.\r\nShare this article\nSign up for our newsletter\n"
    )
    assert clean_text(raw) == "First paragraph line one line two.\n\nSecond paragraph."


def test_a_long_paragraph_that_starts_like_boilerplate_is_kept():
    paragraph = (
        "Copyright law was at the centre of the case, and the judge said the publisher had "
        "no claim over the photographs taken by the agency's staff during the protests."
    )
    assert clean_text(paragraph) == paragraph
