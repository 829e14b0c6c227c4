"""Ingesta: lee los archivos publicados, los valida, normaliza, georreferencia y los guarda
como una versión nueva e inmutable del almacén."""

import os

import pyarrow as pa


def _memoria_arrow() -> None:
    """Memoria de Arrow con jemalloc, devolviendo al sistema lo liberado de inmediato.

    Una carga grande crea y suelta cientos de MB de columnas intermedias; con el asignador
    por omisión (mimalloc) esa memoria queda reservada y el pico de un SRFT de 300k filas
    sube de unos 700 a 850 MB. Solo afecta a los procesos que importan ``ingesta`` (el
    tablero no la importa) y se respeta ``ARROW_DEFAULT_MEMORY_POOL`` si se fijó.
    """
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return
    try:
        pa.set_memory_pool(pa.jemalloc_memory_pool())
        pa.jemalloc_set_decay_ms(0)
    except (NotImplementedError, pa.ArrowException):  # pyarrow compilado sin jemalloc
        pass


_memoria_arrow()
