"""Modo nacional en el tablero: filtro de entidad en la URL y mapa entidad -> municipios.

Una versión es nacional cuando sus municipios son de más de una entidad
(:func:`capas.entidades.es_nacional`). Entonces la página de inicio:

- sin ``?entidad=`` muestra las entidades (unos 32 polígonos simplificados, agregados con
  :func:`capas.entidades.tabla_entidades`) y las cifras de todo el país («México»);
- con ``?entidad=17`` muestra los municipios de esa entidad (su geometría, no la del país)
  y sus cifras. Tocar una entidad en el mapa o elegirla en la lista lleva a esa dirección.

Con una sola entidad nada de esto se usa: las páginas quedan como siempre. La geometría de
cada vista se arma una vez por versión (``datos.memo``); el mapa de los 2,465 municipios del
país nunca se manda entero.
"""

from __future__ import annotations

import json

import dash
import pandas as pd
import shapely
from dash import dcc

import capas
from almacen.entidades import NACIONAL, lugar_configurado, nombre_entidad
from capas.busqueda import clave_busqueda
from capas.entidades import (
    entidad_elegida,
    entidades,
    es_nacional,
    lugar_de,
    municipios_de,
    nombres_municipios,
    tabla_entidades,
)
from capas.lectura import DatosVersion
from tablero import mapas, respuestas
from tablero.componentes import TEXTOS_LISTA, campo, opciones_municipios, opciones_municipios_de

#: Tolerancia (grados, ~3 km) de la simplificación de los contornos de las entidades, área
#: mínima (grados², ~6 km²) de una isla que se dibuja y decimales de las coordenadas (3
#: decimales ~ 100 m). Con ellos las 32 entidades pesan unos 52 kB.
TOLERANCIA_ENTIDADES = 0.03
AREA_MINIMA_ISLA = 0.0005
DECIMALES_ENTIDADES = 3

#: Valor de la lista de entidades que significa «todo el país».
TODO_EL_PAIS = NACIONAL


def lugar(datos: DatosVersion | None, entidad: str | None) -> str | None:
    """Nombre del lugar de la vista: la entidad elegida o «México» en una versión nacional.

    ``None`` con una sola entidad (las páginas dicen lo de siempre).
    """
    if datos is None or not es_nacional(datos):
        return None
    return nombre_entidad(entidad)


def geojson_entidades(datos: DatosVersion) -> dict:
    """GeoJSON de las entidades (propiedad ``cvegeo`` = clave de 2 dígitos), una vez por versión.

    Unión de los municipios de cada entidad y simplificación de cobertura
    (``shapely.coverage_simplify``): sin huecos ni traslapes entre entidades vecinas.
    """
    return datos.memo(("nacional", "geojson_entidades"), lambda: _geojson_entidades(datos))


def _geojson_entidades(datos: DatosVersion) -> dict:
    capa = datos.tabla("municipios")
    claves = capa["cvegeo"].astype(str).str[:2].to_numpy()
    orden = entidades(datos)
    contornos = [
        _sin_islas(shapely.union_all(capa.geometry.values[claves == clave])) for clave in orden
    ]
    simples = shapely.set_precision(
        shapely.simplify(contornos, TOLERANCIA_ENTIDADES), 10**-DECIMALES_ENTIDADES
    )
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"cvegeo": clave},
                "geometry": json.loads(shapely.to_geojson(geometria)),
            }
            for clave, geometria in zip(orden, simples, strict=True)
        ],
    }


def _sin_islas(contorno: shapely.Geometry) -> shapely.Geometry:
    """Los polígonos de ``contorno`` sin huecos (astillas entre municipios) ni islas menores
    que :data:`AREA_MINIMA_ISLA` (siempre queda el mayor)."""
    partes = shapely.get_parts(contorno)
    areas = shapely.area(partes)
    grandes = (areas >= AREA_MINIMA_ISLA) | (areas == areas.max())
    return shapely.multipolygons(
        [shapely.polygons(shapely.get_exterior_ring(p)) for p in partes[grandes]]
    )


def contorno_pais(datos: DatosVersion) -> dict:
    """Contorno del país (unión de las entidades), fondo gris de «sin dato» del mapa."""

    def calcular():
        rasgos = geojson_entidades(datos)["features"]
        union = shapely.union_all([shapely.from_geojson(json.dumps(r["geometry"])) for r in rasgos])
        union = shapely.set_precision(
            shapely.simplify(_sin_islas(union), TOLERANCIA_ENTIDADES), 10**-DECIMALES_ENTIDADES
        )
        return {
            "type": "Feature",
            "properties": {},
            "geometry": json.loads(shapely.to_geojson(union)),
        }

    return datos.memo(("nacional", "contorno_pais"), calcular)


def geojson_municipios_de(datos: DatosVersion, entidad: str) -> dict:
    """GeoJSON de los municipios de ``entidad`` (solo ``cvegeo``), una vez por versión."""
    return datos.memo(
        ("nacional", "geojson_municipios", entidad),
        lambda: mapas.geojson_de(_municipios_de(datos, entidad)),
    )


def contorno_entidad(datos: DatosVersion, entidad: str) -> dict | None:
    """Contorno de ``entidad`` (el de :func:`geojson_entidades`) como ``Feature``."""
    for rasgo in geojson_entidades(datos)["features"]:
        if rasgo["properties"]["cvegeo"] == entidad:
            return rasgo
    return None


def limites(datos: DatosVersion, entidad: str | None) -> tuple[float, float, float, float]:
    """Límites ``(oeste, sur, este, norte)`` de ``entidad`` o, sin ella, del país."""

    def calcular():
        capa = datos.tabla("municipios") if entidad is None else _municipios_de(datos, entidad)
        return tuple(float(v) for v in capa.total_bounds)

    return datos.memo(("nacional", "limites", entidad), calcular)


def _municipios_de(datos: DatosVersion, entidad: str):
    capa = datos.tabla("municipios")
    return capa[capa["cvegeo"].astype(str).str.startswith(entidad).to_numpy()]


def tabla_mapa(datos: DatosVersion, anio: int, entidad: str | None) -> pd.DataFrame:
    """Filas del mapa y de la tabla: las entidades (sin ``entidad``) o sus municipios.

    Una vez por versión, ciclo y entidad; de solo lectura.
    """
    anio = int(anio)
    if entidad is None:
        return datos.memo(("nacional", "entidades", anio), lambda: tabla_entidades(datos, anio))
    return datos.memo(
        ("nacional", "municipios", anio, entidad),
        lambda: capas.tabla_municipios(datos, anio=anio, municipio=municipios_de(datos, entidad)),
    )


def cifras(datos: DatosVersion, anio: int, entidad: str | None) -> pd.DataFrame:
    """Una fila con las cifras de la vista: la entidad elegida o todo el país.

    Mismas columnas que :func:`capas.tabla_estado` que usan las tarjetas de la portada.
    """
    if entidad is None:
        return capas.tabla_estado(datos, anio=int(anio))
    tabla = tabla_mapa(datos, anio, None)
    return tabla[tabla["cvegeo"] == entidad].reset_index(drop=True)


def opciones_entidades(datos: DatosVersion) -> list[dict]:
    """Opciones de la lista de entidades: «Todo el país» y las entidades por nombre."""
    claves = sorted(entidades(datos), key=lambda c: nombre_entidad(c))
    return [{"label": "Todo el país", "value": TODO_EL_PAIS}] + [
        {"label": nombre_entidad(c), "value": c} for c in claves
    ]


def enlace_entidad(entidad: str | None, anio=None, indicador: str | None = None) -> str:
    """Dirección de la portada con ``entidad`` (sin ella, todo el país), ciclo e indicador."""
    partes = []
    if entidad and entidad != TODO_EL_PAIS:
        partes.append(f"entidad={entidad}")
    if indicador:
        partes.append(f"indicador={indicador}")
    if anio:
        partes.append(f"anio={int(anio)}")
    return dash.get_relative_path("/") + (f"?{'&'.join(partes)}" if partes else "")


def filas_entidades(tabla: pd.DataFrame, anio: int, filas: list[dict]) -> list[dict]:
    """Filas de la tabla alternativa de entidades: el nombre lleva a la entidad, no a un perfil."""
    for fila, (clave, nombre) in zip(
        filas, zip(tabla["cvegeo"], tabla["municipio"], strict=True), strict=True
    ):
        fila["municipio"] = f"[{nombre}]({enlace_entidad(clave, anio)})"
    return filas


__all__ = [
    "TODO_EL_PAIS",
    "campo_entidad",
    "lugar_sitio",
    "nombres_lista",
    "opciones_entidades_filtro",
    "cambiar_contorno",
    "conectar_entidad",
    "disparo",
    "vista_mapa",
    "vista_puntos",
    "cifras",
    "contorno_entidad",
    "enlace_entidad",
    "entidad_elegida",
    "es_nacional",
    "filas_entidades",
    "geojson_entidades",
    "geojson_municipios_de",
    "geometria",
    "limites",
    "lugar",
    "nombres_municipios",
    "opciones_buscadas",
    "opciones_buscar_municipio",
    "opciones_filtro_municipio",
    "opciones_entidades",
    "pie_entidades",
    "tabla_mapa",
    "titulo_mapa",
]


def geometria(datos: DatosVersion, entidad: str | None) -> tuple[dict, tuple, dict | None]:
    """``(geojson, límites, contorno)`` del mapa: las entidades o los municipios de una."""
    if entidad is None:
        return geojson_entidades(datos), limites(datos, None), contorno_pais(datos)
    return (
        geojson_municipios_de(datos, entidad),
        limites(datos, entidad),
        contorno_entidad(datos, entidad),
    )


def titulo_mapa(lugar: str | None, entidad: str | None) -> str:
    """Título de la sección del mapa: de las entidades, de los municipios de una, o el de siempre."""
    if lugar is None:
        return "Mapa de los municipios"
    if entidad is None:
        return "Mapa de las entidades"
    return f"Mapa de los municipios de {lugar}"


def pie_entidades(texto: str) -> str:
    """El pie del mapa de municipios (:func:`tablero.figuras.inicio.pie_mapa`) dicho de entidades."""
    for antes, despues in (
        (" por municipio,", " por entidad,"),
        (" del municipio", " de la entidad"),
        (" en el municipio", " en la entidad"),
        (" municipios sin dato", " entidades sin dato"),
        (" municipio sin dato", " entidad sin dato"),
    ):
        texto = texto.replace(antes, despues)
    return texto


#: Opciones que manda el buscador de municipios del país por cada consulta.
OPCIONES_POR_BUSQUEDA = 20


def opciones_buscadas(
    datos: DatosVersion, consulta: str | None, limite: int = OPCIONES_POR_BUSQUEDA
) -> list[dict]:
    """Hasta ``limite`` municipios del país que coinciden con ``consulta``.

    En la vista del país no se mandan los 2,465 municipios en la página (~230 kB): el
    buscador pide al servidor las opciones de lo que se escribe (dos letras o más). Cada
    palabra escrita debe estar en el nombre (:func:`capas.busqueda.clave_busqueda`: sin
    acentos ni mayúsculas).
    """
    clave = clave_busqueda(consulta)
    if len(clave) < 2:
        return []
    partes = clave.split()
    todas = opciones_buscar_municipio(datos, None)
    return [o for o in todas if all(p in o["search"] for p in partes)][:limite]


# --- páginas con filtro de entidad (/obras, /escuelas) y título del sitio ------------------


def lugar_sitio(datos: DatosVersion | None, pedida=None) -> str:
    """Nombre del lugar del sitio («Sigue el dinero …»): :func:`capas.entidades.lugar_de`;
    sin versión, la entidad de ``SIGUE_ESTADO``."""
    if datos is None:
        return lugar_configurado()
    return lugar_de(datos, pedida)


def opciones_entidades_filtro(datos: DatosVersion) -> list[dict]:
    """Opciones del filtro «Entidad» de las páginas: las entidades por nombre (vacío = país),
    con su clave de búsqueda (sin acentos ni mayúsculas)."""
    return [
        {**opcion, "search": clave_busqueda(opcion["label"])}
        for opcion in opciones_entidades(datos)[1:]
    ]


def campo_entidad(id_: str, datos: DatosVersion, elegida: str | None):
    """Filtro «Entidad» de una página; en una versión de una sola entidad, oculto.

    Oculto sigue en la página (los callbacks y la URL lo leen) con su única entidad.
    """
    control = dcc.Dropdown(
        id=id_,
        options=opciones_entidades_filtro(datos),
        value=elegida,
        placeholder="Todo el país (escriba para buscar)",
        labels=TEXTOS_LISTA,
    )
    envoltura = campo("Entidad", control)
    # Lo que usa la búsqueda de municipios en el servidor (:func:`conectar_entidad`): si la
    # versión es nacional y lo escrito en la lista de municipios.
    envoltura.children += [
        dcc.Store(id=f"{id_}-nacional", data=es_nacional(datos)),
        dcc.Store(id=f"{id_}-consulta"),
    ]
    if not es_nacional(datos):
        envoltura.hidden = True
    return envoltura


def nombres_lista(datos: DatosVersion, entidad: str | None) -> dict[str, str]:
    """Municipios del filtro «Municipio»: los de ``entidad`` o, sin ella, todos (en el país,
    con el nombre de su entidad)."""
    if not es_nacional(datos):
        return datos.nombres_municipios
    return datos.memo(
        ("nacional", "nombres_lista", entidad), lambda: nombres_municipios(datos, entidad)
    )


def vista_mapa(datos: DatosVersion, entidad: str | None, municipio: dict | None):
    """``(Vista, contorno)`` de un mapa de puntos con el filtro de entidad y el municipio.

    La revisión de la vista lleva la entidad: al elegir otra, el mapa la encuadra aunque la
    persona haya movido el mapa.
    """
    from dataclasses import replace

    from tablero.figuras import puntos

    limites_vista, contorno = vista_puntos(datos, entidad)
    vista = puntos.vista(limites_vista, municipio)
    if entidad and es_nacional(datos) and vista.revision == "entidad":
        vista = replace(vista, revision=f"entidad-{entidad}")
    return vista, contorno


def conectar_entidad(id_entidad: str, id_municipio: str, id_version: str):
    """Registra los callbacks de la lista «Entidad» de una página (``/obras``, ``/escuelas``).

    Al elegir otra entidad (la dirección cambia sin recargar): el encabezado («Sigue el dinero
    …») la nombra, la lista ``id_municipio`` trae solo sus municipios y el municipio elegido,
    si es de otra, se quita. Devuelve el callback de la lista (para probarlo).
    """
    from tablero.componentes import titulo_sitio
    from tablero.datos import datos_servidos

    @dash.callback(
        dash.Output("marca", "children", allow_duplicate=True),
        dash.Input(id_entidad, "value"),
        prevent_initial_call=True,
    )
    @respuestas.pura
    def _marca(entidad):
        return titulo_sitio(lugar_sitio(datos_servidos(), entidad))

    @dash.callback(
        dash.Output(id_municipio, "options"),
        dash.Output(id_municipio, "value", allow_duplicate=True),
        dash.Input(id_entidad, "value"),
        dash.State(id_municipio, "value"),
        dash.State(id_version, "data"),
        prevent_initial_call=True,
    )
    @respuestas.pura
    def elegir_entidad(entidad, municipio, version):
        """Otra entidad: sus municipios en la lista; el elegido, si es de otra, fuera. Todo
        el país: solo el elegido (los demás, al escribir)."""
        datos = datos_servidos(version)
        if datos is None:
            return dash.no_update, dash.no_update
        entidad = entidad_elegida(datos, entidad)
        fuera = municipio and entidad and not str(municipio).startswith(entidad)
        return (
            opciones_filtro_municipio(datos, entidad, None if fuera else municipio),
            None if fuera else dash.no_update,
        )

    # En el país (sin entidad) la lista de municipios busca en el servidor lo escrito: el
    # navegador solo pregunta con dos letras o más, en una versión nacional y sin entidad.
    dash.clientside_callback(
        """function (consulta, nacional, entidad) {
            var texto = (consulta || "").trim();
            if (!nacional || entidad || texto.length < 2) {
                return window.dash_clientside.no_update;
            }
            return texto;
        }""",
        dash.Output(f"{id_entidad}-consulta", "data"),
        dash.Input(id_municipio, "search_value"),
        dash.State(f"{id_entidad}-nacional", "data"),
        dash.State(id_entidad, "value"),
        prevent_initial_call=True,
    )

    @dash.callback(
        dash.Output(id_municipio, "options", allow_duplicate=True),
        dash.Input(f"{id_entidad}-consulta", "data"),
        dash.State(id_municipio, "value"),
        dash.State(id_version, "data"),
        prevent_initial_call=True,
    )
    @respuestas.pura
    def buscar_municipio(consulta, municipio, version):
        """Hasta :data:`OPCIONES_POR_FILTRO` municipios del país que coinciden con lo
        escrito, y el elegido."""
        datos = datos_servidos(version)
        if datos is None or not consulta:
            return dash.no_update
        encontradas = opciones_buscadas(datos, consulta, OPCIONES_POR_FILTRO)
        return _con_elegido(encontradas, datos, municipio)

    elegir_entidad.buscar = buscar_municipio
    return elegir_entidad


def opciones_buscar_municipio(datos: DatosVersion, entidad: str | None) -> list[dict]:
    """Opciones del buscador de municipios (portada y perfil): los de la entidad en el modo
    nacional (sin ella, los del país con el nombre de su entidad), todos los de la versión
    si no. Una vez por versión y entidad: **no se modifica**."""
    if es_nacional(datos):
        return datos.memo(
            ("nacional", "opciones_municipios", entidad),
            lambda: opciones_municipios(nombres_lista(datos, entidad)),
        )
    return opciones_municipios_de(datos)


#: Opciones que manda el filtro «Municipio» de ``/obras`` y ``/escuelas`` por cada búsqueda en
#: el país (sin entidad elegida).
OPCIONES_POR_FILTRO = 50


def opciones_filtro_municipio(
    datos: DatosVersion, entidad: str | None, elegido: str | None = None
) -> list[dict]:
    """Opciones del filtro «Municipio» de una página (``/obras``, ``/escuelas``).

    Con una sola entidad, todos los municipios; en el modo nacional con una entidad elegida,
    los suyos; en el país, solo el municipio ``elegido`` (si lo hay): los demás llegan al
    escribir (:func:`conectar_entidad`), porque los 2,465 pesan ~230 kB en cada página.
    """
    entidad = entidad_elegida(datos, entidad)
    if es_nacional(datos) and entidad is None:
        return _con_elegido([], datos, elegido)
    return opciones_buscar_municipio(datos, entidad)


def _con_elegido(opciones: list[dict], datos: DatosVersion, elegido: str | None) -> list[dict]:
    """``opciones`` con la del municipio ``elegido`` al principio si no está (la lista debe
    tenerla para mostrarlo)."""
    if not elegido or any(o["value"] == elegido for o in opciones):
        return opciones
    propia = [o for o in opciones_buscar_municipio(datos, None) if o["value"] == elegido]
    return propia + opciones


def disparo():
    """Id del control que disparó el callback en curso (``None`` fuera de un callback)."""
    try:
        return dash.ctx.triggered_id
    except (dash.exceptions.MissingCallbackContextException, LookupError):
        return None


def cambiar_contorno(parche: dash.Patch, contorno: dict | None) -> dash.Patch:
    """El contorno de referencia de un mapa de puntos (la última capa de ``layout.map``) en el
    ``Patch``: al elegir otra entidad se dibuja la suya (o el país)."""
    if contorno is not None:
        indice = len(mapas.estilo_mapa({}, 0).get("layers", []))
        parche["layout"]["map"]["layers"][indice]["source"] = contorno
    return parche


def vista_puntos(datos: DatosVersion, entidad: str | None):
    """``(límites, contorno)`` de un mapa de puntos: la entidad elegida o el país (nacional);
    con una sola entidad, los de siempre (``None`` sin municipios)."""
    if not datos.version.tiene("municipios"):
        return None, None
    if not es_nacional(datos):
        return mapas.limites_municipios(datos), mapas.geojson_entidad(datos)
    if entidad is None:
        return limites(datos, None), contorno_pais(datos)
    return limites(datos, entidad), contorno_entidad(datos, entidad)
