"""daily-papers: keep a README up to date with the newest arXiv papers for a list of keywords.

The package is split by boundary, and ruff's banned-API rule enforces it: requests lives in
``arxiv.exchange``, feedparser in ``arxiv.api_page``, jinja2 in ``render`` and ``site.render``,
PyGithub in the ``github`` package, and ``os.environ``/``sys.exit`` only at the entry point
(``cli``, ``__main__``).  ``options`` is the one option table the parser, the action inputs and
the settings are generated from; ``app`` is the one orchestrator: it reads and writes through a
``workspace`` and returns a ``result``.  The packages: ``arxiv`` (exchange, answers, the polite
client, the two readers), ``query`` (the search string and arXiv's meaning, matched locally),
``sources`` (which topics the announcement feeds answer), ``github`` (the adapter) and ``site``
(the Pages site).  Everything else is a pure core that tests without a network; CONTRIBUTING.md
has the full map.
"""

__version__ = "0.1.0"
