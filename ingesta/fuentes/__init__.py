"""Registro explícito de fuentes: la CLI, la carga y las pruebas recorren esta lista."""

from ingesta.fuentes import (
    escuelas,
    estacionamientos,
    matricula,
    obras,
    padron,
    presupuesto,
)
from ingesta.fuentes.base import Fuente

FUENTES: dict[str, Fuente] = {
    f.tipo: f
    for f in (
        escuelas.FUENTE,
        matricula.FUENTE,
        padron.FUENTE,
        presupuesto.FUENTE,
        obras.FUENTE,
        estacionamientos.FUENTE,
    )
}
