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

#: Longest search-index word, in characters: a longer word is indexed (and searched) by its
#: first this many.  Real words stay far below (the longest in the recorded papers has 21);
#: it bounds what one hostile word costs the index and its shard names.
MAX_TOKEN_LENGTH = 64
