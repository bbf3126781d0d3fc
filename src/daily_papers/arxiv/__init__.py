"""Everything that talks to arXiv or reads what it sends.

Module map (a request flows down the first three):

* :mod:`~daily_papers.arxiv.client` — the polite client: request spacing, retries with
  backoff, the run's time budget, and the three calls (``search``, ``papers_by_id``,
  ``announcement``).
* :mod:`~daily_papers.arxiv.answers` — what an answer means: a page, a feed, arXiv's error
  feed, throttling or garbage, and the error that ends a request.
* :mod:`~daily_papers.arxiv.exchange` — one bounded HTTP exchange on the injected clock
  (deadline watchdog, watched connection pools, capped gzip read); the only module that
  imports requests.
* :mod:`~daily_papers.arxiv.api_page` — the API's Atom page parser (feedparser).
* :mod:`~daily_papers.arxiv.announcement_feed` — the rss.arxiv.org announcement feed parser.
* :mod:`~daily_papers.arxiv.ids` — arXiv identifiers and versions.
* :mod:`~daily_papers.arxiv.taxonomy` — archives and categories.
"""
