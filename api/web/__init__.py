"""The web pages a reviewer reads: server-rendered HTML (Jinja2) over the library the API uses."""
