"""Página de escuelas: cobertura del programa de uniformes y útiles escolares por escuela.

Mapa de las escuelas coloreadas por su semáforo de cobertura y una tabla con los mismos datos
(su alternativa en texto). Los filtros (ciclo, municipio, nivel, semáforo y la búsqueda de la
tabla) viven en la URL: ``/escuelas?anio=2024&municipio=20067&nivel=PRIMARIA``.
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
    dcc,
    html,
)

import capas
from capas.parametros import NoReconocido, leer_parametros
from tablero import avisos, mapas, nacional, paginado, respuestas, seleccion, tablas, url
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
from tablero.figuras import escuelas as figuras
from tablero.figuras import puntos as mapa_puntos
from tablero.reportes import fichas as reportes_fichas

dash.register_page(
    __name__,
    path="/escuelas",
    name="Escuelas",
    title=titulo_pagina("Escuelas"),
    order=2,
)

PAGINA = "escuelas"
TITULO = "Escuelas: uniformes y útiles escolares"
ID = {
    nombre: f"{PAGINA}-{nombre}"
    for nombre in (
        "anio",
        "municipio",
        "entidad",
        "nivel",
        "semaforo",
        "buscar",
        "mapa",
        "tabla",
        "resumen",
        "version",
        "limites",
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
    "semaforo": (ID["semaforo"], "value"),
    "buscar": (ID["buscar"], "value"),
}
#: La capa que muestra la página: sus filtros son los de la URL y los de la descarga.
CAPA = capas.capa("escuelas")
#: Filtros de la capa que vienen de los controles, en el orden de las entradas.
FILTROS = ("anio", "municipio", "nivel", "semaforo", "entidad")
#: La tabla de escuelas se sirve por bloques (búsqueda y orden en ``capas.paginado``).
TABLA = paginado.TablaServida(
    PAGINA,
    leer=CAPA.leer,
    filas=figuras.filas,
    directas={
        "cct": "cct",
        "nombre": "nombre",
        "municipio": "municipio",
        "inscritos": "alumnos_inscritos",
        "atendidos": "alumnos_atendidos",
        "cobertura": "cobertura",
    },
    derivadas=("nivel", "semaforo_cobertura", "cobertura_excedida"),
    columnas_texto=("cct", "nombre", "nivel", "municipio", "semaforo"),
)
#: Filas por página de la tabla de escuelas.
FILAS_POR_PAGINA = 10
#: Segundos sin escribir tras los que la búsqueda de la tabla va al servidor.
ESPERA_BUSQUEDA = 0.3

url.sincronizar_url(PAGINA, CONTROLES)
# Modo nacional: el encabezado dice la entidad elegida en la lista.
elegir_entidad = nacional.conectar_entidad(ID["entidad"], ID["municipio"], ID["version"])
conectar_descargar_vista(
    ID["descarga"], "escuelas", CONTROLES, ID["version"], aviso=(ID["aviso"], "las escuelas")
)
# la tabla pide sus filas por bloques; otra búsqueda u otros filtros: las vuelve a pedir
bloque_tabla = paginado.conectar(
    TABLA,
    ID["tabla"],
    id_version=ID["version"],
    controles={n: CONTROLES[n] for n in FILTROS},
    filtros=lambda datos, valores: filtros_de_la_pagina(datos, valores)[0],
    id_busqueda=ID["buscar"],
)
# Reportes ciudadanos de la escuela buscada (tablero.reportes.fichas).
reportes_fichas.conectar_escuelas(ID["buscar"])
# El navegador ajusta el acercamiento al ancho real del mapa (assets/mapas.js), al abrir y
# cada vez que cambian los límites (otro municipio): no va al servidor.
clientside_callback(
    ClientsideFunction(namespace="sigue_mapas", function_name="ajustar_acercamiento"),
    Output(ID["mapa"], "figure", allow_duplicate=True),
    Input(ID["limites"], "data"),
    State(ID["mapa"], "id"),
    prevent_initial_call="initial_duplicate",
)


@respuestas.pura
def layout(buscar=None, **parametros) -> html.Div:
    """La página con los filtros de la URL ya aplicados (mapa y tabla incluidos).

    Los filtros se leen con la declaración de la capa (la misma de la descarga); lo que no
    se reconoce se ignora y se nombra en un aviso. Sin año, el ciclo más reciente.
    """
    datos = datos_servidos()
    if datos is None:
        return _sin_datos("Todavía no hay datos publicados en este tablero.")
    anios = datos.anios_escolares
    if not anios:
        return _sin_datos("Esta versión de los datos no tiene escuelas ni matrícula.")
    filtros, no_reconocidos = filtros_de_la_pagina(datos, parametros)
    anio, municipio = filtros["anio"], filtros.get("municipio")
    entidad = filtros.get("entidad")
    anio_leido = parametros.get("anio") and all(n.nombre != "anio" for n in no_reconocidos)
    otros = bool(set(filtros) - {"anio"}) or bool(anio_leido)
    niveles, luces = _lista(filtros.get("nivel")), _lista(filtros.get("semaforo"))
    tabla = CAPA.leer(datos, **filtros)
    vista, contorno = nacional.vista_mapa(
        datos, entidad, mapas.contorno_municipio(datos, municipio)
    )
    total, _ = TABLA.total_y_lugar(datos, filtros, buscar, tabla=tabla)
    return html.Div(
        [
            url.almacen_url(PAGINA, CONTROLES),
            dcc.Store(id=ID["version"], data=datos.id),
            dcc.Store(id=ID["limites"], data=mapa_puntos.datos_vista(vista)),
            html.H1(TITULO),
            html.P(
                "Cobertura del programa de uniformes y útiles escolares gratuitos en cada "
                "escuela pública de preescolar, primaria y secundaria: alumnos que recibieron "
                "el beneficio entre alumnos inscritos. El semáforo nunca va solo en color: "
                "cada luz lleva icono y texto.",
                className="pagina__intro",
            ),
            html.Section(
                [
                    html.H2("Filtros", className="filtros__titulo"),
                    campo(
                        "Ciclo escolar",
                        dcc.Dropdown(
                            id=ID["anio"],
                            options=figuras.opciones_anio(anios),
                            value=anio,
                            clearable=False,
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
                            searchable=True,
                            labels=TEXTOS_LISTA,
                        ),
                    ),
                    grupo_opciones(
                        "Nivel (sin marcar: todos)",
                        dcc.Checklist(
                            id=ID["nivel"],
                            options=figuras.opciones_nivel(),
                            value=niveles,
                            inline=True,
                        ),
                    ),
                    grupo_opciones(
                        "Semáforo de cobertura (sin marcar: todos)",
                        dcc.Checklist(
                            id=ID["semaforo"], options=figuras.opciones_semaforo(), value=luces
                        ),
                    ),
                ],
                className="filtros",
                **{"aria-label": "Filtros"},
            ),
            avisos.no_reconocidos(
                ID["aviso"], no_reconocidos, f"las escuelas del ciclo {anio}-{anio + 1}", otros
            ),
            html.P(
                figuras.resumen(tabla, anio),
                id=ID["resumen"],
                className="resumen-filtros",
                role="status",
            ),
            avisos.quitar_filtros(ID["vacio"], "/escuelas", tabla.empty),
            bloque_mapa(
                ID["mapa"],
                figuras.figura_mapa(tabla, vista=vista, entidad=contorno, elegida=buscar),
                "Mapa: cada punto es una escuela, con el color de su semáforo de "
                "cobertura (la leyenda dice qué significa cada color). Toque o pase "
                "sobre un punto para ver la escuela; al tocarlo, la tabla la busca. "
                "Si no caben todas, los círculos grises cuentan por municipio las que no "
                "se dibujan. La tabla de abajo tiene los mismos datos.",
            ),
            descargar_vista(
                ID["descarga"],
                "escuelas",
                {
                    "anio": anio,
                    "municipio": municipio,
                    "entidad": entidad,
                    "nivel": niveles,
                    "semaforo": luces,
                },
                version=datos.id,
                que="las escuelas de esta vista (mapa y tabla)",
            ),
            html.H2("Tabla de escuelas"),
            tablas.busqueda(ID["buscar"], buscar, espera=ESPERA_BUSQUEDA),
            tablas.tabla(
                ID["tabla"],
                figuras.COLUMNAS,
                [],
                descripcion="Escuelas con su cobertura y semáforo",
                id_fila="cct",
                filas_por_pagina=FILAS_POR_PAGINA,
                columnas_telefono=figuras.COLUMNAS_TELEFONO,
                por_bloques=True,
                total=total,
            ),
            reportes_fichas.bloque_escuela(buscar),
        ],
        className="pagina pagina-escuelas",
    )


def filtros_de_la_pagina(datos, valores_url) -> tuple[dict, list]:
    """Filtros de ``CAPA`` desde la URL o los controles (modo tolerante) y lo no reconocido.

    El resultado va tal cual a ``CAPA.leer`` y a ``descargas.url_descarga("escuelas", ...)``.
    Siempre lleva un año (sin él, el ciclo más reciente, como el desplegable); el municipio
    es uno solo (desplegable simple): varios en la URL se nombran como no reconocidos.
    """
    filtros, no_reconocidos = leer_parametros(CAPA, valores_url, datos, estricto=False)
    if isinstance(filtros.get("municipio"), list):
        varios = filtros.pop("municipio")
        no_reconocidos.append(
            NoReconocido("municipio", ",".join(varios), "La página muestra un municipio a la vez.")
        )
    filtros.setdefault("anio", datos.anios_escolares[-1])
    return filtros, no_reconocidos


@callback(
    Output(ID["mapa"], "figure"),
    Output(ID["resumen"], "children"),
    Output(ID["limites"], "data"),
    Output(ID["vacio"], "hidden"),
    Input(ID["anio"], "value"),
    Input(ID["municipio"], "value"),
    Input(ID["nivel"], "value"),
    Input(ID["semaforo"], "value"),
    Input(ID["buscar"], "value"),
    Input(ID["entidad"], "value"),
    State(ID["version"], "data"),
    prevent_initial_call=True,
)
@respuestas.pura
def actualizar(anio, municipio, niveles, luces, buscar, entidad, version):
    """Filtros -> capas -> mapa (``Patch``: solo valores) y resumen.

    La escuela buscada por su CCT siempre se dibuja, aunque no esté entre las
    ``MAXIMO_PUNTOS`` que el mapa dibuja primero: al cambiar un filtro va en el ``Patch``, y
    al buscar una que no se veía se redibujan solo los puntos. Las filas de la tabla no van
    aquí: la tabla las pide por bloques (:func:`bloque_tabla`).
    """
    datos = datos_servidos(version)
    filtros, _ = filtros_de_la_pagina(
        datos,
        {
            "anio": anio,
            "municipio": municipio,
            "entidad": entidad,
            "nivel": niveles,
            "semaforo": luces,
        },
    )
    tabla = CAPA.leer(datos, **filtros)
    vista, contorno = nacional.vista_mapa(
        datos, filtros.get("entidad"), mapas.contorno_municipio(datos, filtros.get("municipio"))
    )
    if seleccion.solo_por(ID["buscar"]):
        if not figuras.falta_en_el_mapa(tabla, buscar):
            return (dash.no_update,) * 4
        return (figuras.parche_mapa(tabla, vista=vista, elegida=buscar), *(dash.no_update,) * 3)
    otra_entidad = nacional.disparo() == ID["entidad"] and nacional.es_nacional(datos)
    return (
        nacional.cambiar_contorno(
            figuras.parche_mapa(tabla, vista=vista, elegida=buscar),
            contorno if otra_entidad else None,
        ),
        figuras.resumen(tabla, filtros["anio"]),
        mapa_puntos.datos_vista(vista),
        not tabla.empty,
    )


@callback(
    Output(ID["buscar"], "value"),
    Input(ID["mapa"], "clickData"),
    prevent_initial_call=True,
)
@respuestas.pura
def buscar_escuela_del_mapa(clic):
    """Al tocar una escuela en el mapa, la tabla la busca por su clave (CCT)."""
    punto = (clic or {}).get("points", [{}])[0]
    return punto.get("customdata") or dash.no_update


def _lista(valor) -> list:
    """Valor de un filtro de varios valores como lista (para los controles)."""
    if valor is None:
        return []
    return list(valor) if isinstance(valor, list) else [valor]


def _sin_datos(mensaje: str) -> html.Div:
    return html.Div([html.H1(TITULO), html.P(mensaje)], className="pagina pagina-escuelas")
