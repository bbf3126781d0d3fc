"""The Pages site: ``structure`` (pages, archive months and the search index, pure),
``render`` (its HTML through jinja2) and ``folder`` (the site folder, where only files the
site's own manifest lists are ever replaced or deleted)."""
