"""Vocabularies of the fictional town Muldenau: places, people, bodies.

Everything here is invented for the demo. Common German first and family names
are used so that the persons look ordinary; no list of real council members,
streets or parties was copied. Muldenau is shaped like a Große Kreisstadt in
Saxony (Zwickau): a Stadtrat, five Ausschüsse and Ortschaftsräte for the
villages incorporated in the 1990s.
"""

from __future__ import annotations

TOWN = "Muldenau"
TOWN_FULL = "Große Kreisstadt Muldenau"
POSTAL_CODE = "08071"
# Saxony (14), Landkreis Zwickau (524), a municipality number no real town uses.
AGS = "14524999"
# A Berlin block the Bundesnetzagentur keeps for films and fiction: no one answers.
PHONE_PREFIX = "+49 30 23125"

FEMALE_GIVEN_NAMES = (
    "Anja", "Antje", "Birgit", "Claudia", "Doreen", "Franziska", "Heike", "Ines",
    "Juliane", "Kathrin", "Katja", "Kerstin", "Manuela", "Nicole", "Petra", "Sabine",
    "Sandra", "Simone", "Stefanie", "Susanne", "Ulrike", "Yvonne",
)
MALE_GIVEN_NAMES = (
    "Andreas", "Christian", "Daniel", "Frank", "Heiko", "Jens", "Jörg", "Lars",
    "Marco", "Martin", "Matthias", "Michael", "Ralf", "René", "Steffen", "Stefan",
    "Sven", "Thomas", "Tobias", "Torsten", "Uwe", "Volker",
)
FAMILY_NAMES = (
    "Bachmann", "Böhm", "Dietrich", "Ebert", "Fiedler", "Franke", "Friedrich",
    "Fuchs", "Gläser", "Günther", "Haase", "Hartmann", "Heinrich", "Hofmann",
    "Kaiser", "Köhler", "Kretzschmar", "Kühn", "Lange", "Lehmann", "Lorenz",
    "Ludwig", "Meier", "Neubert", "Oehme", "Pohl", "Richter", "Riedel", "Rößler",
    "Schubert", "Schulze", "Seidel", "Thieme", "Tröger", "Uhlig", "Ullrich",
    "Vogel", "Walther", "Weißbach", "Werner", "Winkler", "Wolf", "Zimmermann",
    "Baumann", "Beyer", "Eckert", "Engel", "Frenzel", "Gruner", "Hähnel", "Jahn",
    "Kirchner", "Krause", "Lindner", "Möckel", "Naumann", "Otto", "Schäfer", "Stein",
    "Voigt",
)

# Villages incorporated into Muldenau; each keeps an Ortschaftsrat.
ORTSTEILE = ("Auenhain", "Birkwitz", "Erlengrund", "Haselbach", "Oberweiden", "Steinlitz")

# Only "-straße" and "-gasse": templates say "in der {street}" without knowing the gender.
STREETS = (
    "Bahnhofstraße", "Lindenstraße", "Mühlgrabenstraße", "Schulstraße", "Uferstraße",
    "Birkenstraße", "Hauptstraße", "Gartenstraße", "Bergstraße", "Auenstraße",
    "Weberstraße", "Schachtstraße", "Kirchgasse", "Wiesenstraße", "Marktgasse",
)
BROOKS = ("Mühlbach", "Auenbach", "Erlenbach", "Haselbach")
# Names of areas for Bebauungspläne; the town has a coal-mining past.
AREAS = (
    "Am Lerchenberg", "Gewerbegebiet Muldenau-Nord", "Wohnen an der Aue",
    "Alte Spinnerei", "Ehemaliges Schachtgelände III", "Sonnenhang",
    "Quartier am Bahnhof", "Obere Wiesen",
)
# Feminine names only: templates say "in der {facility}".
FACILITIES = (
    "Stadthalle Muldenau", "Schwimmhalle Nord", "Sporthalle an der Mulde",
    "Stadtbibliothek", "Musikschule", "Eissporthalle",
)

# The Stadtrat's groups: name, short name, seats in the current term, and
# whether the group already existed in the previous term.
FRAKTIONEN = (
    ("Fraktion Bürger für Muldenau", "BfM", 9, True),
    ("Fraktion Muldenauer Mitte", "MM", 8, True),
    ("Fraktion Soziales Muldenau", "SM", 7, True),
    ("Fraktion Grüne Aue", "GA", 5, True),
    ("Fraktion Zukunft Muldenau", "ZM", 4, False),
)

# key, name, short name, weekday (0 = Monday) of its usual meetings.
AUSSCHUESSE = (
    ("finanzen", "Verwaltungs- und Finanzausschuss", "VFA", 1),
    ("bau", "Ausschuss für Stadtentwicklung und Bau", "ASB", 2),
    ("soziales", "Ausschuss für Soziales, Bildung und Kultur", "ASBK", 1),
    ("ordnung", "Ausschuss für Wirtschaft, Ordnung und Umwelt", "AWOU", 2),
    ("betrieb", "Betriebsausschuss Kultur- und Sportstätten", "BAKS", 0),
)

# key, name, short name, classification, key of the unit it belongs to (or None).
VERWALTUNG = (
    ("ob", "Büro der Oberbürgermeisterin", "OB", "Stabsstelle", None),
    ("dez1", "Dezernat 1 – Finanzen, Ordnung und Verwaltung", "Dez 1", "Dezernat", None),
    ("dez2", "Dezernat 2 – Stadtentwicklung und Bau", "Dez 2", "Dezernat", None),
    ("dez3", "Dezernat 3 – Soziales, Bildung und Kultur", "Dez 3", "Dezernat", None),
    ("planung", "Amt für Stadtplanung", "Amt 61", "Amt", "dez2"),
    ("tiefbau", "Amt für Tiefbau und Verkehr", "Amt 66", "Amt", "dez2"),
)

# Which units prepare papers of which subject (the committee key).
UNITS_FOR_SUBJECT = {
    "finanzen": ("dez1",),
    "bau": ("planung", "tiefbau", "dez2"),
    "soziales": ("dez3",),
    "ordnung": ("dez1", "ob"),
    "betrieb": ("dez3",),
}
