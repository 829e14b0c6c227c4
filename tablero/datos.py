"""Acceso del tablero al almacén, siempre dentro de una petición.

La carpeta de datos vive en ``flask.current_app.config["SIGUE_DATOS"]`` (la fija
:func:`tablero.app.crear_app`), así cada aplicación, y cada prueba, tiene la suya y nada se lee
al importar.
"""

from __future__ import annotations

from pathlib import Path

import flask

from almacen.versiones import Almacen, Version

CLAVE_DATOS = "SIGUE_DATOS"


def carpeta_datos() -> Path:
    """Carpeta del almacén de la aplicación que atiende la petición en curso."""
    return Path(flask.current_app.config[CLAVE_DATOS])


def almacen_servido() -> Almacen:
    """El almacén de la aplicación que atiende la petición en curso.

    Es el único lugar del tablero que arma un :class:`~almacen.versiones.Almacen`: las
    páginas, las descargas y los reportes lo piden aquí (o piden la versión con
    :func:`version_servida` y sus datos con :func:`datos_servidos`).
    """
    return Almacen(carpeta_datos())


def version_servida(id_version: str | None = None) -> Version:
    """La versión ``id_version`` o, si es ``None``, la que se sirve ahora.

    Se lee en cada llamada: si se publica una versión nueva con la aplicación en marcha, la
    siguiente petición ya la ve.

    Raises
    ------
    almacen.errores.VersionNoEncontrada
        Si el almacén está vacío o no existe ``id_version``.
    """
    return almacen_servido().version(id_version)


def datos_servidos(id_version: str | None = None):
    """Capas en caché (:class:`capas.DatosVersion`) de ``id_version`` o de la versión servida.

    ``None`` fuera de una petición o si el almacén todavía no tiene esa versión (las páginas
    muestran entonces un aviso en lugar de mapas y tablas).
    """
    import capas
    from almacen.errores import VersionNoEncontrada

    if not flask.has_request_context():
        return None
    try:
        return capas.datos_de(version_servida(id_version))
    except VersionNoEncontrada:
        return None


def estado_de(datos, anio: int | None = None):
    """:func:`capas.tabla_estado` (de un ciclo o de todos), una vez por versión y ciclo.

    Una versión no cambia: la tabla se comparte entre peticiones y páginas. **No se modifica.**
    """
    import capas

    anio = None if anio is None else int(anio)
    return datos.memo(
        ("tablero", "tabla_estado", anio), lambda: capas.tabla_estado(datos, anio=anio)
    )
