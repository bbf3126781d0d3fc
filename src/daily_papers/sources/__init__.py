"""Where a topic's papers come from: ``routing`` decides which topics the day's announcement
feeds answer (the rest go to the API) and ``announcements`` holds the feed policy (which
archives a topic needs, feed groups, when a feed is stale)."""
