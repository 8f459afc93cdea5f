"""The words Muldenau needs only when it grows to city scale (city.py).

More Gremien than the demo's Stadtrat, five Ausschüsse and six Ortschaftsräte,
Stadtbezirke, and short paper titles a citizen would search for. Persons and
streets come from names.py, so the scaled town and the demo share one
vocabulary. Everything is invented, as in names.py.
"""

COMMITTEES = (
    "Verwaltungs- und Finanzausschuss", "Ausschuss für Stadtentwicklung und Bau",
    "Ausschuss für Umwelt und Klimaschutz", "Ausschuss für Bildung und Jugend",
    "Ausschuss für Soziales und Gesundheit", "Ausschuss für Kultur und Tourismus",
    "Ausschuss für Wirtschaft und Arbeit", "Ausschuss für Ordnung und Sicherheit",
    "Ausschuss für Verkehr und Mobilität", "Jugendhilfeausschuss", "Rechnungsprüfungsausschuss",
    "Betriebsausschuss Stadtentwässerung", "Betriebsausschuss Kindertageseinrichtungen",
    "Ausschuss für Allgemeine Verwaltung", "Ausschuss für Sport", "Ausschuss für Wohnen",
    "Ausschuss für Digitalisierung", "Ausschuss für Gleichstellung", "Ältestenrat",
    "Ausschuss für Eigenbetriebe", "Ausschuss für Stadtgrün", "Ausschuss für Beteiligungen",
)
FACTIONS = ("Bürgerliste", "Soziale Stadt", "Grüne Mitte", "Freie Wähler", "Liberale Stadt",
            "Linke Liste", "Zukunft", "Stadtpartei", "Unabhängige")
ADVISORY = ("Seniorenbeirat", "Migrationsbeirat", "Behindertenbeirat", "Jugendbeirat",
            "Kleingartenbeirat", "Sportbeirat", "Denkmalbeirat")
DISTRICTS = ("Altstadt", "Nordvorstadt", "Südvorstadt", "Oststadt", "Weststadt", "Neustadt",
             "Auenhain", "Birkwitz", "Erlengrund", "Haselbach", "Oberweiden", "Steinlitz")
ROOMS = ("Ratssaal", "Sitzungssaal 1", "Sitzungssaal 2", "Sitzungssaal 3", "Bürgerhaus, Saal")
ATTACHMENTS = ("Lageplan", "Kostenberechnung", "Stellungnahme", "Gutachten", "Fotodokumentation",
               "Entwurfsplanung", "Finanzierungsplan")
# Feminine names only: titles say "der {facility}".
FACILITIES = ("Grundschule", "Oberschule", "Kindertagesstätte", "Sporthalle", "Stadtbibliothek",
              "Feuerwache", "Schwimmhalle", "Musikschule", "Seniorenbegegnungsstätte", "Turnhalle")
TOPICS = (
    "Sanierung des Spielplatzes in der {street}",
    "Neubau der {facility} im Stadtbezirk {district}",
    "Bebauungsplan Nr. {number} „{street} Nord“ – Aufstellungsbeschluss",
    "Grundhafter Ausbau der {street}",
    "Erneuerung der Straßenbeleuchtung in der {street}",
    "Haushaltssatzung und Haushaltsplan {year}",
    "Überplanmäßige Aufwendungen für die {facility} {district}",
    "Radverkehrskonzept für den Stadtbezirk {district}",
    "Ersatzneubau der Brücke in der {street}",
    "Schulnetzplanung: Erweiterung der {facility} {district}",
    "Vergabe der Bauleistungen für die {facility} {district}",
    "Satzung über die Erhebung von Parkgebühren",
    "Jahresabschluss {year} der Stadtwerke",
    "Baumpflanzungen in der {street}",
    "Verkehrsberuhigung im Wohngebiet {district}",
    "Benennung einer Straße im Stadtbezirk {district}",
    "Zuschuss für den Sportverein {district} e. V.",
    "Lärmaktionsplan – Maßnahmen an der {street}",
    "Sanierung der Toilettenanlage der {facility} {district}",
    "Kita-Bedarfsplanung {year}",
)
# paper type, reference prefix, weight
PAPER_TYPES = (
    ("Beschlussvorlage", "BV", 55), ("Informationsvorlage", "IV", 15), ("Antrag", "A", 15),
    ("Anfrage", "AF", 10), ("Stellungnahme", "ST", 5),
)
NON_PUBLIC_TOPICS = (
    "Grundstücksangelegenheit {street}", "Personalangelegenheit", "Vergabeangelegenheit {facility}",
    "Vertragsangelegenheit Stadtwerke", "Stundung einer Forderung",
)
RESULTS = ("einstimmig beschlossen", "mehrheitlich beschlossen", "mehrheitlich beschlossen",
           "mit Änderungen beschlossen", "abgelehnt", "vertagt")
