from utils.dates import overlap  # noqa: F401
