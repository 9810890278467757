"""Template tags of the first-question app."""
