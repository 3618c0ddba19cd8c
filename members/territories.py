"""French regions by INSEE code (Code officiel géographique).

The full referential (communes, EPCI, departments) comes with `load_territories`;
regions are few and stable enough to be choices.
"""

from django.db import models


class Region(models.TextChoices):
    GUADELOUPE = "01", "Guadeloupe"
    MARTINIQUE = "02", "Martinique"
    GUYANE = "03", "Guyane"
    REUNION = "04", "La Réunion"
    MAYOTTE = "06", "Mayotte"
    ILE_DE_FRANCE = "11", "Île-de-France"
    CENTRE_VAL_DE_LOIRE = "24", "Centre-Val de Loire"
    BOURGOGNE_FRANCHE_COMTE = "27", "Bourgogne-Franche-Comté"
    NORMANDIE = "28", "Normandie"
    HAUTS_DE_FRANCE = "32", "Hauts-de-France"
    GRAND_EST = "44", "Grand Est"
    PAYS_DE_LA_LOIRE = "52", "Pays de la Loire"
    BRETAGNE = "53", "Bretagne"
    NOUVELLE_AQUITAINE = "75", "Nouvelle-Aquitaine"
    OCCITANIE = "76", "Occitanie"
    AUVERGNE_RHONE_ALPES = "84", "Auvergne-Rhône-Alpes"
    PACA = "93", "Provence-Alpes-Côte d'Azur"
    CORSE = "94", "Corse"
