"""daily-papers: keep a README up to date with the newest arXiv papers for a list of keywords.

The package is split by boundary, and ruff's banned-API rule enforces it: requests lives in
``arxiv_client``, feedparser in ``feed_reader``, jinja2 in ``render`` and ``render_site``,
PyGithub in the GitHub adapter (``github_repo``, ``github_transport``, ``github_errors``), and
``os.environ``/``sys.exit`` only in ``__main__``.  ``app`` is the one orchestrator; it reads
and writes through a ``workspace`` and returns a ``result``.  Everything else is a pure core
that tests without a network.
"""

__version__ = "0.1.0"
