"""Read a file's bytes as text: size cap, binary detection, encoding detection."""

from __future__ import annotations

from pathlib import Path

from assistant.errors import SourceError

# Legacy encodings in the order they are met on news sites, for tie-breaking detection.
_COMMON_ENCODINGS = (
    "cp1252",
    "latin_1",
    "iso8859_15",
    "cp1250",
    "cp1251",
    "koi8_r",
    "cp932",
    "gb18030",
    "euc_kr",
    "big5",
    "iso8859_7",
    "cp1256",
    "cp1253",
)
# Bytes that never appear in text files; a NUL or many control bytes mean binary.
_CONTROL = bytes(range(0, 9)) + bytes(range(14, 32))


def read_bytes(path: Path, max_mb: float) -> bytes:
    """The file's bytes, or SourceError when missing, not a file, empty or too large."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise SourceError(str(path), "no such file or directory") from None
    except OSError as exc:
        raise SourceError(str(path), f"cannot read: {exc.strerror or exc}") from None
    if not path.is_file():
        raise SourceError(str(path), "not a regular file")
    if size == 0:
        raise SourceError(str(path), "file is empty")
    if size > max_mb * 1024 * 1024:
        raise SourceError(
            str(path),
            f"file is {size / 1024 / 1024:.1f} MB, over the {max_mb:g} MB limit "
            "(NEWSQA_INGEST__MAX_FILE_MB)",
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SourceError(str(path), f"cannot read: {exc.strerror or exc}") from None


def looks_binary(data: bytes) -> bool:
    """True for data that is not text in any common encoding."""
    sample = data[:8192]
    if b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    controls = sum(sample.count(bytes([b])) for b in _CONTROL)
    return controls > len(sample) * 0.05


def decode_text(data: bytes, source: str) -> str:
    """Decode bytes to str: UTF-8 (with or without BOM) first, else the detected encoding."""
    if looks_binary(data):
        raise SourceError(source, "binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        raise SourceError(source, "cannot detect the text encoding")
    # Short texts fit several code pages equally well; among the cleanest decodings,
    # take the one news sites actually use rather than the detector's first pick.
    cleanest = min(m.chaos for m in matches)
    tied = [m for m in matches if m.chaos <= cleanest + 0.01]
    for preferred in _COMMON_ENCODINGS:
        for match in tied:
            if preferred in match.could_be_from_charset:
                return data.decode(preferred)
    return str(tied[0])


def read_text(path: Path, max_mb: float) -> str:
    return decode_text(read_bytes(path, max_mb), str(path))
