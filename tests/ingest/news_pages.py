"""Six article pages in the shapes real news sites use (written for these tests): metadata in
Open Graph tags, JSON-LD, <time> elements, Dublin Core tags or only in the byline text, and
the furniture around them (menus, cookie banners, share bars, newsletter boxes, related
links, comments, footers) that must not reach the index."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NewsPage:
    path: str
    html: str
    title: str
    outlet: str
    date: str  # YYYY-MM-DD
    body: tuple[str, ...]  # sentences that must be in the indexed text
    furniture: tuple[str, ...]  # lines that must not


COOKIE = (
    '<div id="consent" class="cookie-banner"><p>We use cookies to personalise content and '
    "ads.</p><button>Accept all cookies</button><button>Manage preferences</button></div>"
)
NAV = (
    '<header><a class="logo" href="/">Home</a><nav><ul><li><a href="/world">World</a></li>'
    '<li><a href="/business">Business</a></li><li><a href="/science">Science</a></li>'
    '<li><a href="/opinion">Opinion</a></li></ul></nav><a href="/subscribe">Subscribe</a>'
    "</header>"
)


def _page(head: str, body: str) -> str:
    start = "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
    return f"{start}{head}</head><body>{body}</body></html>"


OPEN_GRAPH = NewsPage(
    path="/2024/04/17/river-council-flood-barrier",
    html=_page(
        "<title>Council approves flood barrier for River Ashby | The Ashby Standard</title>"
        '<meta property="og:title" content="Council approves flood barrier for River Ashby">'
        '<meta property="og:site_name" content="The Ashby Standard">'
        '<meta property="article:published_time" content="2024-04-17T08:15:00+01:00">'
        '<meta name="author" content="Priya Natarajan">',
        COOKIE + NAV + "<main><article><h1>Council approves flood barrier for River Ashby</h1>"
        '<p class="byline">By Priya Natarajan</p>'
        "<p>Ashby council voted on Tuesday to build a removable flood barrier along the "
        "River Ashby, two winters after floods reached more than 300 homes in the town "
        "centre.</p>"
        "<p>The barrier will cost 14.2 million pounds, most of it paid by a national flood "
        "defence grant, and is due to be finished by the autumn of 2026.</p>"
        "<p>Councillors who opposed the plan said the money would be better spent on "
        "upstream wetlands that slow the water before it reaches the town.</p>"
        "<p>Engineers told the meeting that steel panels will be stored near the bridge "
        "and bolted into place whenever the river is forecast to rise.</p></article>"
        '<aside class="related"><h2>Related stories</h2><ul><li><a href="/a">Storm '
        'clean-up costs rise</a></li><li><a href="/b">Ferry timetable changes</a></li>'
        "</ul></aside></main>"
        "<footer><p>Copyright © 2024 The Ashby Standard. All rights reserved.</p>"
        '<p><a href="/privacy">Privacy policy</a> | <a href="/terms">Terms of use</a></p>'
        "</footer>",
    ),
    title="Council approves flood barrier for River Ashby",
    outlet="The Ashby Standard",
    date="2024-04-17",
    body=(
        "The barrier will cost 14.2 million pounds",
        "upstream wetlands that slow the water",
    ),
    furniture=(
        "We use cookies",
        "Accept all cookies",
        "Related stories",
        "Storm clean-up costs rise",
        "All rights reserved",
        "Privacy policy",
    ),
)

JSON_LD = NewsPage(
    path="/politics/port-vale-mayor-election",
    html=_page(
        "<title>Port Vale elects first independent mayor</title>"
        '<script type="application/ld+json">{"@context": "https://schema.org", '
        '"@type": "NewsArticle", "headline": "Port Vale elects first independent mayor", '
        '"datePublished": "2024-05-03T21:40:00Z", "dateModified": "2024-05-04T09:00:00Z", '
        '"author": {"@type": "Person", "name": "Tomasz Wren"}, '
        '"publisher": {"@type": "Organization", "name": "Vale Evening Post"}}</script>',
        NAV + '<div class="article-body"><h1>Port Vale elects first independent mayor</h1>'
        '<div class="share"><a href="#">Share on Facebook</a> <a href="#">Share on X</a> '
        '<a href="#">Email this article</a></div>'
        "<p>Voters in Port Vale elected Carla Odum as mayor on Thursday, the first time "
        "the town has chosen a candidate from outside the two main parties.</p>"
        "<p>Odum won 41 percent of first-preference votes on a turnout of 36 percent, "
        "ahead of the sitting mayor, who had held the post for eight years.</p>"
        "<p>She campaigned on reopening the town's closed swimming baths and on a cap "
        "on parking charges in the market square.</p>"
        "<p>Counting took longer than expected after a ballot box from the harbour ward "
        "was delivered to the wrong hall.</p></div>"
        '<div class="newsletter"><h3>Sign up for our politics newsletter</h3><p>Get the '
        "week's council news in your inbox every Friday.</p><form><input "
        'type="email"><button>Sign up</button></form></div>',
    ),
    title="Port Vale elects first independent mayor",
    outlet="Vale Evening Post",
    date="2024-05-03",
    body=(
        "Odum won 41 percent of first-preference votes",
        "reopening the town's closed swimming baths",
    ),
    furniture=(
        "Share on Facebook",
        "Email this article",
        "Sign up for our politics newsletter",
        "in your inbox every Friday",
        "Opinion",
    ),
)

TEXT_DATE = NewsPage(
    path="/culture/lantern-festival-returns",
    html=_page(
        "<title>Lantern festival returns to Millbrook after five years - Millbrook "
        "Gazette</title>"
        '<meta property="og:site_name" content="Millbrook Gazette">',
        COOKIE + NAV + "<article><h1>Lantern festival returns to Millbrook after five years</h1>"
        '<p class="meta">By Owen Pryce | Published 14 March 2024</p>'
        "<p>Millbrook's lantern festival will return this summer for the first time in "
        "five years, organisers said, after a local brewery agreed to cover the cost of "
        "insurance.</p>"
        "<p>The parade of paper lanterns along the canal drew about 8,000 people in its "
        "last year and was cancelled when insurance premiums tripled.</p>"
        "<p>Schools in the town will run lantern-making workshops in June, and the parade "
        "is planned for the last Saturday of July.</p></article>"
        '<div class="comments"><h3>12 comments</h3><div class="comment"><b>riverwatcher'
        '</b><p>About time, my kids have never seen it!</p></div><div class="comment">'
        "<b>canalside_jo</b><p>Who is paying for the clean-up afterwards?</p></div></div>"
        "<footer>© 2024 Millbrook Gazette</footer>",
    ),
    title="Lantern festival returns to Millbrook after five years",
    outlet="Millbrook Gazette",
    date="2024-03-14",
    body=(
        "drew about 8,000 people in its last year",
        "lantern-making workshops in June",
    ),
    furniture=(
        "About time, my kids have never seen it!",
        "Who is paying for the clean-up afterwards?",
        "12 comments",
        "Manage preferences",
        "© 2024 Millbrook Gazette",
    ),
)

TIME_ELEMENT = NewsPage(
    path="/business/budget-rail-fares",
    html=_page(
        "<title>Rail fares frozen in regional budget | Northern Ledger</title>"
        '<meta property="og:site_name" content="Northern Ledger">'
        '<meta property="og:title" content="Rail fares frozen in regional budget">',
        NAV + '<div class="paywall-prompt"><p>You have read 3 of 5 free articles this month.'
        ' <a href="/subscribe">Subscribe now</a></p></div>'
        "<article><header><h1>Rail fares frozen in regional budget</h1><time "
        'datetime="2024-01-09T12:00:00Z">9 January 2024</time></header>'
        "<p>Regional rail fares will stay at their current level until March 2025 under "
        "the budget presented on Tuesday, the finance committee said.</p>"
        "<p>The freeze will cost 62 million in lost ticket revenue, which the region "
        "plans to cover with a higher levy on airport parking.</p>"
        "<p>Commuter groups welcomed the decision but said trains on the coastal line "
        "were still too crowded at peak times.</p></article>"
        '<aside class="most-read"><h2>Most read</h2><ol><li>House prices fall for a third '
        "month</li><li>New bridge opening delayed</li><li>Local team wins cup</li></ol>"
        "</aside>",
    ),
    title="Rail fares frozen in regional budget",
    outlet="Northern Ledger",
    date="2024-01-09",
    body=(
        "The freeze will cost 62 million in lost ticket revenue",
        "trains on the coastal line were still too crowded",
    ),
    furniture=(
        "You have read 3 of 5 free articles",
        "Subscribe now",
        "Most read",
        "House prices fall for a third month",
        "New bridge opening delayed",
    ),
)

ITEMPROP = NewsPage(
    path="/environment/wildfire-containment",
    html=_page(
        "<title>Crews contain Pine Ridge wildfire after nine days</title>"
        '<meta property="og:site_name" content="Sierra Daily Record">'
        '<meta itemprop="datePublished" content="2024-08-22">',
        '<nav class="breadcrumb"><a href="/">Home</a> › <a href="/environment">'
        "Environment</a> › <span>Wildfires</span></nav>"
        '<article itemscope itemtype="https://schema.org/NewsArticle">'
        '<h1 itemprop="headline">Crews contain Pine Ridge wildfire after nine days</h1>'
        '<span itemprop="author">Lena Ortiz</span>'
        "<p>Firefighters have fully contained the Pine Ridge wildfire, which burned about "
        "4,300 hectares of forest over nine days, the state forestry service said on "
        "Thursday.</p>"
        '<div class="ad-slot">Advertisement</div>'
        "<p>Evacuation orders for the villages of Cold Spring and Alder Flat were lifted, "
        "and residents were allowed home on Thursday afternoon.</p>"
        "<p>Investigators believe the fire was started by a spark from a power line "
        "during strong winds, but said their report would take several weeks.</p>"
        "</article>"
        "<footer><p>Sierra Daily Record · Contact us · Advertise with us</p></footer>",
    ),
    title="Crews contain Pine Ridge wildfire after nine days",
    outlet="Sierra Daily Record",
    date="2024-08-22",
    body=(
        "burned about 4,300 hectares of forest over nine days",
        "Evacuation orders for the villages of Cold Spring and Alder Flat were lifted",
    ),
    furniture=("Advertisement", "Advertise with us", "Contact us", "Wildfires"),
)

DUBLIN_CORE = NewsPage(
    path="/wire/rotterdam-port-strike",
    html=_page(
        "<title>Dock workers end strike at Rotterdam container terminals</title>"
        '<meta name="DC.date.issued" content="2024-10-02">'
        '<meta property="og:site_name" content="Harbourline News">'
        '<meta name="author" content="Compass Wire staff">',
        COOKIE
        + NAV
        + '<div id="story"><h1>Dock workers end strike at Rotterdam container terminals'
        "</h1>"
        "<p>ROTTERDAM (Compass Wire) - Dock workers at Rotterdam's two largest container "
        "terminals returned to work on Wednesday after a 48-hour strike over night-shift "
        "pay ended with a new agreement.</p>"
        "<p>The agreement raises night-shift pay by 6 percent from January and adds a "
        "second rest break on shifts longer than ten hours, the union said.</p>"
        "<p>About 40 ships had been waiting at anchor off the coast, and terminal "
        "operators said it would take a week to clear the backlog.</p></div>"
        '<div class="tags">Tags: <a href="#">Shipping</a> <a href="#">Netherlands</a> '
        '<a href="#">Labour</a></div>'
        "<footer>Harbourline News. Follow us on social media.</footer>",
    ),
    title="Dock workers end strike at Rotterdam container terminals",
    outlet="Harbourline News",
    date="2024-10-02",
    body=(
        "raises night-shift pay by 6 percent from January",
        "About 40 ships had been waiting at anchor",
    ),
    furniture=("Tags:", "Follow us on social media", "We use cookies", "Accept all cookies"),
)

PAGES = (OPEN_GRAPH, JSON_LD, TEXT_DATE, TIME_ELEMENT, ITEMPROP, DUBLIN_CORE)
