"""Views of the members app, split by sub-domain:

- ``agencies``: the board's agency list and forms;
- ``accounts``: invitation links, password reset, the person's own profile;
- ``people``: the board adding, inviting and deactivating officials.
"""
