"""Página de metodología: indicadores, semáforos, alertas de obra y estados de los cajones.

Todo sale de :func:`capas.config.metodologia` y de las constantes de :mod:`capas.config`, la
misma configuración con la que se calculan las cifras: no hay una segunda copia de los
números. :func:`contenido` recibe los umbrales para poder probar que la página cambia con
ellos.
"""

from __future__ import annotations

import dash
from dash import dcc, html

from capas import REGISTRO
from capas.config import (
    ALERTAS_ROJAS,
    LECTURA_VARIACION,
    NOMBRES_ETAPAS,
    UMBRALES,
    Umbrales,
    metodologia,
)
from tablero import respuestas
from tablero.componentes import semaforo, titulo_pagina

TITULO = "Metodología"

dash.register_page(
    __name__,
    path="/metodologia",
    name=TITULO,
    title=titulo_pagina(TITULO),
    description="Cómo se calcula cada cifra del tablero: los seis indicadores del programa "
    "de uniformes y útiles, los semáforos del gasto y de cobertura y las alertas de obra.",
    order=6,
)

#: Títulos de las notas de cálculo de :data:`capas.config.NOTAS_METODOLOGIA`.
TITULOS_NOTAS = {
    "alcance": "Qué escuelas cuentan",
    "municipio_escuela": "Municipio de una escuela",
    "alumnos_distintos": "Alumnos distintos",
    "sin_dato": "Sin dato",
    "variacion": "Variaciones",
    "anio": "Año",
    "gasto_agregado": "Gasto de un municipio o de la entidad",
    "sin_doble_conteo": "Sin contar dos veces el mismo dinero",
    "presupuesto_aprobado": "Presupuesto aprobado",
    "esperado": "Gasto esperado",
    "obra_actual": "Estado de una obra",
    "municipio_obra": "Municipio de una obra",
}


@respuestas.pura
def layout(**_parametros) -> html.Div:
    """Página de metodología con los umbrales en vigor."""
    return contenido(UMBRALES)


def contenido(umbrales: Umbrales = UMBRALES) -> html.Div:
    """Contenido de la página con ``umbrales`` (por omisión, los que usa el tablero)."""
    datos = metodologia(umbrales)
    return html.Div(
        [
            html.H1(TITULO),
            html.P(
                "Aquí se explica cómo se calcula cada cifra del tablero: los seis indicadores "
                "del programa de uniformes y útiles escolares, los semáforos y las alertas de "
                "obra pública. Los números de esta página salen de la misma configuración con "
                "la que el tablero hace sus cuentas: si cambia un umbral, esta página cambia "
                "con él.",
                className="metodo-entradilla",
            ),
            _indice(),
            _seccion_indicadores(datos),
            _seccion_notas(datos),
            _seccion_gasto(datos, umbrales),
            _seccion_cobertura(datos, umbrales),
            _seccion_obras(datos, umbrales),
            _seccion_estacionamientos(datos),
            _seccion_umbrales(datos),
            _seccion_colores(datos),
        ],
        className="pagina-metodologia",
    )


# --- Secciones -----------------------------------------------------------------------------


def _indice() -> html.Nav:
    secciones = [
        ("indicadores", "Los seis indicadores"),
        ("reglas", "Reglas de cálculo"),
        ("semaforo-gasto", "Semáforo del gasto"),
        ("semaforo-cobertura", "Semáforo de cobertura"),
        ("alertas-obra", "Alertas de obra pública"),
        ("estados-cajon", "Estacionamientos"),
        ("umbrales", "Umbrales en vigor"),
        ("colores", "Colores y símbolos"),
    ]
    return html.Nav(
        html.Ul([html.Li(html.A(texto, href=f"#{id_}")) for id_, texto in secciones]),
        className="metodo-indice",
        **{"aria-label": "En esta página"},
    )


def _seccion_indicadores(datos: dict) -> html.Section:
    elementos = []
    for indicador in datos["indicadores"]:
        partes = [
            html.H3(f"{indicador.numero}. {indicador.nombre}"),
            html.P(indicador.definicion),
            html.P(["Cálculo: ", html.Span(indicador.formula, className="metodo-formula"), "."]),
        ]
        lectura = _lectura_variacion(indicador.numero)
        if lectura:
            partes.append(html.P(lectura))
        if indicador.columnas:
            partes.append(html.P(["En las descargas: ", *_columnas(indicador.columnas), "."]))
        else:
            partes.append(html.P("Se muestra en la página de inicio, por ciclo escolar."))
        elementos.append(html.Li(partes, className="metodo-indicador"))
    return _seccion(
        "indicadores",
        "Los seis indicadores",
        [
            html.P(
                "Son los indicadores del programa de uniformes y útiles escolares del Plan de "
                "Acción Local de Gobierno Abierto. El año de un ciclo escolar es el de su "
                "inicio (2024 = ciclo 2024-2025). Una división entre cero o un dato que falta "
                "se publica como «sin dato», nunca como 0."
            ),
            html.Ol(elementos, className="metodo-indicadores"),
        ],
    )


def _seccion_notas(datos: dict) -> html.Section:
    notas = datos["notas"]
    return _seccion(
        "reglas",
        "Reglas de cálculo",
        [
            html.Dl(
                [
                    parte
                    for clave, texto in notas.items()
                    for parte in (html.Dt(TITULOS_NOTAS.get(clave, clave)), html.Dd(texto))
                ],
                className="metodo-notas",
            )
        ],
    )


def _seccion_gasto(datos: dict, u: Umbrales) -> html.Section:
    etiquetas = datos["etiquetas_gasto"]
    avance = _enumerar([NOMBRES_ETAPAS[e] for e in datos["etapas_avance"]], "o")
    base = _enumerar([NOMBRES_ETAPAS[e] for e in datos["etapas_base"]], "o")
    filas = [
        (
            "verde",
            etiquetas["en_tiempo"],
            f"r es de al menos {_numero(u.gasto_verde)} (el avance llega al "
            f"{_pct(u.gasto_verde)} de lo esperado) y el avance no pasa del "
            f"{_pct(u.gasto_sobregiro)} del monto asignado.",
        ),
        (
            "amarillo",
            etiquetas["con_rezago"],
            f"r es de al menos {_numero(u.gasto_amarillo)} y menor que {_numero(u.gasto_verde)}.",
        ),
        ("rojo", etiquetas["rezago_grave"], f"r es menor que {_numero(u.gasto_amarillo)}."),
        (
            "rojo",
            etiquetas["sobregiro"],
            f"El avance pasa del {_pct(u.gasto_sobregiro)} del monto asignado: se usó más "
            "dinero del que se asignó.",
        ),
        ("gris", etiquetas["sin_dato"], "Falta el monto usado, el asignado o la fecha de corte."),
    ]
    return _seccion(
        "semaforo-gasto",
        "Semáforo del gasto",
        [
            html.P(
                "Compara cuánto dinero del programa se ha usado con cuánto se esperaría haber "
                "usado a la fecha de corte. Se calcula para la entidad, para cada municipio y "
                "para cada línea de presupuesto."
            ),
            html.Ul(
                [
                    html.Li(
                        [
                            html.Strong("Avance"),
                            f" = monto usado / monto asignado. Como monto usado se toma la "
                            f"primera etapa publicada de estas, en este orden: {avance}. Como "
                            f"monto asignado, la primera publicada de: {base}. El tablero dice "
                            "qué dos etapas comparó (columnas etapa_avance y etapa_base de las "
                            "descargas).",
                        ]
                    ),
                    html.Li([html.Strong("Esperado"), ": ", datos["notas"]["esperado"]]),
                    html.Li([html.Strong("r"), " = avance / esperado."]),
                ]
            ),
            _tabla_luces("Luces del semáforo del gasto", filas),
        ],
    )


def _seccion_cobertura(datos: dict, u: Umbrales) -> html.Section:
    etiquetas = datos["etiquetas_cobertura"]
    filas = [
        ("verde", etiquetas["verde"], f"Cobertura de al menos {_pct(u.cobertura_verde)}."),
        (
            "amarillo",
            etiquetas["amarillo"],
            f"Cobertura de al menos {_pct(u.cobertura_amarillo)} y menor que "
            f"{_pct(u.cobertura_verde)}.",
        ),
        ("rojo", etiquetas["rojo"], f"Cobertura menor que {_pct(u.cobertura_amarillo)}."),
        (
            "gris",
            etiquetas["gris"],
            "No se puede calcular: no hay alumnos inscritos o no hay padrón del ciclo.",
        ),
    ]
    return _seccion(
        "semaforo-cobertura",
        "Semáforo de cobertura",
        [
            html.P(
                "Se aplica a la cobertura de la entidad, de cada municipio y de cada escuela "
                "(indicadores 1, 3 y 4). Una cobertura mayor que 100 % se publica tal como "
                "se calculó, en verde, y se cuenta como problema de calidad de los datos."
            ),
            _tabla_luces("Luces del semáforo de cobertura", filas),
        ],
    )


def _seccion_obras(datos: dict, u: Umbrales) -> html.Section:
    alertas = datos["alertas"]
    titulos = {a["codigo"]: a["titulo"] for a in alertas}
    filas = [
        html.Tr(
            [
                html.Th(
                    [
                        a["titulo"],
                        html.Br(),
                        _codigo(a["codigo"]),
                        *(
                            [html.Br(), html.Span("pone la obra en rojo", className="metodo-roja")]
                            if a["roja"]
                            else []
                        ),
                    ],
                    scope="row",
                ),
                html.Td(a["regla"]),
            ]
        )
        for a in alertas
    ]
    etiquetas = datos["etiquetas_obra"]
    rojas = _enumerar([f"«{titulos[c]}»" for c in ALERTAS_ROJAS], "o")
    luces = [
        ("rojo", etiquetas["rojo"], f"Tiene la alerta {rojas}."),
        (
            "gris",
            etiquetas["gris"],
            "No se pueden comparar los avances: falta un avance físico válido o el avance "
            "financiero.",
        ),
        (
            "amarillo",
            etiquetas["amarillo"],
            f"El avance financiero supera al físico por {_puntos(u.obra_amarillo)} a "
            f"{_puntos(u.obra_pago_sin_avance)} puntos.",
        ),
        ("verde", etiquetas["verde"], "Ninguno de los casos anteriores."),
    ]
    return _seccion(
        "alertas-obra",
        "Alertas de obra pública",
        [
            html.P(
                "Cada obra se revisa en su último reporte trimestral y puede tener cero o más "
                "alertas. Cada alerta tiene un código (el de la columna «alertas» de las "
                "descargas), una frase en palabras y los números que la explican. Una alerta "
                "no prueba una irregularidad: señala algo que vale la pena revisar. El avance "
                "financiero es el monto ejercido entre el aprobado."
            ),
            html.Table(
                [
                    html.Caption(f"Las {len(alertas)} alertas de obra"),
                    html.Thead(
                        html.Tr(
                            [
                                html.Th("Alerta", scope="col"),
                                html.Th("Cuándo aparece", scope="col"),
                            ]
                        )
                    ),
                    html.Tbody(filas),
                ],
                className="metodo-tabla",
            ),
            html.H3("Semáforo de la obra"),
            html.P("Se aplica la primera regla que se cumple, en este orden:"),
            _tabla_luces("Luces del semáforo de una obra", luces),
        ],
    )


def _seccion_estacionamientos(datos: dict) -> html.Section:
    return _seccion(
        "estados-cajon",
        "Estado de los estacionamientos",
        [
            html.P(
                "Cada cajón de estacionamiento para personas con discapacidad tiene uno de "
                "estos estados (columna «estado» de las descargas). En el mapa cada estado "
                "tiene su color y su símbolo."
            ),
            html.Ul(
                [
                    html.Li(
                        [
                            html.Span(
                                estado.icono,
                                className="metodo-muestra",
                                style={
                                    "backgroundColor": estado.color,
                                    "color": _texto_sobre(estado.color),
                                },
                                **{"aria-hidden": "true"},
                            ),
                            " ",
                            html.Strong(estado.etiqueta),
                            " (",
                            html.Code(estado.valor),
                            ")",
                        ]
                    )
                    for estado in datos["estados_estacionamiento"]
                ],
                className="metodo-estados",
            ),
        ],
    )


def _seccion_umbrales(datos: dict) -> html.Section:
    filas = [
        html.Tr(
            [
                html.Th(
                    [
                        _codigo(u["nombre"]),
                        html.Br(),
                        html.Span(_valor_umbral(u["nombre"], u["valor"]), className="metodo-valor"),
                    ],
                    scope="row",
                ),
                html.Td(u["descripcion"]),
            ]
        )
        for u in datos["umbrales"]
    ]
    return _seccion(
        "umbrales",
        "Umbrales en vigor",
        [
            html.P(
                "Todos los límites de los semáforos y de las alertas están en un solo lugar de "
                "la configuración. Se escriben como fracción: 0.9 es 90 % y, para las "
                "diferencias entre avances, 0.25 es 25 puntos porcentuales."
            ),
            html.Table(
                [
                    html.Caption("Umbrales de los semáforos y de las alertas"),
                    html.Thead(
                        html.Tr(
                            [
                                html.Th("Umbral y valor", scope="col"),
                                html.Th("Qué controla", scope="col"),
                            ]
                        )
                    ),
                    html.Tbody(filas),
                ],
                className="metodo-tabla",
            ),
        ],
    )


def _seccion_colores(datos: dict) -> html.Section:
    return _seccion(
        "colores",
        "Colores y símbolos",
        [
            html.P(
                "El color nunca va solo: cada luz lleva también un símbolo y un texto, y los "
                "colores se distinguen aun con daltonismo."
            ),
            html.Ul(
                [
                    html.Li(
                        [
                            semaforo(luz.valor, luz.valor),
                            f" símbolo: {luz.nombre_icono}; color {luz.color}.",
                        ]
                    )
                    for luz in datos["luces"]
                ],
                className="metodo-luces",
            ),
            html.P(
                [
                    "¿Quiere los datos? Todas las capas se descargan en ",
                    dcc.Link("Datos abiertos", href=dash.get_relative_path("/datos")),
                    ".",
                ]
            ),
        ],
    )


# --- Ayudas --------------------------------------------------------------------------------


def _seccion(id_: str, titulo: str, contenido: list) -> html.Section:
    return html.Section(
        [html.H2(titulo, id=f"{id_}-titulo"), *contenido],
        id=id_,
        className="metodo-seccion",
        **{"aria-labelledby": f"{id_}-titulo"},
    )


def _tabla_luces(titulo: str, filas: list[tuple[str, str, str]]) -> html.Table:
    return html.Table(
        [
            html.Caption(titulo),
            html.Thead(html.Tr([html.Th("Luz", scope="col"), html.Th("Cuándo", scope="col")])),
            html.Tbody(
                [
                    html.Tr(
                        [
                            html.Th(semaforo(luz, etiqueta), scope="row"),
                            html.Td(regla),
                        ],
                        **{"data-luz": luz},
                    )
                    for luz, etiqueta, regla in filas
                ]
            ),
        ],
        className="metodo-tabla metodo-tabla--luces",
    )


def _lectura_variacion(numero: int) -> str | None:
    clave = {5: "desercion", 6: "aprobacion"}.get(numero)
    if clave is None:
        return None
    menor, _igual, mayor = LECTURA_VARIACION[clave]
    return f"Cómo leerlo: menor que 1 significa {menor}; mayor que 1, {mayor}."


def _columnas(columnas: tuple[str, ...]) -> list:
    titulos = {c.nombre: c.titulo for c in REGISTRO}
    partes: list = []
    for i, columna in enumerate(columnas):
        capa, _, nombre = columna.partition(".")
        if i:
            partes.append(" y " if i == len(columnas) - 1 else ", ")
        partes += [
            "columna ",
            html.Code(nombre),
            " de la capa ",
            dcc.Link(titulos.get(capa, capa), href=dash.get_relative_path("/datos")),
        ]
    return partes


def _codigo(nombre: str) -> html.Code:
    """Código con cortes de línea posibles después de cada «_» (tablas en el teléfono)."""
    partes: list = []
    for i, trozo in enumerate(nombre.split("_")):
        partes += ([html.Wbr()] if i else []) + [("_" if i else "") + trozo]
    return html.Code(partes, className="metodo-codigo")


def _enumerar(palabras: list[str], conjuncion: str) -> str:
    if len(palabras) <= 1:
        return "".join(palabras)
    return ", ".join(palabras[:-1]) + f" {conjuncion} " + palabras[-1]


def _pct(fraccion: float) -> str:
    """``0.95`` -> ``"95 %"`` (sin redondear lo que el umbral no redondea: 0.925 -> 92.5 %)."""
    return f"{round(fraccion * 100, 6):g} %"


def _puntos(fraccion: float) -> str:
    return f"{round(fraccion * 100, 6):g}"


def _numero(valor: float) -> str:
    return f"{round(valor, 6):g}"


def _texto_sobre(fondo: str) -> str:
    """Negro o blanco, el que contraste más con ``fondo`` (``#RRGGBB``)."""
    canales = [int(fondo[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lineales = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in canales]
    luminancia = 0.2126 * lineales[0] + 0.7152 * lineales[1] + 0.0722 * lineales[2]
    return "#000000" if (luminancia + 0.05) / 0.05 >= 1.05 / (luminancia + 0.05) else "#FFFFFF"


def _valor_umbral(nombre: str, valor: float) -> str:
    if nombre == "tolerancia":
        return f"{valor:g}"
    if nombre.startswith("obra_pago") or nombre == "obra_amarillo":
        return f"{_numero(valor)} ({_puntos(valor)} puntos)"
    return f"{_numero(valor)} ({_pct(valor)})"
