"""CRS de los GeoParquet leídos sin el rodeo de geopandas por los ``id`` del datum de WGS84.

Al leer un GeoParquet, ``geopandas`` quita los ``id`` de los miembros del conjunto de datums
(``_remove_id_from_member_of_ensembles``: un arreglo para versiones viejas de PROJ sin esos
códigos en su base) y PROJ tiene que buscarlos por nombre: ~22 ms de CPU por capa leída en vez
de ~0.2 ms. Con los ``id`` PROJ arma exactamente el mismo CRS (mismo WKT y PROJJSON,
``is_exact_same``): lo comprueba ``tests/test_crs.py``, que falla si una versión de geopandas
deja de quitarlos (entonces este módulo sobra). Lo activa :mod:`almacen` al importarse: el
tablero, la ingesta y las pruebas leen igual.
"""

from __future__ import annotations

#: La función de geopandas sustituida (``None`` si esta versión de geopandas no la tiene).
QUITAR_ID_ORIGINAL = None


def activar() -> None:
    """Sustituye el arreglo de geopandas por uno que no hace nada (una vez; idempotente)."""
    global QUITAR_ID_ORIGINAL
    try:
        import geopandas.io.arrow as arrow
    except ImportError:  # pragma: no cover - geopandas es dependencia del proyecto
        return
    if QUITAR_ID_ORIGINAL is None and hasattr(arrow, "_remove_id_from_member_of_ensembles"):
        QUITAR_ID_ORIGINAL = arrow._remove_id_from_member_of_ensembles
        arrow._remove_id_from_member_of_ensembles = _sin_cambios


def _sin_cambios(_json_dict) -> None:
    return None
