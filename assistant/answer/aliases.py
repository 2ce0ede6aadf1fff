"""Other names news uses for one thing: a people and its country ("Americans", "the US"), a
body and its members' title ("MEPs", "the European Parliament"). The key-term check
(extractive.key_coverage) holds a question's name when its source uses another name of the
group; the "how many" check (conflicts.measures) takes a figure of "soldiers" for one of
"troops" (pure).

Only names that share no word form are listed: `text.same_word` already matches "Korean"
with "Korea", "Argentine" with "Argentina" and "European" with "Europe". Words are compared
lower case, so "us" the pronoun reads as the US: a source quoting someone who says "us"
holds "Americans" (the check can then pass where it should not, never refuse wrongly).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from assistant.text import Vocabulary, stem, terms

GROUPS: tuple[tuple[str, ...], ...] = (
    ("us", "usa", "america", "american", "united states"),
    ("uk", "britain", "british", "briton", "united kingdom"),
    ("china", "chinese"),
    ("france", "french"),
    ("netherlands", "dutch", "holland"),
    ("switzerland", "swiss"),
    ("greece", "greek"),
    ("turkey", "turkish", "türkiye"),
    ("thailand", "thai"),
    ("philippines", "philippine", "filipino"),
    ("spain", "spanish"),
    ("denmark", "danish"),
    ("sweden", "swedish"),
    ("finland", "finnish"),
    ("ireland", "irish"),
    ("scotland", "scottish"),
    ("wales", "welsh"),
    ("england", "english"),
    ("iceland", "icelandic"),
    ("afghanistan", "afghan"),
    ("portugal", "portuguese"),
    ("norway", "norwegian"),
    ("belgium", "belgian"),
    ("lebanon", "lebanese"),
    ("uae", "emirati", "united arab emirates"),
    ("mep", "european parliament"),
    ("eu", "european union"),
    ("gop", "republican"),
)

# each one-word name (by its stem, so "Americans" finds "american") and its group's names
_BY_STEM: dict[str, tuple[tuple[str, ...], ...]] = {}
for _group in GROUPS:
    for _name in _group:
        if " " not in _name:
            _BY_STEM[stem(_name)] = tuple(tuple(terms(n)) for n in _group if n != _name)


def aliased(wanted: Sequence[str], held: Iterable[str]) -> list[str]:
    """The terms of `wanted` that `held` (a source's terms) holds under another name of
    their group: "americans" when the source says "US" or "United States"."""
    others = {term: _BY_STEM.get(stem(term), ()) for term in wanted}
    if not any(others.values()):
        return []  # the usual case: no name of the question has another
    vocabulary = Vocabulary(held)
    return [
        term
        for term, names in others.items()
        if any(all(word in vocabulary for word in other) for other in names)
    ]


# Nouns news uses for one counted thing: "how many troops" is answered by "10,000 soldiers".
# A figure counts what the question counts when a noun of the same group names it.
COUNTED_GROUPS: tuple[tuple[str, ...], ...] = (
    ("troops", "soldiers", "forces", "servicemen", "personnel", "fighters"),
    ("employees", "workers", "staff", "staffers", "jobs"),
    ("people", "persons", "individuals", "residents", "civilians"),
    ("children", "kids", "minors"),
    ("cars", "vehicles"),
)
_COUNTED_BY_STEM: dict[str, tuple[str, ...]] = {}
for _group in COUNTED_GROUPS:
    for _name in _group:
        _COUNTED_BY_STEM[stem(_name)] = tuple(n for n in _group if n != _name)


def counted_as(noun: str) -> tuple[str, ...]:
    """The other nouns news counts the thing `noun` names by ("soldiers" for "troops")."""
    return _COUNTED_BY_STEM.get(stem(noun), ())
