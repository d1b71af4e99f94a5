"""``audit serve``: an inspector's workspace in the browser over the audit store.

`uploads` saves uploaded files and unpacks zips safely, `jobs` audits a batch in the
background with the same pipeline, store and renderers as the CLI, `listing` filters the
store's reports, `app` is the Starlette application (CSRF, token, Chinese error pages).
"""
