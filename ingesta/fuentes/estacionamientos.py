"""estacionamientos (en construcción)."""

from ingesta.fuentes.base import Fuente

FUENTE = Fuente(tipo="estacionamientos", descripcion="estacionamientos", formatos=[])
