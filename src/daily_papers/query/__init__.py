"""The topic query language: the ``search_query`` string arXiv is sent (``build``), the
meaning arXiv gives it evaluated on papers in hand (``match``), and the Porter ``stemmer`` the
matcher shares with arXiv's English analyser."""
