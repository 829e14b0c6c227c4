"""Página de obra pública: obras federales, estatales y municipales, sus alertas y contratistas.

Para la CMIC y la sociedad civil: mapa y tabla con filtros (año, municipio, nivel de gobierno,
estatus, contratista, alerta, semáforo y rango del monto aprobado), la ficha de cada obra
(montos, avance físico y financiero por trimestre, cada alerta con sus números) y las obras
por contratista. Todo vive en la URL: ``/obras?alerta=sobrecosto&folio=OAX2307105954``.
"""

from __future__ import annotations

import re

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
from capas.config import CODIGOS_ALERTA, LUCES
from capas.filtros import filtrar, valores
from tablero import mapas, seleccion, tablas, url
from tablero.componentes import (
    TEXTOS_LISTA,
    bloque_mapa,
    campo,
    grupo_opciones,
    opciones_municipios,
    titulo_pagina,
)
from tablero.datos import datos_servidos
from tablero.figuras import obras as figuras
from tablero.figuras import puntos as mapa_puntos
from tablero.formato import valor_fuente

dash.register_page(
    __name__,
    path="/obras",
    name="Obras",
    title=titulo_pagina("Obra pública"),
    order=3,
)

PAGINA = "obras"
TITULO = "Obra pública"
ID = {
    nombre: f"{PAGINA}-{nombre}"
    for nombre in (
        "anio",
        "municipio",
        "nivel",
        "estatus",
        "contratista",
        "alerta",
        "semaforo",
        "monto-min",
        "monto-max",
        "rango",
        "buscar",
        "mapa",
        "tabla",
        "resumen",
        "version",
        "limites",
        "folio",
        "seleccion",
        "detalle",
        "cerrar",
        "agrupar",
        "contratistas",
    )
}
CONTROLES = {
    "anio": (ID["anio"], "value"),
    "municipio": (ID["municipio"], "value"),
    "nivel": (ID["nivel"], "value"),
    "estatus": (ID["estatus"], "value"),
    "contratista": (ID["contratista"], "value"),
    "alerta": (ID["alerta"], "value"),
    "semaforo": (ID["semaforo"], "value"),
    "monto_min": (ID["monto-min"], "value"),
    "monto_max": (ID["monto-max"], "value"),
    "buscar": (ID["buscar"], "value"),
    "folio": (ID["folio"], "data"),
    "agrupar": (ID["agrupar"], "value"),
}
#: Valores del control que agrupa la tabla de contratistas.
POR_MUNICIPIO, EN_ENTIDAD = "municipio", "entidad"

url.sincronizar_url(PAGINA, CONTROLES)
tablas.conectar_busqueda(ID["buscar"], ID["tabla"])
# El navegador ajusta el acercamiento al ancho real del mapa (assets/mapas.js).
clientside_callback(
    ClientsideFunction(namespace="sigue_mapas", function_name="ajustar_acercamiento"),
    Output(ID["mapa"], "figure", allow_duplicate=True),
    Input(ID["limites"], "data"),
    State(ID["mapa"], "id"),
    prevent_initial_call="initial_duplicate",
)
# Al elegir una obra (fila de la tabla, punto del mapa o enlace con ?folio=), en cuanto su
# ficha está dibujada se desplaza a la vista y su título recibe el foco (en el teléfono la
# ficha queda muy abajo de la tabla).
clientside_callback(
    """
    function (folio) {
        if (!folio) { return window.dash_clientside.no_update; }
        let intentos = 0;
        const mostrar = function () {
            const ficha = document.getElementById("obras-detalle");
            const titulo = document.getElementById("obras-detalle-titulo");
            if (ficha && titulo && titulo.textContent.indexOf(folio) !== -1) {
                const quieto = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
                ficha.scrollIntoView({behavior: quieto ? "auto" : "smooth", block: "start"});
                titulo.focus({preventScroll: true});
            } else if (intentos++ < 50) {
                setTimeout(mostrar, 100);
            }
        };
        mostrar();
        return window.dash_clientside.no_update;
    }
    """,
    Output(ID["detalle"], "id"),
    Input(ID["folio"], "data"),
)


def layout(
    municipio=None,
    anio=None,
    nivel=None,
    estatus=None,
    contratista=None,
    alerta=None,
    semaforo=None,
    monto_min=None,
    monto_max=None,
    buscar=None,
    folio=None,
    agrupar=None,
    **_parametros,
) -> html.Div:
    """La página con los filtros de la URL ya aplicados (mapa, tablas y ficha incluidos)."""
    datos = datos_servidos()
    if datos is None:
        return _sin_datos("Todavía no hay datos publicados en este tablero.")
    if not datos.version.tiene("obras"):
        return _sin_datos("Esta versión de los datos no tiene obras públicas.")
    todas = capas.tabla_obras(datos)
    anios = [int(a) for a in valores(datos.tabla("obras"), "anio")]
    anio = url.entero(anio)
    anio = anio if anio in anios else None
    municipio = municipio if municipio in datos.nombres_municipios else None
    niveles_publicados = valores(todas, "nivel_gobierno")
    niveles = [n for n in url.lista(nivel) if n in niveles_publicados]
    estatus_publicados = valores(todas, "estatus")
    estatus = [e for e in url.lista(estatus) if e in estatus_publicados]
    contratistas = valores(todas, "contratista")
    contratista = contratista if contratista in contratistas else None
    alerta = alerta if alerta in _ALERTAS_VALIDAS else None
    luces = [luz for luz in url.lista(semaforo) if luz in LUCES]
    minimo, maximo = monto(monto_min), monto(monto_max)
    agrupar = EN_ENTIDAD if agrupar == EN_ENTIDAD else POR_MUNICIPIO
    folio = str(folio) if folio else None

    tabla = obras_filtradas(
        datos, anio, municipio, niveles, estatus, contratista, alerta, luces, minimo, maximo
    )
    vista = mapa_puntos.vista(_limites(datos), mapas.contorno_municipio(datos, municipio))
    por_contratista = contratistas_de(datos, anio, municipio, agrupar)
    detalle, encontrada = _ficha(datos, folio, anio)
    return html.Div(
        [
            url.almacen_url(PAGINA, CONTROLES),
            dcc.Store(id=ID["version"], data=datos.id),
            dcc.Store(id=ID["limites"], data=mapa_puntos.datos_vista(vista)),
            # "" y no None: un dcc.Store sin datos avisa un cambio al montarse (y la URL cambiaría)
            dcc.Store(id=ID["folio"], data=folio or ""),
            html.H1(TITULO),
            html.P(
                "Obras federales, estatales y municipales: dónde están, cuánto se aprobó, "
                "ejerció y pagó, cuánto avanzan y qué alertas tienen. Elija una obra en la "
                "tabla o en el mapa para ver su ficha; la dirección de la página sirve para "
                "compartir lo que está viendo.",
                className="pagina__intro",
            ),
            html.Section(
                [
                    html.H2("Filtros", className="filtros__titulo"),
                    campo(
                        "Año del reporte",
                        dcc.Dropdown(
                            id=ID["anio"],
                            options=figuras.opciones_anio(anios),
                            value=anio,
                            placeholder="Todos (último reporte de cada obra)",
                            searchable=False,
                            labels=TEXTOS_LISTA,
                        ),
                    ),
                    campo(
                        "Municipio",
                        dcc.Dropdown(
                            id=ID["municipio"],
                            options=opciones_municipios(datos.nombres_municipios),
                            value=municipio,
                            placeholder="Todos los municipios (escriba para buscar)",
                            labels=TEXTOS_LISTA,
                        ),
                    ),
                    campo(
                        "Contratista",
                        dcc.Dropdown(
                            id=ID["contratista"],
                            options=figuras.opciones_texto(contratistas),
                            value=contratista,
                            placeholder="Todos (escriba para buscar)",
                            labels=TEXTOS_LISTA,
                        ),
                    ),
                    campo(
                        "Estatus",
                        dcc.Dropdown(
                            id=ID["estatus"],
                            options=figuras.opciones_texto(estatus_publicados, valor_fuente),
                            value=estatus,
                            multi=True,
                            placeholder="Todos",
                            labels=TEXTOS_LISTA,
                        ),
                    ),
                    campo(
                        "Alerta",
                        dcc.Dropdown(
                            id=ID["alerta"],
                            options=figuras.opciones_alerta(),
                            value=alerta,
                            placeholder="Con o sin alertas",
                            searchable=False,
                            labels=TEXTOS_LISTA,
                        ),
                    ),
                    html.Fieldset(
                        [
                            html.Legend("Monto aprobado (pesos)", className="campo__etiqueta"),
                            html.Div(
                                [
                                    campo("Desde", _entrada_monto(ID["monto-min"], minimo)),
                                    campo("Hasta", _entrada_monto(ID["monto-max"], maximo)),
                                ],
                                className="rango",
                            ),
                            html.Span(
                                figuras.texto_rango(minimo, maximo),
                                id=ID["rango"],
                                className="campo__ayuda",
                                **{"aria-live": "polite"},
                            ),
                        ],
                        className="campo campo--grupo",
                    ),
                    grupo_opciones(
                        "Nivel de gobierno (sin marcar: todos)",
                        dcc.Checklist(
                            id=ID["nivel"],
                            options=figuras.opciones_texto(
                                niveles_publicados, figuras.nivel_gobierno
                            ),
                            value=niveles,
                            inline=True,
                        ),
                    ),
                    grupo_opciones(
                        "Semáforo de la obra (sin marcar: todos)",
                        dcc.Checklist(
                            id=ID["semaforo"], options=figuras.opciones_semaforo(), value=luces
                        ),
                    ),
                ],
                className="filtros filtros--anchos",
                **{"aria-label": "Filtros"},
            ),
            html.P(
                figuras.resumen(tabla),
                id=ID["resumen"],
                className="resumen-filtros",
                role="status",
            ),
            bloque_mapa(
                ID["mapa"],
                figuras.figura_mapa(tabla, vista=vista, entidad=mapas.geojson_entidad(datos)),
                "Mapa: cada punto es una obra, con el color de su semáforo (la leyenda "
                "dice qué significa cada color). Toque un punto para ver la ficha de "
                "la obra. La tabla de abajo tiene los mismos datos.",
            ),
            html.H2("Tabla de obras"),
            tablas.busqueda(ID["buscar"], buscar),
            tablas.tabla(
                ID["tabla"],
                figuras.COLUMNAS,
                figuras.filas(tabla),
                descripcion="Obras públicas con su monto, avance, semáforo y alertas",
                id_fila="folio",
                seleccion=True,
                busqueda=buscar or "",
                columnas_telefono=figuras.COLUMNAS_TELEFONO,
                seleccionadas=[folio] if folio else None,
            ),
            html.P(
                figuras.estado_seleccion(folio, encontrada),
                id=ID["seleccion"],
                className="resumen-filtros",
                role="status",
            ),
            html.Section(
                detalle,
                id=ID["detalle"],
                className="ficha",
                **{"aria-label": "Ficha de la obra elegida"},
            ),
            html.Button(
                "Cerrar la ficha",
                id=ID["cerrar"],
                className="boton boton--secundario",
                type="button",
                hidden=not (folio and encontrada),
            ),
            html.Section(
                [
                    html.H2("Obras por contratista"),
                    html.P(
                        "Número de obras, monto aprobado, su parte del monto del municipio (o "
                        "de la entidad) y la parte adjudicada directamente, según el año y el "
                        "municipio elegidos arriba."
                    ),
                    grupo_opciones(
                        "Agrupar",
                        dcc.RadioItems(
                            id=ID["agrupar"],
                            options=[
                                {"label": "Por municipio", "value": POR_MUNICIPIO},
                                {"label": "En toda la entidad", "value": EN_ENTIDAD},
                            ],
                            value=agrupar,
                            inline=True,
                        ),
                    ),
                    tablas.tabla(
                        ID["contratistas"],
                        figuras.columnas_contratistas(agrupar == POR_MUNICIPIO),
                        figuras.filas_contratistas(por_contratista),
                        descripcion="Obras por contratista",
                        columnas_telefono=figuras.COLUMNAS_CONTRATISTAS_TELEFONO,
                    ),
                ],
                className="contratistas",
            ),
        ],
        className="pagina pagina-obras",
    )


# --- datos (capas) --------------------------------------------------------------------------

_ALERTAS_VALIDAS = (*CODIGOS_ALERTA, figuras.CUALQUIER_ALERTA, figuras.SIN_ALERTAS)


def obras_filtradas(
    datos,
    anio=None,
    municipio=None,
    niveles=None,
    estatus=None,
    contratista=None,
    alerta=None,
    luces=None,
    minimo=None,
    maximo=None,
):
    """Obras del año, municipio y alerta (capas) con los demás filtros de la página."""
    codigo = alerta if alerta in CODIGOS_ALERTA else None
    tabla = capas.tabla_obras(datos, anio=anio, municipio=municipio or None, alerta=codigo)
    rangos = {"monto_aprobado": (minimo, maximo)}
    if alerta == figuras.CUALQUIER_ALERTA:
        rangos["num_alertas"] = (1, None)
    elif alerta == figuras.SIN_ALERTAS:
        rangos["num_alertas"] = (None, 0)
    return filtrar(
        tabla,
        rangos=rangos,
        nivel_gobierno=niveles,
        estatus=estatus,
        contratista=contratista,
        semaforo=luces,
    )


def contratistas_de(datos, anio, municipio, agrupar):
    """Obras por contratista (capas) del año y municipio, por municipio o en la entidad."""
    if agrupar == EN_ENTIDAD:
        return capas.tabla_contratistas(datos, anio=anio, por_municipio=False)
    return capas.tabla_contratistas(datos, anio=anio, municipio=municipio or None)


def monto(texto) -> float | None:
    """Un monto escrito por el usuario (``"1,500,000"``, ``"$2500000.50"``) o ``None``."""
    if texto is None:
        return None
    limpio = re.sub(r"[^\d.]", "", str(texto))
    try:
        return float(limpio) if limpio else None
    except ValueError:
        return None


# --- callbacks ------------------------------------------------------------------------------


@callback(
    Output(ID["mapa"], "figure"),
    Output(ID["tabla"], "rowData"),
    Output(ID["resumen"], "children"),
    Output(ID["limites"], "data"),
    Output(ID["rango"], "children"),
    Input(ID["anio"], "value"),
    Input(ID["municipio"], "value"),
    Input(ID["nivel"], "value"),
    Input(ID["estatus"], "value"),
    Input(ID["contratista"], "value"),
    Input(ID["alerta"], "value"),
    Input(ID["semaforo"], "value"),
    Input(ID["monto-min"], "value"),
    Input(ID["monto-max"], "value"),
    State(ID["version"], "data"),
    prevent_initial_call=True,
)
def actualizar(
    anio, municipio, niveles, estatus, contratista, alerta, luces, desde, hasta, version
):
    """Filtros -> capas -> mapa (``Patch``: solo valores), filas, resumen y encuadre."""
    datos = datos_servidos(version)
    minimo, maximo = monto(desde), monto(hasta)
    tabla = obras_filtradas(
        datos, anio, municipio, niveles, estatus, contratista, alerta, luces, minimo, maximo
    )
    vista = mapa_puntos.vista(_limites(datos), mapas.contorno_municipio(datos, municipio))
    return (
        figuras.parche_mapa(tabla, vista=vista),
        figuras.filas(tabla),
        figuras.resumen(tabla),
        mapa_puntos.datos_vista(vista),
        figuras.texto_rango(minimo, maximo),
    )


@callback(
    Output(ID["folio"], "data"),
    Input(ID["tabla"], "selectedRows"),
    Input(ID["mapa"], "clickData"),
    Input(ID["cerrar"], "n_clicks"),
    State(ID["folio"], "data"),
    prevent_initial_call=True,
)
def elegir(filas, clic, _cerrar, actual):
    """La obra elegida: una fila de la tabla, un punto del mapa o ninguna (cerrar)."""
    nuevo = seleccion.elegido(
        ctx.triggered_id,
        id_mapa=ID["mapa"],
        id_cerrar=ID["cerrar"],
        filas=filas,
        clic=clic,
        actual=actual,
        clave="folio",
    )
    return dash.no_update if nuevo == actual else nuevo


@callback(
    Output(ID["detalle"], "children"),
    Output(ID["seleccion"], "children"),
    Output(ID["cerrar"], "hidden"),
    Input(ID["folio"], "data"),
    Input(ID["anio"], "value"),
    State(ID["version"], "data"),
    prevent_initial_call=True,
)
def mostrar_ficha(folio, anio, version):
    """Ficha de la obra elegida (capas: estado, historial y alertas con sus números)."""
    detalle, encontrada = _ficha(datos_servidos(version), folio, anio)
    return detalle, figuras.estado_seleccion(folio, encontrada), not (folio and encontrada)


@callback(
    Output(ID["contratistas"], "rowData"),
    Output(ID["contratistas"], "columnDefs"),
    Input(ID["anio"], "value"),
    Input(ID["municipio"], "value"),
    Input(ID["agrupar"], "value"),
    State(ID["version"], "data"),
    prevent_initial_call=True,
)
def actualizar_contratistas(anio, municipio, agrupar, version):
    """Obras por contratista del año y municipio elegidos."""
    tabla = contratistas_de(datos_servidos(version), anio, municipio, agrupar)
    return (
        figuras.filas_contratistas(tabla),
        figuras.columnas_contratistas(agrupar != EN_ENTIDAD),
    )


# --- auxiliares -----------------------------------------------------------------------------


def _ficha(datos, folio, anio) -> tuple[list, bool]:
    """Contenido de la ficha y si la obra existe (capas: fila, historial y alertas)."""
    if not folio:
        return [
            html.H2("Ficha de la obra"),
            html.P("Todavía no ha elegido una obra.", className="ficha__vacia"),
        ], True
    fila = filtrar(capas.tabla_obras(datos, anio=anio), folio=folio)
    if fila.empty and anio is not None:  # la obra no tiene reportes ese año: su último estado
        anio = None
        fila = filtrar(capas.tabla_obras(datos), folio=folio)
    if fila.empty:
        return [
            html.H2("Ficha de la obra"),
            html.P(f"No hay una obra con folio {folio} en estos datos.", className="ficha__vacia"),
        ], False
    obra = fila.iloc[0].to_dict()
    return figuras.ficha(
        obra,
        capas.historial_obra(datos, folio),
        capas.alertas_de_obra(datos, folio, anio),
        anio=anio,
    ), True


def _entrada_monto(id_control: str, valor: float | None) -> dcc.Input:
    return dcc.Input(
        id=id_control,
        type="text",
        inputMode="decimal",
        value=f"{valor:,.0f}" if valor is not None else "",
        placeholder="p. ej. 1,000,000",
        debounce=True,
        autoComplete="off",
    )


def _limites(datos):
    return mapas.limites_municipios(datos) if datos.version.tiene("municipios") else None


def _sin_datos(mensaje: str) -> html.Div:
    return html.Div([html.H1(TITULO), html.P(mensaje)], className="pagina pagina-obras")
