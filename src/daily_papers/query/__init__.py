"""The topic query language, read once by every part that needs it.

``syntax`` holds the field table and the tokens (with their places in the query), ``tree``
rewrites and parses them as arXiv does; then ``build`` writes the ``search_query`` arXiv is
sent, ``scope`` says which archives' feeds can answer it, and ``match`` evaluates the tree on
papers in hand, reading text as arXiv's index does (``analysis``, ``authors``, ``stemmer``)."""
