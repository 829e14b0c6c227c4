"""Página de obra pública: obras federales, estatales y municipales, sus alertas y contratistas.

Para la CMIC y la sociedad civil: mapa y tabla con filtros (año, municipio, nivel de gobierno,
estatus, contratista, alerta, semáforo y rango del monto aprobado), la ficha de cada obra
(montos, avance físico y financiero por trimestre, cada alerta con sus números) y las obras
por contratista. Todo vive en la URL: ``/obras?alerta=sobrecosto&folio=OAX2307105954``.
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
from capas import contratistas as capa_contratistas
from capas.filtros import filtrar, valores
from capas.paginado import Orden
from capas.parametros import NoReconocido, leer_parametros
from tablero import avisos, mapas, nacional, paginado, respuestas, seleccion, tablas, url
from tablero.canales import enlace_suscribirse
from tablero.componentes import (
    TEXTOS_LISTA,
    bloque_mapa,
    campo,
    conectar_descargar_vista,
    descargar_vista,
    grupo_opciones,
    titulo_pagina,
)
from tablero.datos import datos_servidos
from tablero.figuras import contratista as figuras_contratista
from tablero.figuras import obras as figuras
from tablero.figuras import puntos as mapa_puntos
from tablero.formato import valor_fuente
from tablero.reportes.fichas import reportes_de_la_ficha

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
        "entidad",
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
        "contratistas-total",
        "descarga",
        "aviso",
        "vacio",
    )
}
CONTROLES = {
    "anio": (ID["anio"], "value"),
    "municipio": (ID["municipio"], "value"),
    "entidad": (ID["entidad"], "value"),
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
#: Controles que son filtros de la capa, en el orden de las entradas de los callbacks.
FILTROS = (
    "anio",
    "municipio",
    "nivel",
    "estatus",
    "contratista",
    "alerta",
    "semaforo",
    "monto_min",
    "monto_max",
    "entidad",
)
#: La capa que muestra la página: sus filtros son los de la URL y los de la descarga.
CAPA = capas.capa("obras")
#: La tabla de obras se sirve por bloques (búsqueda y orden en ``capas.paginado``).
TABLA = paginado.TablaServida(
    PAGINA,
    leer=CAPA.leer,
    filas=figuras.filas,
    directas=("folio", "nombre", "municipio", "contratista", "monto_aprobado", "avance_fisico"),
    derivadas=("estatus", "semaforo", "alertas"),
    columnas_texto=(
        "folio",
        "nombre",
        "municipio",
        "estatus",
        "contratista",
        "semaforo",
        "alertas",
    ),
)
#: El ranking de contratistas también va por bloques; «sin dato» al final con cualquier orden.
RANKING = paginado.TablaServida(
    f"{PAGINA}-contratistas",
    leer=capa_contratistas.leer_ranking,
    filas=figuras_contratista.filas_ranking,
    directas=("municipio", *capa_contratistas.COLUMNAS_RANKING),
    columnas_texto=("municipio", "contratista"),
    orden_fijo=(Orden("sin_dato"),),
)
#: Filas por página de la tabla de obras.
FILAS_POR_PAGINA = 10
#: Segundos sin escribir tras los que la búsqueda de la tabla va al servidor.
ESPERA_BUSQUEDA = 0.3
#: Valores del control que agrupa la tabla de contratistas.
POR_MUNICIPIO, EN_ENTIDAD = "municipio", "entidad"

url.sincronizar_url(PAGINA, CONTROLES)
# Modo nacional: el encabezado dice la entidad elegida en la lista.
elegir_entidad = nacional.conectar_entidad(ID["entidad"], ID["municipio"], ID["version"])
conectar_descargar_vista(
    ID["descarga"], "obras", CONTROLES, ID["version"], aviso=(ID["aviso"], "las obras")
)


def _filtros(datos, valores: dict) -> dict:
    """Filtros de ``CAPA`` desde los valores de los controles (lo inválido se ignora)."""
    return filtros_de_la_pagina(datos, {n: valores.get(n) for n in FILTROS})[0]


def _filtros_ranking(datos, valores: dict) -> dict:
    """Los de :func:`_filtros` y cómo se agrupa el ranking (``por_municipio``)."""
    return {**_filtros(datos, valores), "por_municipio": valores.get("agrupar") != EN_ENTIDAD}


# Las dos tablas piden sus filas por bloques; otra búsqueda u otros filtros: las vuelven a pedir.
bloque_tabla = paginado.conectar(
    TABLA,
    ID["tabla"],
    id_version=ID["version"],
    controles={n: CONTROLES[n] for n in FILTROS},
    filtros=_filtros,
    id_busqueda=ID["buscar"],
)
bloque_contratistas = paginado.conectar(
    RANKING,
    ID["contratistas"],
    id_version=ID["version"],
    controles={n: CONTROLES[n] for n in (*FILTROS, "agrupar")},
    filtros=_filtros_ranking,
)
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
                // Lo de arriba (mapa, tabla) puede crecer al terminar de dibujarse y empujar
                // la ficha: durante 3 s se vuelve a traer, salvo que la persona se mueva.
                let movio = false;
                const parar = function () { movio = true; };
                ["wheel", "touchstart", "keydown", "mousedown"].forEach(function (e) {
                    window.addEventListener(e, parar, {once: true, passive: true});
                });
                [400, 900, 1600, 3000].forEach(function (ms) {
                    setTimeout(function () {
                        const arriba = ficha.getBoundingClientRect().top;
                        if (!movio && (arriba < -2 || arriba > window.innerHeight / 2)) {
                            ficha.scrollIntoView({behavior: "auto", block: "start"});
                        }
                    }, ms);
                });
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


@respuestas.pura
def layout(buscar=None, folio=None, agrupar=None, **parametros) -> html.Div:
    """La página con los filtros de la URL ya aplicados (mapa, tablas y ficha incluidos).

    Los filtros se leen con la declaración de la capa (la misma de la descarga); lo que no
    se reconoce se ignora y se nombra en un aviso.
    """
    datos = datos_servidos()
    if datos is None:
        return _sin_datos("Todavía no hay datos publicados en este tablero.")
    if not datos.version.tiene("obras"):
        return _sin_datos("Esta versión de los datos no tiene obras públicas.")
    anios, niveles_publicados, estatus_publicados, contratistas = datos.memo(
        ("tablero", "obras", "publicados"), lambda: _publicados(datos)
    )
    filtros, no_reconocidos = filtros_de_la_pagina(datos, parametros)
    anio, municipio = filtros.get("anio"), filtros.get("municipio")
    entidad = filtros.get("entidad")
    contratista, alerta = filtros.get("contratista"), filtros.get("alerta")
    niveles, estatus = _lista(filtros.get("nivel")), _lista(filtros.get("estatus"))
    luces = _lista(filtros.get("semaforo"))
    minimo, maximo = filtros.get("monto_min"), filtros.get("monto_max")
    agrupar = EN_ENTIDAD if agrupar == EN_ENTIDAD else POR_MUNICIPIO
    folio = str(folio) if folio else None

    tabla = CAPA.leer(datos, **filtros)
    vista, contorno = nacional.vista_mapa(
        datos, entidad, mapas.contorno_municipio(datos, municipio)
    )
    por_municipio = agrupar != EN_ENTIDAD
    total_ranking, _ = RANKING.total_y_lugar(datos, {**filtros, "por_municipio": por_municipio}, "")
    detalle, encontrada = _ficha(datos, folio, anio)
    # la tabla abre en la página de la obra elegida (si está en la vista)
    total, lugar = TABLA.total_y_lugar(datos, filtros, buscar, "folio", folio, tabla=tabla)
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
                    nacional.campo_entidad(ID["entidad"], datos, entidad),
                    campo(
                        "Municipio",
                        dcc.Dropdown(
                            id=ID["municipio"],
                            options=nacional.opciones_filtro_municipio(datos, entidad, municipio),
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
            avisos.no_reconocidos(ID["aviso"], no_reconocidos, "las obras", bool(filtros)),
            html.P(
                figuras.resumen(tabla),
                id=ID["resumen"],
                className="resumen-filtros",
                role="status",
            ),
            avisos.quitar_filtros(ID["vacio"], "/obras", tabla.empty),
            bloque_mapa(
                ID["mapa"],
                figuras.figura_mapa(tabla, vista=vista, entidad=contorno, elegida=folio),
                "Mapa: cada punto es una obra, con el color de su semáforo (la leyenda "
                "dice qué significa cada color). Toque un punto para ver la ficha de "
                "la obra. Si no caben todas, los círculos grises cuentan por municipio las "
                "que no se dibujan. La tabla de abajo tiene los mismos datos.",
            ),
            descargar_vista(
                ID["descarga"],
                "obras",
                {
                    "anio": anio,
                    "municipio": municipio,
                    "entidad": entidad,
                    "nivel": niveles,
                    "estatus": estatus,
                    "contratista": contratista,
                    "alerta": alerta,
                    "semaforo": luces,
                    "monto_min": _entrada_monto(ID["monto-min"], minimo).value,
                    "monto_max": _entrada_monto(ID["monto-max"], maximo).value,
                },
                version=datos.id,
                que="las obras de esta vista (mapa y tabla)",
            ),
            html.H2("Tabla de obras"),
            tablas.busqueda(ID["buscar"], buscar, espera=ESPERA_BUSQUEDA),
            tablas.tabla(
                ID["tabla"],
                figuras.COLUMNAS,
                [],
                descripcion="Obras públicas con su monto, avance, semáforo y alertas",
                id_fila="folio",
                seleccion=True,
                filas_por_pagina=FILAS_POR_PAGINA,
                columnas_telefono=figuras.COLUMNAS_TELEFONO,
                seleccionadas=[folio] if folio else None,
                por_bloques=True,
                total=total,
                pagina=lugar // FILAS_POR_PAGINA if lugar else None,
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
                        "Las obras que cumplen los filtros de arriba, por contratista: número, "
                        "monto aprobado, su parte del monto de esas obras en el municipio (o en "
                        "la entidad), la parte adjudicada directamente y cuántas tienen alertas, "
                        "sobregiro (ejercido mayor que el aprobado) o retraso (término vencido "
                        "sin terminar). El nombre abre todas las obras del contratista. Las "
                        "obras sin contratista publicado van aparte, al final."
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
                    html.P(
                        figuras_contratista.total_ranking(total_ranking, por_municipio),
                        id=ID["contratistas-total"],
                        className="resumen-filtros",
                        role="status",
                    ),
                    figuras_contratista.tabla_ranking(
                        ID["contratistas"], total_ranking, por_municipio
                    ),
                ],
                id="contratistas",
                className="contratistas",
            ),
        ],
        className="pagina pagina-obras",
    )


# --- datos (capas) --------------------------------------------------------------------------


def _publicados(datos) -> tuple[list[int], list, list, list]:
    """Años, niveles de gobierno, estatus y contratistas publicados (las opciones de los
    filtros), una vez por versión."""
    todas = capas.tabla_obras(datos)
    return (
        [int(a) for a in valores(datos.tabla("obras"), "anio")],
        valores(todas, "nivel_gobierno"),
        valores(todas, "estatus"),
        valores(todas, "contratista"),
    )


def filtros_de_la_pagina(datos, valores_url) -> tuple[dict, list]:
    """Filtros de ``CAPA`` desde la URL o los controles (modo tolerante) y lo no reconocido.

    El resultado va tal cual a ``CAPA.leer`` y a ``descargas.url_descarga("obras", ...)``:
    la página y la descarga muestran las mismas obras. El municipio es uno solo (la página
    tiene un desplegable simple): varios en la URL se nombran como no reconocidos.
    """
    filtros, no_reconocidos = leer_parametros(CAPA, valores_url, datos, estricto=False)
    if isinstance(filtros.get("municipio"), list):
        varios = filtros.pop("municipio")
        no_reconocidos.append(
            NoReconocido("municipio", ",".join(varios), "La página muestra un municipio a la vez.")
        )
    return filtros, no_reconocidos


# --- callbacks ------------------------------------------------------------------------------


@callback(
    Output(ID["mapa"], "figure"),
    Output(ID["resumen"], "children"),
    Output(ID["limites"], "data"),
    Output(ID["rango"], "children"),
    Output(ID["vacio"], "hidden"),
    *[Input(*CONTROLES[nombre]) for nombre in FILTROS],
    Input(ID["folio"], "data"),
    State(ID["version"], "data"),
    prevent_initial_call=True,
)
@respuestas.pura
def actualizar(*entradas):
    """Filtros -> capas -> mapa (``Patch``: solo valores), resumen y encuadre.

    La obra elegida siempre se dibuja, aunque no esté entre las ``MAXIMO_PUNTOS`` que el mapa
    dibuja primero: al cambiar un filtro va en el ``Patch``, y al elegir una que no se veía
    se redibujan solo los puntos (sin tocar el encuadre ni el resumen). Las filas de la tabla
    no van aquí: la tabla las pide por bloques (:func:`bloque_tabla`).
    """
    *valores, folio, version = entradas
    datos = datos_servidos(version)
    filtros, _ = filtros_de_la_pagina(datos, dict(zip(FILTROS, valores, strict=True)))
    tabla = CAPA.leer(datos, **filtros)
    vista, contorno = nacional.vista_mapa(
        datos, filtros.get("entidad"), mapas.contorno_municipio(datos, filtros.get("municipio"))
    )
    if seleccion.solo_por(ID["folio"]):
        if not figuras.falta_en_el_mapa(tabla, folio):
            return (dash.no_update,) * 5
        return (figuras.parche_mapa(tabla, vista=vista, elegida=folio), *(dash.no_update,) * 4)
    otra_entidad = nacional.disparo() == ID["entidad"] and nacional.es_nacional(datos)
    return (
        nacional.cambiar_contorno(
            figuras.parche_mapa(tabla, vista=vista, elegida=folio),
            contorno if otra_entidad else None,
        ),
        figuras.resumen(tabla),
        mapa_puntos.datos_vista(vista),
        figuras.texto_rango(filtros.get("monto_min"), filtros.get("monto_max")),
        not tabla.empty,
    )


@callback(
    Output(ID["folio"], "data"),
    Input(ID["tabla"], "selectedRows"),
    Input(ID["mapa"], "clickData"),
    Input(ID["cerrar"], "n_clicks"),
    State(ID["folio"], "data"),
    prevent_initial_call=True,
)
@respuestas.pura
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
@respuestas.pura
def mostrar_ficha(folio, anio, version):
    """Ficha de la obra elegida (capas: estado, historial y alertas con sus números)."""
    detalle, encontrada = _ficha(datos_servidos(version), folio, anio)
    return detalle, figuras.estado_seleccion(folio, encontrada), not (folio and encontrada)


@callback(
    Output(ID["contratistas"], "columnDefs"),
    Output(ID["contratistas-total"], "children"),
    *[Input(*CONTROLES[nombre]) for nombre in FILTROS],
    Input(ID["agrupar"], "value"),
    State(ID["version"], "data"),
    prevent_initial_call=True,
)
@respuestas.pura
def actualizar_contratistas(*entradas):
    """Columnas y total del ranking de contratistas con los filtros de la página.

    Las filas no van aquí: la tabla las pide por bloques (:func:`bloque_contratistas`). Las
    columnas solo cambian al agrupar de otra manera (con o sin municipio).
    """
    *valores, agrupar, version = entradas
    datos = datos_servidos(version)
    filtros = _filtros_ranking(
        datos, {**dict(zip(FILTROS, valores, strict=True)), "agrupar": agrupar}
    )
    total, _ = RANKING.total_y_lugar(datos, filtros, "")
    por_municipio = filtros["por_municipio"]
    columnas = (
        tablas.columnas_por_bloques(figuras_contratista.columnas_ranking(por_municipio))
        if ctx.triggered_id == ID["agrupar"]
        else dash.no_update
    )
    return columnas, figuras_contratista.total_ranking(total, por_municipio)


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
    return [
        *figuras.ficha(
            obra,
            capas.historial_obra(datos, folio),
            capas.alertas_de_obra(datos, folio, anio),
            anio=anio,
        ),
        enlace_suscribirse("obra", folio),
        # reportes ciudadanos de la obra y formulario para reportar (tablero.reportes)
        reportes_de_la_ficha("obra", folio, obra.get("nombre")),
    ], True


def _lista(valor) -> list:
    """Valor de un filtro de varios valores como lista (para los controles)."""
    if valor is None:
        return []
    return list(valor) if isinstance(valor, list) else [valor]


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


def _sin_datos(mensaje: str) -> html.Div:
    return html.Div([html.H1(TITULO), html.P(mensaje)], className="pagina pagina-obras")
