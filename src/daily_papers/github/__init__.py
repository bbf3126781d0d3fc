"""The GitHub adapter, the only PyGithub user: ``repo`` (files, commits, pull requests,
issues), ``transport`` (the HTTP session PyGithub runs on) and ``errors`` (GitHub's answers as
the project's errors, with the permission or setting to fix)."""
