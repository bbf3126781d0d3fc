"""daily-papers: keep a README up to date with the newest arXiv papers for a list of keywords.

The package is split by boundary: each third-party library lives in exactly one module
(requests in ``arxiv_client``, feedparser in ``atom``, jinja2 in ``render``, PyGithub in
``github_repo``), and ``os.environ``/``sys.exit`` only in ``__main__``.  Everything else is a
pure core that tests without a network.
"""

__version__ = "0.1.0"
