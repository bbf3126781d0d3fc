"""Every default and every limit, defined once.

The CLI's help, the settings, the action's inputs table (``action.yml`` repeats a default only
where a test asserts it equals the value here) and the modules that enforce a limit all read
them from this module, so a default cannot differ between the command line and the action.
"""

from __future__ import annotations

#: Papers kept per topic unless the topic or ``--max-count`` says otherwise.
MAX_COUNT = 100
#: Most papers per topic, and most per arXiv API request (the manual's per-call limit).
MAX_COUNT_LIMIT = 2000
#: Papers ``daily-papers search`` prints.
SEARCH_COUNT = 10
#: Entries in the Atom feed.
FEED_COUNT = 100

README_PATH = "README.md"
MARKER = "daily-papers"
TEMPLATE = "default"

#: arXiv's API endpoint; ``http://`` only redirects here.
ARXIV_API_URL = "https://export.arxiv.org/api/query"
#: Environment variable that overrides the API endpoint (mirrors, loopback fakes).
ARXIV_API_URL_ENV = "DAILY_PAPERS_ARXIV_URL"
#: Seconds between the starts of two arXiv requests: arXiv's terms of use.
ARXIV_DELAY = 3.0
#: Papers per API request.
ARXIV_PAGE_SIZE = 100
#: Ids per ``id_list`` request: the API's per-call limit, so a day's papers take one or two
#: requests.  A 2000-entry answer is about 4.6 MB (2,305 bytes per recorded entry, 3,299 at
#: most), well inside the client's body cap; its form body of ids is about 24 KB.
ARXIV_ID_BATCH = MAX_COUNT_LIMIT
#: Days a library id arXiv knew no paper for waits before it is asked again: not every run
#: (one request each), yet not never (an id may be listed before arXiv announces it).
LIBRARY_RETRY_DAYS = 7
#: Where topics' papers come from: ``auto`` (announcement feeds, API backfill), ``rss``, ``api``.
ARXIV_SOURCE = "auto"
#: arXiv's announcement feeds; a group of archives is appended (``…/rss/cs+stat``).
ARXIV_RSS_URL = "https://rss.arxiv.org/rss"
#: Environment variable that overrides the feeds' address (an empty value means the default).
ARXIV_RSS_URL_ENV = "DAILY_PAPERS_ARXIV_RSS_URL"

GITHUB_API_URL = "https://api.github.com"
GITHUB_API_URL_ENV = "GITHUB_API_URL"
TOKEN_ENV = "GITHUB_TOKEN"
COMMIT_MESSAGE = "Update daily papers"
PR_TITLE = "Update daily papers"
PR_BRANCH = "daily-papers/update"
ISSUE_TITLE = "New papers — {date}"

#: Environment variable with the notification channel URLs, one a line (the action's `notify`).
NOTIFY_ENV = "DAILY_PAPERS_NOTIFY"
#: When channels hear of a run: ``new`` papers only, ``always``, or new papers and ``failure``.
NOTIFY_ON = "new"
#: ``short`` (counts, the top titles, "+N more") or ``full`` (every paper that fits).
NOTIFY_FORMAT = "short"
#: Papers a short message lists before "+N more".
NOTIFY_SHORT_PAPERS = 10
#: Seconds one channel request may take (connect and read, each).
NOTIFY_TIMEOUT = 15.0
#: Seconds before the one retry after a transport error.
NOTIFY_RETRY_PAUSE = 2.0

#: GitHub's limit for an issue or pull-request body, in characters (counted as UTF-16 units).
BODY_LIMIT = 65_536
#: github.com stops rendering a README after this many bytes.
README_RENDER_LIMIT = 512_000
#: The largest README a run writes unless ``--readme-max-bytes`` says otherwise: under
#: :data:`README_RENDER_LIMIT` with room for text a user adds by hand between two runs.
README_MAX_BYTES = 500_000

#: Longest search-index word, in characters: a longer word is indexed (and searched) by its
#: first this many.  Real words stay far below (the longest in the recorded papers has 21);
#: it bounds what one hostile word costs the index and its shard names.
MAX_TOKEN_LENGTH = 64

#: Longest run of remote bytes without a space, tag bracket or line break that the feed parser
#: sees; a longer run is cut to this.  feedparser's author regex is quadratic in such a run (a
#: 64,000-letter name took 20 s), and no recorded arXiv answer has a run of even 200 bytes.
MAX_REMOTE_RUN = 300
#: Longest text field a paper keeps (title, abstract, comment, journal reference, DOI), in
#: characters; the rest is dropped where the paper is made, whatever its source.  The recorded
#: answers' longest field has 1,979; the cap bounds what one hostile field costs every later
#: step (matcher, site index, writers).
MAX_FIELD_CHARS = 20_000
#: Most authors a paper keeps (the first ones); also the most ``<author>`` elements of one
#: API entry the feed parser sees.  The longest real lists (collaborations) have a few thousand.
MAX_AUTHORS = 10_000
#: Longest author name a paper keeps, in characters (the recorded longest has 31).
MAX_AUTHOR_CHARS = 500
#: Most categories a paper keeps (the first ones; the recorded most is 6), and the most
#: ``<category>`` elements of one API entry or feed item the feed parser sees (feedparser is
#: quadratic in them).
MAX_CATEGORIES = 100
#: Days a feed's announcement date may lie ahead of the run's date (arXiv's midnight in its
#: own zone is already the next day for part of the world); a later date is refused.
FEED_DATE_LEAD_DAYS = 1
#: Who writes the one-line summaries: nobody (``off``), GitHub Models, or an OpenAI-compatible
#: endpoint given by ``--summarize-url``.
SUMMARIZE = "off"
SUMMARIZE_PROVIDERS: tuple[str, ...] = ("off", "github-models", "openai")
#: GitHub Models' OpenAI-compatible inference endpoint (``/chat/completions`` is appended).
GITHUB_MODELS_URL = "https://models.github.ai/inference"
#: The model each provider uses unless ``--summarize-model`` names another: a small one, so
#: that its free-tier quota is the larger one.
SUMMARIZE_MODELS: dict[str, str] = {"github-models": "openai/gpt-4o-mini", "openai": "gpt-4o-mini"}
SUMMARIZE_LANGUAGE = "English"
#: Environment variable holding the endpoint's key (the ``summarize-key`` input sets it).
SUMMARIZE_KEY_ENV = "DAILY_PAPERS_SUMMARIZE_KEY"
#: Requests per run: GitHub Models' free tier allows about 150 a day for small models, so a
#: daily run (plus a retry or two) stays well inside it.
SUMMARIZE_MAX_REQUESTS = 20
#: Seconds all summarising may take in one run; what is left waits for the next run.
SUMMARIZE_SECONDS = 120.0
#: Seconds one summarising request may take (also bounded by what is left of the budget).
SUMMARIZE_REQUEST_SECONDS = 60.0
#: Input tokens one request may carry: GitHub Models' free-tier limit for small models.
SUMMARIZE_INPUT_TOKENS = 8000
#: Most abstracts in one request: beyond this a small model starts to skip items.
SUMMARIZE_BATCH = 20
#: Longest summary kept, in characters; a longer one is cut at a word.
SUMMARY_MAX_CHARS = 280
#: Largest answer read from a summarising endpoint, in bytes.
SUMMARIZE_MAX_BODY = 1024 * 1024

# --- ranking against a library ---
#: How a topic's papers are ordered: ``date`` (newest first) or ``relevance`` (against the
#: library, best first).
SORTS: tuple[str, ...] = ("date", "relevance")
SORT = "date"
#: Papers in the "For you" section; 0 turns it off.
FOR_YOU_COUNT = 0
#: Shared terms a "For you" row names in its why.
WHY_TERMS_SHOWN = 3
