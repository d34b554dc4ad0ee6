"""The front end: the Textual app and the ``rehearse`` command line."""
