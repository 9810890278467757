"""A gateway that is always down, for the retry test."""


def send(message: object) -> None:
    """Fail like an unreachable SMS/email gateway."""
    raise RuntimeError("gateway down")
