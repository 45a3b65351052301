"""Files the runner leaves for people to open."""

import os


def give_default_mode(path: str) -> None:
    """Gives a file made by ``tempfile.mkstemp`` (always 0600) the mode a
    plain ``open`` would have given it (0666 less the umask), so an executed
    notebook is as readable as the step's log beside it."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)
