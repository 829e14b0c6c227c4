"""Página de estacionamientos para personas con discapacidad (Oaxaca de Juárez).

Mapa a nivel de calle con cada espacio coloreado por su estado (leyenda con icono y texto),
filtro por estado, la ficha de cada espacio, los cajones por estado y una tabla con todos los
espacios (la alternativa en texto del mapa). El filtro y el espacio elegido viven en la URL:
``/estacionamientos?estado=requiere_rehabilitacion&espacio=EST-0003``.
"""

from __future__ import annotations

import dash
from dash import (
    ClientsideFunction,
    Input,
    Output,
    State,
    callback,
    clientside_callback,
    ctx,
    dcc,
    html,
)

import capas
from capas.filtros import filtrar, valores
from capas.parametros import leer_parametros
from tablero import avisos, mapas, seleccion, tablas, url
from tablero.componentes import (
    bloque_mapa,
    conectar_descargar_vista,
    descargar_vista,
    grupo_opciones,
    titulo_pagina,
)
from tablero.datos import datos_servidos
from tablero.figuras import estacionamientos as figuras
from tablero.figuras import puntos as mapa_puntos
from tablero.reportes import formulario
from tablero.reportes.web import reportes_abiertos

dash.register_page(
    __name__,
    path="/estacionamientos",
    name="Estacionamientos",
    title=titulo_pagina("Estacionamientos para personas con discapacidad"),
    order=4,
)

PAGINA = "estacionamientos"
TITULO = "Estacionamientos para personas con discapacidad"
ID = {
    nombre: f"{PAGINA}-{nombre}"
    for nombre in (
        "estado",
        "buscar",
        "mapa",
        "tabla",
        "resumen",
        "version",
        "espacio",
        "seleccion",
        "detalle",
        "cerrar",
        "limites",
        "descarga-tabla",
        "lista",
        "aviso",
        "vacio",
    )
}
CONTROLES = {
    "estado": (ID["estado"], "value"),
    "buscar": (ID["buscar"], "value"),
    "espacio": (ID["espacio"], "data"),
}
#: La capa que muestra la página: sus filtros son los de la URL y los de la descarga.
CAPA = capas.capa("estacionamientos")

url.sincronizar_url(PAGINA, CONTROLES)
# «Descargar esta vista» bajo la tabla, que va justo después del mapa.
conectar_descargar_vista(
    ID["descarga-tabla"],
    "estacionamientos",
    CONTROLES,
    ID["version"],
    aviso=(ID["aviso"], "los espacios"),
)
tablas.conectar_busqueda(ID["buscar"], ID["tabla"])
# El navegador ajusta el acercamiento al ancho real del mapa (assets/mapas.js).
clientside_callback(
    ClientsideFunction(namespace="sigue_mapas", function_name="ajustar_acercamiento"),
    Output(ID["mapa"], "figure", allow_duplicate=True),
    Input(ID["limites"], "data"),
    State(ID["mapa"], "id"),
    prevent_initial_call="initial_duplicate",
)


def layout(espacio=None, buscar=None, **parametros) -> html.Div:
    """La página con el filtro y el espacio de la URL ya aplicados.

    El filtro se lee con la declaración de la capa (la misma de la descarga); lo que no se
    reconoce se ignora y se nombra en un aviso.
    """
    datos = datos_servidos()
    if datos is None:
        return _sin_datos("Todavía no hay datos publicados en este tablero.")
    if not datos.version.tiene("estacionamientos"):
        return _sin_datos("Esta versión de los datos no tiene estacionamientos.")
    todos = capas.tabla_estacionamientos(datos, reportes_abiertos=reportes_abiertos())
    filtros, no_reconocidos = leer_parametros(CAPA, parametros, datos, estricto=False)
    estado = filtros.get("estado")
    estados = [] if estado is None else estado if isinstance(estado, list) else [estado]
    tabla = CAPA.leer(datos, **filtros, reportes_abiertos=reportes_abiertos())
    pedido = str(espacio) if espacio else ""
    # un espacio que no está en los datos no queda elegido: se dice una sola vez que no existe
    espacio = pedido if pedido in valores(todos, "id") else ""
    limites = figuras.limites(todos)
    return html.Div(
        [
            url.almacen_url(PAGINA, CONTROLES),
            dcc.Store(id=ID["version"], data=datos.id),
            dcc.Store(
                id=ID["limites"],
                data={
                    "limites": list(limites),
                    "margen": mapa_puntos.MARGEN_LEYENDA,
                    "maximo": figuras.ACERCAMIENTO_CALLE,
                }
                if limites
                else None,
            ),
            # "" y no None: un dcc.Store sin datos avisa un cambio al montarse
            dcc.Store(id=ID["espacio"], data=espacio),
            html.H1(TITULO),
            html.P(
                "Cada espacio de estacionamiento para personas con discapacidad registrado en "
                "Oaxaca de Juárez, con su estado: en buen estado, requiere rehabilitación, en "
                "rehabilitación, rehabilitado o propuesto. Elija un espacio en el mapa o en la "
                "tabla para ver su ficha.",
                className="pagina__intro",
            ),
            html.P(
                html.A(
                    "Ir a la tabla de espacios (elija uno para reportar un problema)",
                    href="#" + ID["lista"],
                ),
                className="pagina__atajo",
            ),
            figuras.tabla_resumen(
                capas.resumen_estacionamientos(datos, reportes_abiertos=reportes_abiertos())
            ),
            html.Section(
                [
                    html.H2("Filtro", className="filtros__titulo"),
                    grupo_opciones(
                        "Estado del espacio (sin marcar: todos)",
                        dcc.Checklist(
                            id=ID["estado"], options=figuras.opciones_estado(), value=estados
                        ),
                    ),
                ],
                className="filtros",
                **{"aria-label": "Filtro"},
            ),
            avisos.no_reconocidos(ID["aviso"], no_reconocidos, "los espacios", bool(filtros)),
            html.P(
                figuras.resumen(tabla), id=ID["resumen"], className="resumen-filtros", role="status"
            ),
            avisos.quitar_filtros(ID["vacio"], "/estacionamientos", tabla.empty),
            bloque_mapa(
                ID["mapa"],
                figuras.figura_mapa(
                    tabla,
                    centro=mapas.centro_de(limites) if limites else _centro_entidad(datos),
                    zoom=figuras.ACERCAMIENTO_CALLE if limites else mapas.ACERCAMIENTO_ESTADO,
                    contorno=_contorno(datos, todos),
                    elegido=espacio,
                ),
                "Mapa de calles: cada punto es un espacio, con el color de su estado (la "
                "leyenda dice qué significa cada color). Toque un punto para ver su "
                "ficha. La tabla de abajo tiene los mismos datos.",
            ),
            # la tabla (la lista de espacios) va antes de la ficha y del formulario: con el
            # teclado se elige un espacio y el foco pasa al formulario (tablas.tabla)
            html.H2("Tabla de espacios", id=ID["lista"], tabIndex=-1),
            tablas.busqueda(ID["buscar"], buscar, etiqueta="Buscar en la tabla"),
            tablas.tabla(
                ID["tabla"],
                figuras.COLUMNAS,
                figuras.filas(tabla),
                descripcion="Espacios de estacionamiento con su estado",
                id_fila="id",
                seleccion=True,
                busqueda=buscar or "",
                columnas_telefono=figuras.COLUMNAS_TELEFONO,
                seleccionadas=[espacio] if espacio else None,
                foco_al_elegir=formulario.ID_TITULO,
            ),
            descargar_vista(
                ID["descarga-tabla"],
                "estacionamientos",
                {"estado": estados},
                version=datos.id,
                que="los espacios de esta vista (mapa y tabla)",
            ),
            html.P(
                figuras.estado_seleccion(espacio, desconocido=pedido if not espacio else ""),
                id=ID["seleccion"],
                className="resumen-filtros",
                role="status",
            ),
            html.Section(
                ficha(datos, espacio),
                id=ID["detalle"],
                className="ficha",
                **{"aria-label": "Ficha del espacio elegido"},
            ),
            html.Button(
                "Cerrar la ficha",
                id=ID["cerrar"],
                className="boton boton--secundario",
                type="button",
                hidden=not espacio,
            ),
            formulario.seccion(espacio),
        ],
        className="pagina pagina-estacionamientos",
    )


def ficha(datos, espacio: str | None) -> list:
    """Ficha del espacio ``espacio`` (capas), o el aviso de que no hay ninguno elegido."""
    if not espacio:
        return figuras.ficha(None)
    fila = filtrar(
        capas.tabla_estacionamientos(datos, reportes_abiertos=reportes_abiertos()), id=espacio
    )
    return figuras.ficha(fila.iloc[0].to_dict() if len(fila) else None, espacio)


@callback(
    Output(ID["mapa"], "figure"),
    Output(ID["tabla"], "rowData"),
    Output(ID["resumen"], "children"),
    Output(ID["vacio"], "hidden"),
    Input(ID["estado"], "value"),
    Input(ID["espacio"], "data"),
    State(ID["version"], "data"),
    prevent_initial_call=True,
)
def actualizar(estados, espacio=None, version=None):
    """Filtro -> capas -> mapa (``Patch``: solo valores), filas de la tabla y resumen.

    El mapa dibuja a lo más ``MAXIMO_PUNTOS`` espacios y siempre el elegido: al elegir uno
    que no se veía se redibujan solo los puntos (sin volver a mandar las filas).
    """
    datos = datos_servidos(version)
    filtros, _ = leer_parametros(CAPA, {"estado": estados}, datos, estricto=False)
    tabla = CAPA.leer(datos, **filtros, reportes_abiertos=reportes_abiertos())
    if seleccion.solo_por(ID["espacio"]):
        if not figuras.falta_en_el_mapa(tabla, espacio):
            return (dash.no_update,) * 4
        return (figuras.parche_mapa(tabla, espacio), *(dash.no_update,) * 3)
    return (
        figuras.parche_mapa(tabla, espacio),
        figuras.filas(tabla),
        figuras.resumen(tabla),
        not tabla.empty,
    )


@callback(
    Output(ID["espacio"], "data"),
    Input(ID["tabla"], "selectedRows"),
    Input(ID["mapa"], "clickData"),
    Input(ID["cerrar"], "n_clicks"),
    State(ID["espacio"], "data"),
    prevent_initial_call=True,
)
def elegir(filas, clic, _cerrar, actual):
    """El espacio elegido: una fila de la tabla, un punto del mapa o ninguna (cerrar)."""
    nuevo = seleccion.elegido(
        ctx.triggered_id,
        id_mapa=ID["mapa"],
        id_cerrar=ID["cerrar"],
        filas=filas,
        clic=clic,
        actual=actual,
        clave="id",
    )
    return dash.no_update if nuevo == actual else nuevo


@callback(
    Output(ID["detalle"], "children"),
    Output(ID["seleccion"], "children"),
    Output(ID["cerrar"], "hidden"),
    Input(ID["espacio"], "data"),
    State(ID["version"], "data"),
    prevent_initial_call=True,
)
def mostrar_ficha(espacio, version):
    """Ficha del espacio elegido."""
    return ficha(datos_servidos(version), espacio), figuras.estado_seleccion(espacio), not espacio


@callback(
    Output(formulario.ID["lugar"], "children"),
    Output(formulario.ID["punto"], "open"),
    Output(formulario.ID["fotos"], "children"),
    Input(ID["espacio"], "data"),
    prevent_initial_call=True,
)
def lugar_del_reporte(espacio):
    """El formulario dice sobre qué espacio se reportará (con uno elegido, sin el punto) y
    lleva al formulario con fotos de ese espacio."""
    return formulario.lugar(espacio), not espacio, formulario.enlace_fotos(espacio)


@callback(
    Output(formulario.ID["resultado"], "children"),
    Output(formulario.ID["similar"], "data"),
    Input(formulario.ID["enviar"], "n_clicks"),
    State(ID["espacio"], "data"),
    State(formulario.ID["tipo"], "value"),
    State(formulario.ID["descripcion"], "value"),
    State(formulario.ID["contacto"], "value"),
    State(formulario.ID["latitud"], "value"),
    State(formulario.ID["longitud"], "value"),
    prevent_initial_call=True,
)
def enviar_reporte(_clics, espacio, tipo, descripcion, contacto, latitud, longitud):
    """Formulario -> servicio de reportes -> folio (o el reporte abierto al que sumarse)."""
    return formulario.enviar(espacio, tipo, descripcion, contacto, latitud, longitud)


@callback(
    Output(formulario.ID["resultado"], "children", allow_duplicate=True),
    Output(formulario.ID["similar"], "data", allow_duplicate=True),
    Input(formulario.ID["sumarse"], "n_clicks"),
    State(formulario.ID["similar"], "data"),
    State(formulario.ID["descripcion"], "value"),
    State(formulario.ID["contacto"], "value"),
    prevent_initial_call=True,
)
def sumarse_al_reporte(clics, folio, descripcion, contacto):
    """Sumarse al reporte abierto del mismo espacio y tipo en vez de duplicarlo."""
    if not clics or not folio:
        return dash.no_update, dash.no_update
    return formulario.sumarse(folio, descripcion, contacto), ""


def _contorno(datos, tabla) -> dict | None:
    """Contorno de los municipios de los espacios (sin teselas, da referencia al mapa)."""
    rasgos = [mapas.contorno_municipio(datos, clave) for clave in valores(tabla, "cvegeo")]
    rasgos = [r for r in rasgos if r is not None]
    return {"type": "FeatureCollection", "features": rasgos} if rasgos else None


def _centro_entidad(datos) -> dict:
    limites = mapas.limites_municipios(datos) if datos.version.tiene("municipios") else None
    return mapas.centro_de(limites or mapa_puntos.LIMITES_POR_OMISION)


def _sin_datos(mensaje: str) -> html.Div:
    return html.Div([html.H1(TITULO), html.P(mensaje)], className="pagina pagina-estacionamientos")
