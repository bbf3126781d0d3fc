"""Optional one-line summaries of the papers shown, by GitHub Models or any OpenAI-compatible
endpoint: ``protocol`` (what a request asks and what an answer means), ``summarize`` (which
papers, how many requests, what failed) and ``endpoint`` (the one bounded HTTP exchange).
"""
