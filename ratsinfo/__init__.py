"""ratsinfo: public council information as a static portal."""

from pathlib import Path

# The checkout (or installed tree) that holds pelicanconf.py, theme/ and plugins/.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
