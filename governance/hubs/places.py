"""Sweden's counties (län), for a hub's location."""

from django.db import models


class County(models.TextChoices):
    BLEKINGE = "blekinge", "Blekinge län"
    DALARNA = "dalarna", "Dalarnas län"
    GOTLAND = "gotland", "Gotlands län"
    GAVLEBORG = "gavleborg", "Gävleborgs län"
    HALLAND = "halland", "Hallands län"
    JAMTLAND = "jamtland", "Jämtlands län"
    JONKOPING = "jonkoping", "Jönköpings län"
    KALMAR = "kalmar", "Kalmar län"
    KRONOBERG = "kronoberg", "Kronobergs län"
    NORRBOTTEN = "norrbotten", "Norrbottens län"
    SKANE = "skane", "Skåne län"
    STOCKHOLM = "stockholm", "Stockholms län"
    SODERMANLAND = "sodermanland", "Södermanlands län"
    UPPSALA = "uppsala", "Uppsala län"
    VARMLAND = "varmland", "Värmlands län"
    VASTERBOTTEN = "vasterbotten", "Västerbottens län"
    VASTERNORRLAND = "vasternorrland", "Västernorrlands län"
    VASTMANLAND = "vastmanland", "Västmanlands län"
    VASTRA_GOTALAND = "vastra_gotaland", "Västra Götalands län"
    OREBRO = "orebro", "Örebro län"
    OSTERGOTLAND = "ostergotland", "Östergötlands län"
