"""Ingesta: lee los archivos publicados, los valida, normaliza, georreferencia y los guarda
como una versión nueva e inmutable del almacén."""

import os

import pyarrow as pa

#: Milisegundos en que jemalloc devuelve al sistema la memoria de Arrow ya liberada. Con 0
#: (de inmediato) cada columna intermedia vuelve a pedir páginas nuevas: un SRFT de 300k
#: filas tenía ~470k fallos de página y ~1.4 s de CPU de sistema; con 0.2 s se reutilizan
#: (~315k fallos, ~0.4 s menos) y el pico queda casi igual (525–560 MB contra 520–575 MB;
#: con 1 s subía a 580–590 MB).
DECAIMIENTO_MS = 200


def _memoria_arrow() -> None:
    """Memoria de Arrow con jemalloc, devolviendo pronto al sistema lo liberado.

    Una carga grande crea y suelta cientos de MB de columnas intermedias; con el asignador
    por omisión (mimalloc) esa memoria queda reservada y el pico de un SRFT de 300k filas
    sube de unos 700 a 850 MB. Solo afecta a los procesos que importan ``ingesta`` (el
    tablero no la importa) y se respeta ``ARROW_DEFAULT_MEMORY_POOL`` si se fijó.
    """
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return
    try:
        pa.set_memory_pool(pa.jemalloc_memory_pool())
        pa.jemalloc_set_decay_ms(DECAIMIENTO_MS)
    except (NotImplementedError, pa.ArrowException):  # pyarrow compilado sin jemalloc
        pass


_memoria_arrow()
