"""Made-up news articles for the load benchmark's upload level (bench/load.py): distinct
plain-text articles, each a title line, a date line and 5-8 sentences of invented facts
about a town's building project. Nothing is copied from anywhere.

Each fact has several wordings, so that two articles share few runs of five words: the
syndication check (MinHash over 5-word shingles, copies at 0.3) must keep every one of them
as an article of its own. Over 600 of them the highest estimated similarity is about 0.23.
"""

from __future__ import annotations

import random
from typing import NamedTuple

TOWNS = (
    "Lumen Bay", "Carrow Vale", "Pellridge", "Ostermoor", "Bramble Point", "Kestrel Bay",
    "Hollin Cross", "Marrowford", "Tansey Hill", "Drummel", "Westerloe", "Quarry End",
    "Saltmere", "Fennick", "Ravensholm", "Ashcombe Wells", "Corrin Harbour", "Elderby",
    "Galloway Mills", "Highcaster", "Inverlock", "Juniper Flats", "Larkspur", "Mossbank",
    "Northwick Sands", "Oakhollow", "Pinewater", "Redbrook", "Stonebridge Lea", "Thornwick",
    "Umberlin", "Valecrest", "Whitlow", "Yarrowdale", "Zennor Cove", "Brackenfield",
    "Cinderford Quay", "Dunmore Ridge", "Eastwold", "Foxley Green",
)  # fmt: skip
PROJECTS = (
    "floating solar farm", "ferry terminal", "district heating network", "cycle bridge",
    "public library", "flood barrier", "tram extension", "hospital wing", "desalination plant",
    "wind turbine cluster", "market hall", "rail depot", "science school", "harbour wall",
    "swimming pool",
)  # fmt: skip
MAX_ARTICLES = len(TOWNS) * len(PROJECTS)  # one article per town and project
VERBS = ("approves", "backs", "funds", "votes for", "signs off on", "greenlights")
FIRST = (
    "Petra", "Amal", "Jonas", "Ines", "Tomasz", "Keiko", "Rafael", "Oona", "Darius", "Mirela",
    "Samir", "Greta", "Lucien", "Wanjiru", "Bram", "Ysolde",
)  # fmt: skip
LAST = (
    "Olsen", "Haddad", "Brenner", "Castillo", "Nowak", "Tanaka", "Moreau", "Lindqvist",
    "Okafor", "Petrescu", "Varga", "Holm", "Dufresne", "Mwangi", "de Vries", "Quill",
)  # fmt: skip
ROLES = (
    "the mayor", "the council leader", "the town engineer", "the project director",
    "the finance officer",
)  # fmt: skip
COMPANIES = (
    "Harrow Civil", "Bluefin Works", "Norcast Engineering", "Tidewell Group", "Greystone Build",
    "Aldermoor Energy", "Copperline", "Weald & Sons",
)  # fmt: skip
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
CONCERNS = (
    "traffic would rise on the coast road", "the budget could still grow",
    "nesting birds would be disturbed", "rents near the site would climb",
    "the old quay would be lost", "the noise would reach the school",
)  # fmt: skip
DIRECTIONS = ("north", "south", "east", "west")
SENTENCES = (
    ("The {town} council agreed on {weekday} to go ahead with its {project}.",
     "Councillors in {town} gave the {project} their backing on {weekday}.",
     "On {weekday}, {town} said yes to a {project} after months of talks."),
    ("{role_cap} {person} said the plan had taken {years} years to agree.",
     "It took {years} years to reach a deal, according to {role} {person}.",
     "{person}, {role}, recalled {years} years of false starts."),
    ("Work is due to start in {month} and should last {months} months.",
     "Builders move in during {month}; the job is planned to take {months} months.",
     "A {months}-month build begins in {month}."),
    ("The {project} will cost about {money} million euros, {share} percent of it from the region.",
     "Its budget stands at {money} million euros, with {share} percent paid by the region.",
     "Regional grants cover {share} percent of a {money} million euro bill."),
    ("{company} won the contract ahead of {bidders} other bidders.",
     "{bidders} firms bid for the work, which went to {company}.",
     "The builder chosen is {company}, beating {bidders} rivals."),
    ("Supporters expect {jobs} new jobs and say {homes} households will benefit.",
     "Backers count on {jobs} jobs and on serving {homes} homes.",
     "About {homes} households stand to gain, and {jobs} posts should be created."),
    ("{person2}, who chairs a residents' group, warned that {concern}.",
     "Local campaigner {person2} fears {concern}.",
     "Not everyone agrees: {person2} said {concern}."),
    ("An earlier study in {year} had put the cost at {old_money} million euros.",
     "Back in {year}, planners estimated {old_money} million euros.",
     "A {year} report priced the scheme at {old_money} million euros."),
    ("Some {crowd} people came to a public meeting on the plan in {month2}.",
     "A {month2} hearing drew {crowd} residents.",
     "{crowd} people packed the town hall in {month2} to discuss it."),
    ("The site lies {km} kilometres {direction} of the town centre.",
     "It will stand {km} km to the {direction} of {town}.",
     "The chosen plot is {km} kilometres out, on the {direction} side."),
    ("Opponents handed in a petition with {signatures} signatures on {weekday}.",
     "A petition against it gathered {signatures} names.",
     "{signatures} people signed to stop the scheme."),
    ("Councillors voted {yes} to {no} in favour after a {hours}-hour debate.",
     "The vote was {yes} to {no}, after {hours} hours of debate.",
     "After a {hours}-hour session the motion passed {yes}-{no}."),
    ("The {project} should open to the public in {open_year}, {person} said.",
     "Opening is pencilled in for {open_year}.",
     "{person} expects the doors to open in {open_year}."),
    ("The {project} replaces a facility built in {old_year}.",
     "What stands there now dates from {old_year}.",
     "Its predecessor, from {old_year}, will be pulled down."),
    ("Engineers from {company} plan to use {material} for most of the structure.",
     "Most of it will be built from {material}.",
     "{material_cap} was picked as the main material."),
    ("The regional minister, {person3}, called it a model for other towns.",
     "{person3}, the regional minister, praised {town} for the decision.",
     "Praise came from regional minister {person3}."),
)  # fmt: skip
MATERIALS = ("timber", "recycled steel", "low-carbon concrete", "local granite", "brick")


def article_text(rng: random.Random, title: str, town: str, project: str) -> str:
    """A made-up plain-text news article: title line, date line, 5-8 sentences of facts."""
    material = rng.choice(MATERIALS)
    slots = {
        "town": town,
        "project": project,
        "person": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        "person2": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        "role": (role := rng.choice(ROLES)),
        "role_cap": role.capitalize(),
        "years": rng.randint(2, 19),
        "month": rng.choice(MONTHS),
        "month2": rng.choice(MONTHS),
        "months": rng.randint(6, 40),
        "money": f"{rng.randint(2, 480)}.{rng.randint(0, 9)}",
        "old_money": f"{rng.randint(1, 300)}.{rng.randint(0, 9)}",
        "share": rng.randint(10, 90),
        "company": rng.choice(COMPANIES),
        "bidders": rng.randint(2, 9),
        "jobs": rng.randint(12, 900),
        "homes": f"{rng.randint(1, 60)},{rng.randint(0, 999):03d}",
        "concern": rng.choice(CONCERNS),
        "year": rng.randint(2009, 2023),
        "crowd": rng.randint(40, 1500),
        "km": rng.randint(2, 35),
        "direction": rng.choice(DIRECTIONS),
        "signatures": f"{rng.randint(1, 19)},{rng.randint(0, 999):03d}",
        "weekday": rng.choice(WEEKDAYS),
        "yes": rng.randint(9, 30),
        "no": rng.randint(1, 8),
        "hours": rng.randint(2, 9),
        "open_year": rng.randint(2025, 2031),
        "old_year": rng.randint(1890, 1985),
        "person3": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        "material": material,
        "material_cap": material.capitalize(),
    }
    lead, *others = SENTENCES
    chosen = [lead, *rng.sample(others, rng.randint(4, 7))]
    body = " ".join(rng.choice(wordings).format(**slots) for wordings in chosen)
    published = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return f"{title}\n{published}\n\n{body}\n"


class MadeUpArticle(NamedTuple):
    file_name: str
    title: str
    text: str


def generated_articles(count: int, seed: int = 14) -> list[MadeUpArticle]:
    """`count` distinct made-up articles, the same for the same seed; titles are unique."""
    pairs = [(town, project) for town in TOWNS for project in PROJECTS]
    if count > MAX_ARTICLES:
        raise ValueError(f"at most {MAX_ARTICLES} generated articles, asked for {count}")
    rng = random.Random(seed)
    articles = []
    for number, (town, project) in enumerate(rng.sample(pairs, count), start=1):
        title = f"{town} {rng.choice(VERBS)} {project}"
        name = f"load-{number:03d}-{title.lower().replace(' ', '-')}.txt"
        articles.append(MadeUpArticle(name, title, article_text(rng, title, town, project)))
    return articles
