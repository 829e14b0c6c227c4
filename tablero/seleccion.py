"""Qué elemento eligió el usuario: una fila de la tabla, un punto del mapa o ninguno."""

from __future__ import annotations


def elegido(
    disparo: str | None,
    *,
    id_mapa: str,
    id_cerrar: str,
    filas: list[dict] | None,
    clic: dict | None,
    actual: str,
    clave: str,
) -> str:
    """Clave del elemento elegido (``""`` si se cerró la ficha; ``actual`` si no cambia).

    ``disparo`` es el id del componente que disparó el callback (``dash.ctx.triggered_id``);
    en el mapa la clave va en el ``customdata`` del punto y en la tabla en la columna ``clave``.
    """
    if disparo == id_cerrar:
        return ""
    if disparo == id_mapa:
        return ((clic or {}).get("points") or [{}])[0].get("customdata") or actual
    return filas[0].get(clave) if filas else actual


def solo_por(id_componente: str) -> bool:
    """Verdadero si lo único que disparó el callback en curso es ``id_componente``.

    Sirve para que un callback de filtros que también escucha la fila elegida haga menos
    cuando solo cambió la elegida (p. ej. no volver a encuadrar el mapa).
    """
    import dash
    from dash.exceptions import MissingCallbackContextException

    try:
        disparos = {clave.rsplit(".", 1)[0] for clave in dash.ctx.triggered_prop_ids}
    except MissingCallbackContextException:  # llamado fuera de un callback
        return False
    return disparos == {id_componente}
