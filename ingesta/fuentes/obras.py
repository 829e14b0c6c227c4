"""obras (en construcción)."""

from ingesta.fuentes.base import Fuente

FUENTE = Fuente(tipo="obras", descripcion="obras", formatos=[])
