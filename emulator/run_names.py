"""Generated run display names in W&B's style: ``adjective-noun-N`` (``"quiet-river-7"``).

W&B names every run created without a display name on the server, ``N`` counting the
project's runs. The emulator does the same with these words, which the seeded fake data
uses too, so generated and seeded names look alike.
"""

from __future__ import annotations

from random import Random

# fmt: off
ADJECTIVES = (
    "absurd", "amber", "ancient", "astral", "azure", "balmy", "bright", "brisk",
    "celestial", "charmed", "cosmic", "crimson", "dainty", "dashing", "dauntless", "deep",
    "denim", "desert", "dulcet", "earthy", "eager", "electric", "elegant", "fancy",
    "fearless", "fiery", "floral", "fluent", "fragrant", "frosty", "gallant", "gentle",
    "giddy", "glad", "glorious", "golden", "graceful", "hardy", "hopeful", "icy",
    "jolly", "lilac", "lively", "lucky", "lunar", "magic", "misty", "morning",
    "northern", "olive", "polar", "proud", "quiet", "radiant", "restful", "robust",
    "rosy", "royal", "ruby", "sage", "scarlet", "serene", "sleek", "smooth",
    "snowy", "solar", "splendid", "stellar", "stoic", "summer", "sunny", "swift",
    "twilight", "upbeat", "valiant", "vibrant", "vivid", "volcanic", "wandering", "warm",
    "wild", "winter", "wise", "woven", "zesty",
)
NOUNS = (
    "aardvark", "bird", "blaze", "breeze", "brook", "butterfly", "cherry", "cloud",
    "comet", "cosmos", "dawn", "deluge", "dew", "dragon", "dream", "dust",
    "eon", "field", "fire", "firebrand", "firefly", "flower", "fog", "forest",
    "frost", "galaxy", "glade", "glitter", "grass", "haze", "hill", "jazz",
    "lake", "leaf", "meadow", "moon", "mountain", "night", "oath", "ocean",
    "pine", "planet", "plasma", "pond", "rain", "resonance", "river", "sea",
    "serenity", "shadow", "silence", "sky", "smoke", "snow", "snowflake", "sound",
    "spaceship", "spirit", "star", "sun", "sunset", "surf", "terrain", "thunder",
    "totem", "tree", "universe", "valley", "vortex", "water", "wave", "wildflower",
    "wind", "wood",
)
# fmt: on


def run_name(rnd: Random, number: int) -> str:
    """``adjective-noun-number`` with both words drawn from ``rnd``."""
    return f"{rnd.choice(ADJECTIVES)}-{rnd.choice(NOUNS)}-{number}"


def generated_name(project_key: str, number: int) -> str:
    """The name of the ``number``-th run of a project: the same for the same project key
    and number in every process (a string seed is hashed with SHA-512, not ``hash()``)."""
    return run_name(Random(f"{project_key}#{number}"), number)
