"""Figuras y piezas del perfil de un municipio: indicadores, presupuesto, escuelas, obras y
programas sociales.

Funciones puras: reciben las tablas de :mod:`capas` ya filtradas al municipio
(``tabla_municipios``, ``tabla_estado``, ``tabla_escuelas``, ``tabla_obras``,
``programas_municipio``) y devuelven figuras o componentes. Cada número sale de esas tablas
con los formatos de :mod:`tablero.formato`, así coincide con las descargas
``/descargas/municipios.csv`` y ``/descargas/programas.csv``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from urllib.parse import urlencode

import pandas as pd
from dash import dcc, html

from capas.config import (
    ALERTAS,
    ALERTAS_ROJAS,
    ETIQUETAS_COBERTURA,
    ETIQUETAS_OBRA,
    LECTURA_VARIACION,
    LUCES,
    PALETA,
    UMBRALES,
)
from tablero import glosario, tablas
from tablero.componentes import semaforo
from tablero.figuras.inicio import (
    INDICADORES,
    ciclo,
    columna_semaforo,
    frase_eficacia,
    frase_semaforo_gasto,
)
from tablero.formato import (
    SIN_DATO,
    de_cada,
    entero,
    pesos,
    pesos_cortos,
    porcentaje,
    valor_fuente,
)
from tablero.mapas import figura_puntos_plana, plantilla, texto_seguro

#: Título de cada alerta de obra por su código (las palabras de la metodología).
TITULOS_ALERTA = {regla.codigo: regla.titulo for regla in ALERTAS}

#: Sentido de la mejora de las variaciones: la deserción mejora si baja, la aprobación si sube.
_MEJORA = {"desercion": -1, "aprobacion": 1}

#: Alto (px) del margen inferior del mapa de escuelas, donde va su leyenda.
MARGEN_LEYENDA = 60


# --- textos ---------------------------------------------------------------------------------


def razon(valor) -> str:
    """Una razón (variación) con dos decimales: ``0.8254`` -> ``"0.83"``."""
    if valor is None or pd.isna(valor):
        return SIN_DATO
    return f"{float(valor):.2f}"


def lectura_variacion(tipo: str, variacion) -> tuple[str, str, str]:
    """Lectura de una variación (indicadores 5 y 6): ``(luz, etiqueta, frase)``.

    La frase es la de :data:`capas.config.LECTURA_VARIACION`; la luz es verde si el cambio es
    bueno, roja si es malo y gris si no cambió o no hay dato.
    """
    if variacion is None or pd.isna(variacion):
        return "gris", SIN_DATO, "sin ciclo anterior con el que comparar"
    menor, igual, mayor = LECTURA_VARIACION[tipo]
    variacion = float(variacion)
    if abs(variacion - 1) <= UMBRALES.tolerancia:
        return "gris", "igual", igual
    bajo = variacion < 1
    bueno = bajo if _MEJORA[tipo] < 0 else not bajo
    return (
        ("verde", "mejoró", menor if bajo else mayor)
        if bueno
        else (
            "rojo",
            "empeoró",
            menor if bajo else mayor,
        )
    )


def frase_cobertura(fila: Mapping) -> str:
    """Indicador 3 en palabras: «3 de cada 4 alumnos inscritos recibieron uniforme o útiles»."""
    cobertura = fila.get("cobertura")
    if pd.isna(cobertura):
        if not fila.get("escuelas"):
            return "No hay escuelas públicas de educación básica registradas en este ciclo."
        return "No hay datos de alumnos atendidos para este ciclo."
    return (
        f"{de_cada(cobertura).capitalize()} alumnos inscritos recibieron uniforme o útiles: "
        f"{entero(fila.get('alumnos_atendidos'))} de {entero(fila.get('alumnos_inscritos'))} en "
        f"{entero(fila.get('escuelas'))} escuelas públicas de educación básica."
    )


# --- encabezado y controles -----------------------------------------------------------------


def subtitulo(clave: str, anio: int) -> list:
    """Clave INEGI y ciclo del perfil, con la explicación de la clave."""
    return [
        html.P(
            f"Clave INEGI {clave} · ciclo escolar {ciclo(anio)} (ejercicio fiscal {anio})",
            className="perfil-subtitulo",
        ),
        glosario.ayuda("clave_inegi"),
    ]


# --- tarjetas de indicadores ----------------------------------------------------------------


def tarjetas(
    fila: Mapping,
    estado: pd.DataFrame,
    escuelas: pd.DataFrame,
    enlace_obras: str | None = None,
) -> list[html.Article]:
    """Las tarjetas de los seis indicadores (el 1 como referencia en la del 3) y la de obras.

    Parameters
    ----------
    fila
        Fila del municipio y ciclo de :func:`capas.tabla_municipios`.
    estado
        :func:`capas.tabla_estado` del ciclo (una fila o vacía).
    escuelas
        :func:`capas.tabla_escuelas` del municipio y ciclo.
    enlace_obras
        Dirección de ``/obras`` con el municipio y el año (la tarjeta de obras enlaza ahí).
    """
    estatal = estado.iloc[0].to_dict() if len(estado) else {}
    return [
        _tarjeta_cobertura(fila, estatal),
        _tarjeta_gasto(fila),
        _tarjeta_escuelas(escuelas),
        _tarjeta_variacion(fila, "desercion"),
        _tarjeta_variacion(fila, "aprobacion"),
        _tarjeta_obras(fila, enlace_obras),
    ]


def _tarjeta(
    titulo: str,
    valor: str,
    luz,
    etiqueta,
    frases: Iterable,
    nota: str,
    id_valor=None,
    terminos: Iterable[str] = (),
):
    hijos = [
        html.H3(titulo, className="indicador__titulo"),
        html.P(valor, className="indicador__valor", **({"id": id_valor} if id_valor else {})),
    ]
    if luz is not None:
        hijos.append(html.P(semaforo(luz, etiqueta), className="indicador__semaforo"))
    hijos += [html.P(frase) for frase in frases if frase]
    hijos.append(html.P(nota, className="indicador__nota"))
    hijos += [glosario.ayuda(clave) for clave in terminos]
    return html.Article(hijos, className="indicador")


def _tarjeta_cobertura(fila: Mapping, estatal: Mapping) -> html.Article:
    frases = [frase_cobertura(fila)]
    if bool(fila.get("cobertura_excedida")):
        frases.append(
            "La cobertura pasa de 100 %: más alumnos atendidos que inscritos. Es un problema de "
            "calidad de los datos y se publica tal como se calculó."
        )
    if estatal:
        frases.append(f"En todo el estado: {porcentaje(estatal.get('cobertura'))} (indicador 1).")
    return _tarjeta(
        "Cobertura del programa",
        porcentaje(fila.get("cobertura")),
        fila.get("semaforo_cobertura"),
        fila.get("etiqueta_cobertura"),
        frases,
        "Indicador 3: alumnos atendidos dividido entre alumnos inscritos en las escuelas del "
        "municipio.",
        id_valor="municipio-cobertura",
        terminos=("cobertura", "semaforo_cobertura"),
    )


def _tarjeta_gasto(fila: Mapping) -> html.Article:
    return _tarjeta(
        "Eficacia presupuestal",
        porcentaje(fila.get("eficacia")),
        fila.get("semaforo_gasto"),
        f"Semáforo del gasto: {fila.get('etiqueta_gasto') or SIN_DATO}",
        [frase_eficacia(fila), frase_semaforo_gasto(fila)],
        "Indicador 2 en el municipio: presupuesto ejercido dividido entre el aprobado del "
        "programa de uniformes y útiles.",
        id_valor="municipio-eficacia",
        terminos=("eficacia", "semaforo_gasto", "sobregiro"),
    )


def _tarjeta_escuelas(escuelas: pd.DataFrame) -> html.Article:
    conteo = escuelas["semaforo_cobertura"].fillna("gris").value_counts()
    lista = html.Ul(
        [
            html.Li(
                [
                    semaforo(luz, ETIQUETAS_COBERTURA[luz]),
                    f" {entero(conteo.get(luz, 0))} "
                    + ("escuela" if conteo.get(luz, 0) == 1 else "escuelas"),
                ]
            )
            for luz in LUCES
            if conteo.get(luz, 0)
        ],
        className="perfil-leyenda perfil-leyenda--lista",
    )
    hijos = [
        html.H3("Cobertura por escuela", className="indicador__titulo"),
        html.P(f"{entero(len(escuelas))} escuelas", className="indicador__valor"),
        lista if len(escuelas) else html.P("No hay escuelas del programa en este ciclo."),
        html.P("El mapa y la tabla de escuelas, más abajo, muestran cada una."),
        html.P(
            "Indicador 4: alumnos atendidos dividido entre alumnos inscritos en cada escuela.",
            className="indicador__nota",
        ),
    ]
    return html.Article(hijos, className="indicador")


def _tarjeta_variacion(fila: Mapping, tipo: str) -> html.Article:
    tasa = fila.get(tipo)
    variacion = fila.get(f"{tipo}_variacion")
    luz, etiqueta, frase = lectura_variacion(tipo, variacion)
    if tipo == "desercion":
        titulo = "Deserción escolar"
        que = (
            f"El {porcentaje(tasa)} de los alumnos inscritos al inicio del ciclo ya no estaba "
            "al final."
            if not pd.isna(tasa)
            else "Sin dato de deserción para este ciclo."
        )
        nota = "Indicador 5: deserción del ciclo dividida entre la del ciclo anterior."
    else:
        titulo = "Aprobación"
        que = (
            f"El {porcentaje(tasa)} de los alumnos que terminaron el ciclo lo aprobó."
            if not pd.isna(tasa)
            else "Sin dato de aprobación para este ciclo."
        )
        nota = (
            "Indicador 6 (aprovechamiento): aprobación del ciclo dividida entre la del ciclo "
            "anterior."
        )
    comparacion = f"Variación: {razon(variacion)}, {frase}." if not pd.isna(variacion) else None
    return _tarjeta(
        titulo, porcentaje(tasa), luz, etiqueta, [que, comparacion], nota, terminos=("variacion",)
    )


def _tarjeta_obras(fila: Mapping, enlace: str | None = None) -> html.Article:
    obras = fila.get("obras")
    con_alerta = fila.get("obras_con_alerta")
    anio = int(fila["anio"])
    if pd.isna(obras):
        luz, etiqueta, frases = "gris", SIN_DATO, ["Sin datos de obra pública."]
    else:
        luz = "gris" if not obras else ("rojo" if con_alerta else "verde")
        etiqueta = f"{entero(con_alerta)} con alguna alerta" if obras else f"sin obras en {anio}"
        frases = [
            f"{texto_obras(obras, anio).capitalize()} con un monto aprobado de "
            f"{pesos(fila.get('obras_monto_aprobado'))}; {entero(con_alerta)} con alguna "
            "alerta (grave o leve)."
        ]
        if enlace and obras:
            frases.append(
                html.A(
                    f"Ver {'la obra' if obras == 1 else f'las {entero(obras)} obras'} de "
                    f"{anio} en la página de Obras",
                    href=enlace,
                )
            )
    return _tarjeta(
        "Obra pública",
        texto_obras(obras, anio),
        luz,
        etiqueta,
        frases,
        f"Obras federales, estatales y municipales con reporte en {anio}, en su último reporte "
        "de ese año. La página de Obras, sin elegir año, muestra las de todos los años.",
        id_valor="municipio-obras",
        terminos=("semaforo_obra",),
    )


# --- presupuesto ----------------------------------------------------------------------------

#: Etapas del presupuesto del programa en la gráfica: (columna, nombre, color).
_ETAPAS = (
    ("presupuesto_aprobado", "Aprobado", "#0B4F8A"),
    ("presupuesto_modificado", "Modificado", "#5A7FA8"),
    ("presupuesto_ejercido", "Ejercido", "#117A65"),
    ("presupuesto_comprobado", "Comprobado", "#4A1030"),
)


def grafica_presupuesto(fila: Mapping) -> dict:
    """Barras horizontales del presupuesto del programa: asignado frente a ejercido.

    Dict plano de Plotly (sin los validadores de ``go.Figure``: el mismo JSON, más barato).
    """
    etapas = [(n, fila.get(c), color) for c, n, color in _ETAPAS if not pd.isna(fila.get(c))]
    barras = {
        "type": "bar",
        "y": [n for n, _, _ in etapas],
        "x": [float(v) for _, v, _ in etapas],
        "orientation": "h",
        "marker": {"color": [color for _, _, color in etapas]},
        "text": [pesos_cortos(v) for _, v, _ in etapas],
        "textposition": "auto",
        "insidetextfont": {"color": "#ffffff"},
        "outsidetextfont": {"color": "#1f1f1f"},
        "hoverinfo": "skip",
    }
    layout = {
        "template": plantilla(),
        "height": 60 + 44 * max(len(etapas), 1),
        "margin": {"l": 90, "r": 10, "t": 10, "b": 30},
        "xaxis": {"tickprefix": "$", "tickformat": "~s", "gridcolor": "#dddddd"},
        "yaxis": {"autorange": "reversed"},
        "plot_bgcolor": "#ffffff",
        "paper_bgcolor": "#ffffff",
        "font": {"color": "#1f1f1f", "size": 14},
        "showlegend": False,
    }
    return {"data": [barras], "layout": layout}


def montos_presupuesto(fila: Mapping) -> html.Dl:
    """Los montos de la gráfica, exactos, en una lista de definiciones (accesible)."""
    hijos = []
    for columna, nombre, _ in _ETAPAS:
        hijos += [html.Dt(nombre), html.Dd(pesos(fila.get(columna)))]
    return html.Dl(hijos, className="perfil-montos")


# --- escuelas -------------------------------------------------------------------------------


def leyenda_cobertura() -> list[tuple[str, str]]:
    """``(color, texto)`` de cada luz del semáforo de cobertura, con icono y umbral."""
    etiquetas = INDICADORES["semaforo_cobertura"].etiquetas
    return [
        (PALETA[luz].color, f"{PALETA[luz].icono} {texto}")
        for luz, texto in zip(LUCES, etiquetas, strict=True)
    ]


def limites_de(contorno: Mapping | None, escuelas: pd.DataFrame) -> list[float] | None:
    """Límites ``[oeste, sur, este, norte]`` del contorno del municipio y de sus escuelas."""
    lon, lat = [], []

    def recorrer(coordenadas):
        if coordenadas and isinstance(coordenadas[0], int | float):
            lon.append(float(coordenadas[0]))
            lat.append(float(coordenadas[1]))
        else:
            for parte in coordenadas or []:
                recorrer(parte)

    if contorno:
        recorrer((contorno.get("geometry") or {}).get("coordinates"))
    validos = escuelas[["longitud", "latitud"]].dropna()
    lon += [float(v) for v in validos["longitud"]]
    lat += [float(v) for v in validos["latitud"]]
    if not lon:
        return None
    return [min(lon), min(lat), max(lon), max(lat)]


def mapa_escuelas(escuelas: pd.DataFrame, contorno: Mapping | None, limites: list[float]) -> dict:
    """Escuelas del municipio coloreadas por su semáforo de cobertura, con leyenda en texto.

    Dict plano de Plotly (sin los validadores de ``go.Figure``): un halo oscuro bajo cada punto
    (``data[0]``: el amarillo y el gris se ven sobre el fondo blanco), los puntos (``data[1]``,
    con la clave CCT en ``customdata``) y una traza vacía por luz para la leyenda en texto.
    ``contorno`` (el municipio, GeoJSON) se dibuja como línea bajo los puntos.
    """
    con_lugar = escuelas.dropna(subset=["latitud", "longitud"])
    luces = [luz if luz in PALETA else "gris" for luz in con_lugar["semaforo_cobertura"]]
    textos = [
        f"<b>{texto_seguro(fila['nombre'])}</b> ({texto_seguro(fila['cct'])})<br>"
        f"{texto_seguro(fila['nivel'])}<br>"
        f"Cobertura: {porcentaje(fila['cobertura'])} · {fila['etiqueta_cobertura']}<br>"
        f"{entero(fila['alumnos_atendidos'])} de {entero(fila['alumnos_inscritos'])} alumnos"
        for fila in con_lugar.to_dict("records")
    ]
    oeste, sur, este, norte = limites
    figura = figura_puntos_plana(
        [float(v) for v in con_lugar["latitud"]],
        [float(v) for v in con_lugar["longitud"]],
        [PALETA[luz].color for luz in luces],
        textos,
        centro={"lat": (sur + norte) / 2, "lon": (oeste + este) / 2},
        zoom=10,
        ids=list(con_lugar["cct"]),
        leyenda=leyenda_cobertura(),
        contorno=dict(contorno) if contorno else None,
        borde=True,
    )
    # la leyenda en texto va bajo el mapa: el margen inferior le deja sitio
    figura["layout"].update(
        template=plantilla(),
        margin={"l": 0, "r": 0, "t": 0, "b": MARGEN_LEYENDA},
        hoverlabel={"bgcolor": "#ffffff", "font": {"color": "#1f1f1f"}},
    )
    figura["layout"]["legend"].update(x=0, font={"size": 13})
    return figura


def filas_escuelas(escuelas: pd.DataFrame) -> list[dict]:
    """Filas de la tabla de escuelas (la cobertura más baja primero; sin dato al final)."""
    orden_luz = {luz: i for i, luz in enumerate(LUCES)}
    ordenadas = escuelas.sort_values("cobertura", na_position="last", kind="stable")
    filas = []
    for fila in ordenadas.to_dict("records"):
        luz = fila["semaforo_cobertura"] if fila["semaforo_cobertura"] in PALETA else "gris"
        filas.append(
            {
                "cct": fila["cct"],
                "nombre": fila["nombre"],
                "nivel": fila["nivel"],
                "alumnos_inscritos": _numero(fila["alumnos_inscritos"]),
                "alumnos_atendidos": _numero(fila["alumnos_atendidos"]),
                "cobertura": _numero(fila["cobertura"]),
                "cobertura_texto": f"{PALETA[luz].icono} {porcentaje(fila['cobertura'])}",
                "cobertura_luz": luz,
                "semaforo": orden_luz[luz],
                "semaforo_luz": luz,
                "semaforo_texto": f"{PALETA[luz].icono} {fila['etiqueta_cobertura'] or SIN_DATO}",
            }
        )
    return filas


def _numero(valor) -> float | None:
    return None if valor is None or pd.isna(valor) else float(valor)


def tabla_escuelas(id_: str, escuelas: pd.DataFrame) -> html.Div:
    """Tabla ordenable de las escuelas con su cobertura (formatos de :mod:`tablero.tablas`)."""
    columnas = [
        tablas.texto("cct", "Clave (CCT)", minWidth=120),
        tablas.texto("nombre", "Escuela", minWidth=150, wrapText=True, autoHeight=True),
        tablas.texto("nivel", "Nivel", minWidth=110),
        tablas.entero("alumnos_inscritos", "Inscritos", minWidth=100),
        tablas.entero("alumnos_atendidos", "Atendidos", minWidth=100),
        # Icono y color de su luz además del número: en el teléfono es la única columna de
        # cobertura que queda visible.
        columna_semaforo("cobertura", "Cobertura", minWidth=110, type="rightAligned"),
        columna_semaforo("semaforo", "Semáforo de cobertura", minWidth=125),
    ]
    return tablas.tabla(
        id_,
        columnas,
        filas_escuelas(escuelas),
        descripcion="Escuelas del municipio con su cobertura",
        id_fila="cct",
        columnas_telefono=["nombre", "cobertura"],
    )


# --- obras ----------------------------------------------------------------------------------


def alertas_en_palabras(codigos) -> str:
    """``"vencida;pago_sin_avance"`` -> ``"Vencida; Pago sin avance"`` (vacío: «Ninguna»)."""
    if codigos is None or (not isinstance(codigos, str) and pd.isna(codigos)) or not codigos:
        return "Ninguna"
    return "; ".join(TITULOS_ALERTA.get(c, c) for c in str(codigos).split(";") if c)


def enlace_obras(municipio: str, anio: int, folio: str | None = None) -> str:
    """Ruta de ``/obras`` con los filtros del perfil (y la ficha de una obra, con ``folio``).

    ``enlace_obras("20067", 2025)`` -> ``"/obras?municipio=20067&anio=2025"``; con
    ``folio="OAX1"`` -> ``"/obras?municipio=20067&anio=2025&folio=OAX1"``. Sin el prefijo de
    la aplicación (lo agrega la página con ``dash.get_relative_path``).
    """
    parametros = {"municipio": municipio, "anio": int(anio)}
    if folio:
        parametros["folio"] = str(folio)
    return "/obras?" + urlencode(parametros)


def texto_obras(obras, anio: int) -> str:
    """«4 obras en 2025» (el conteo siempre dice qué año cubre)."""
    if obras is None or pd.isna(obras):
        return SIN_DATO
    n = int(obras)
    return f"{entero(n)} {'obra' if n == 1 else 'obras'} en {int(anio)}"


def _es_grave(codigos) -> bool:
    return any(c in ALERTAS_ROJAS for c in _codigos(codigos))


def _codigos(codigos) -> list[str]:
    if codigos is None or (not isinstance(codigos, str) and pd.isna(codigos)) or not codigos:
        return []
    return [c for c in str(codigos).split(";") if c]


def alertas_por_gravedad(codigos) -> list[str]:
    """Las alertas de una obra en frases, primero las graves: ``["Graves: Vencida", ...]``."""
    todos = _codigos(codigos)
    if not todos:
        return ["Alertas: ninguna"]
    graves = [TITULOS_ALERTA.get(c, c) for c in todos if c in ALERTAS_ROJAS]
    leves = [TITULOS_ALERTA.get(c, c) for c in todos if c not in ALERTAS_ROJAS]
    frases = []
    if graves:
        frases.append("Alertas graves: " + "; ".join(graves))
    if leves:
        frases.append("Alertas leves: " + "; ".join(leves))
    return frases


#: Filas de cada tabla de obras del perfil (con alertas, sin alertas): las de mayor monto.
#: Un municipio con miles de obras (la capital, el modo nacional) no manda miles de filas; el
#: resto está a un enlace, en la página de Obras (con su tabla paginada).
MAXIMO_OBRAS = 50


def tabla_obras(
    obras: pd.DataFrame, anio: int, municipio: str = "", ruta: Callable[[str], str] = str
) -> html.Div:
    """Obras del municipio: primero las que tienen alertas; las demás en un desplegable.

    Cada tabla tiene cuatro columnas para que quepa sin desplazarse: la obra (nombre con
    enlace a su ficha en ``/obras``, folio, orden de gobierno y estatus), sus montos, su avance
    y su semáforo con las alertas en palabras. Dentro de cada grupo, de mayor a menor monto
    aprobado. «Con alguna alerta» es ``num_alertas > 0`` (graves o leves), la misma definición
    que ``obras_con_alerta`` de :func:`capas.tabla_municipios`. Cada tabla muestra a lo más
    :data:`MAXIMO_OBRAS` filas y dice cuántas más hay en la página de Obras.

    Parameters
    ----------
    municipio
        Clave del municipio (para los enlaces a ``/obras``).
    ruta
        Agrega el prefijo de la aplicación a una ruta (``dash.get_relative_path``).
    """
    if not len(obras):
        return html.Div(html.P(f"No hay obras públicas reportadas en el municipio en {anio}."))
    orden = obras.assign(
        _alertas=obras["num_alertas"].fillna(0), _monto=obras["monto_aprobado"].fillna(0)
    ).sort_values(["_alertas", "_monto"], ascending=False, kind="stable")
    con_alerta = orden[orden["_alertas"] > 0]
    sin_alerta = orden[orden["_alertas"] <= 0]
    graves = int(sum(_es_grave(c) for c in con_alerta["alertas"]))
    resumen = (
        f"{texto_obras(len(obras), anio).capitalize()} (su último reporte de ese año); "
        f"{entero(len(con_alerta))} con alguna alerta"
    )
    if len(con_alerta):
        leves = len(con_alerta) - graves
        resumen += f": {entero(graves)} {'grave' if graves == 1 else 'graves'}"
        if leves:
            resumen += f" y {entero(leves)} solo con alertas leves"
    hijos = [
        html.P(resumen + ".", id="municipio-obras-resumen"),
        glosario.ayuda("alerta"),
        html.P(
            html.A(
                f"Ver {'la obra' if len(obras) == 1 else f'las {entero(len(obras))} obras'} "
                f"de este municipio en {int(anio)} en la página de Obras",
                href=ruta(enlace_obras(municipio, anio)),
                id="municipio-ver-obras",
            ),
            className="perfil-enlace",
        ),
    ]
    if len(con_alerta):
        hijos.append(_tabla_de_obras(con_alerta, "Obras con alguna alerta", municipio, anio, ruta))
    if len(sin_alerta):
        titulo = "Obras sin alertas"
        tabla = _tabla_de_obras(sin_alerta, titulo, municipio, anio, ruta)
        if len(con_alerta):
            resumen = f"Ver las {entero(len(sin_alerta))} obras sin alertas"
            if len(sin_alerta) == 1:
                resumen = "Ver la obra sin alertas"
            tabla = html.Details([html.Summary(resumen), tabla], className="perfil-detalles")
        hijos.append(tabla)
    return html.Div(hijos, className="perfil-obras")


def _tabla_de_obras(
    obras: pd.DataFrame, titulo: str, municipio: str, anio: int, ruta: Callable[[str], str]
) -> html.Div:
    filas = []
    for obra in obras.head(MAXIMO_OBRAS).to_dict("records"):
        luz = obra["semaforo"] if obra["semaforo"] in PALETA else "gris"
        detalles = [f"Folio {obra['folio']}"] + [
            valor_fuente(v)
            for v in (obra["nivel_gobierno"], obra["estatus"])
            if isinstance(v, str) and v
        ]
        alertas = alertas_por_gravedad(obra["alertas"])
        filas.append(
            html.Tr(
                [
                    html.Td(
                        [
                            html.A(
                                obra["nombre"],
                                href=ruta(enlace_obras(municipio, anio, obra["folio"])),
                                className="perfil-obra__enlace",
                                title=f"Ver la ficha de la obra {obra['folio']}",
                            ),
                            html.Br(),
                            html.Small(" · ".join(detalles)),
                        ],
                        className="obra",
                    ),
                    html.Td(
                        _lineas(
                            ("Aprobado", pesos(obra["monto_aprobado"])),
                            ("Ejercido", pesos(obra["monto_ejercido"])),
                            ("Pagado", pesos(obra["monto_pagado"])),
                        ),
                        className="numero",
                    ),
                    html.Td(
                        _lineas(
                            ("Físico", porcentaje(obra["avance_fisico"])),
                            ("Financiero", porcentaje(obra["avance_financiero"])),
                        ),
                        className="numero",
                    ),
                    html.Td(
                        [
                            semaforo(luz, obra.get("etiqueta_semaforo") or ETIQUETAS_OBRA[luz]),
                            *[p for frase in alertas for p in (html.Br(), frase)],
                        ]
                    ),
                ]
            )
        )
    return html.Div(
        html.Table(
            [
                html.Caption(_titulo_obras(titulo, len(obras))),
                html.Thead(
                    html.Tr(
                        [
                            html.Th("Obra", scope="col"),
                            html.Th("Montos", scope="col", className="numero"),
                            html.Th("Avance", scope="col", className="numero"),
                            html.Th("Semáforo y alertas", scope="col"),
                        ]
                    )
                ),
                html.Tbody(filas),
                *_pie_obras(len(obras), municipio, anio, ruta),
            ]
        ),
        className="perfil-tabla perfil-tabla--apilada",
        tabIndex="0",
        role="region",
        **{"aria-label": titulo},
    )


def _titulo_obras(titulo: str, total: int) -> str:
    """«Obras con alguna alerta (7)»; acotada: «... (las 50 de mayor monto de 1,234)»."""
    if total <= MAXIMO_OBRAS:
        return f"{titulo} ({entero(total)})"
    return f"{titulo} (las {entero(MAXIMO_OBRAS)} de mayor monto de {entero(total)})"


def _pie_obras(total: int, municipio: str, anio: int, ruta: Callable[[str], str]) -> list:
    """Pie de una tabla acotada: cuántas obras más hay y dónde verlas (nada si caben todas)."""
    if total <= MAXIMO_OBRAS:
        return []
    mas = total - MAXIMO_OBRAS
    texto = f"y {entero(mas)} {'obra' if mas == 1 else 'obras'} más: véalas en la página de Obras"
    return [
        html.Tfoot(
            html.Tr(
                html.Td(
                    html.A(texto, href=ruta(enlace_obras(municipio, anio))),
                    colSpan=4,
                )
            )
        )
    ]


def _lineas(*pares: tuple[str, str]) -> list:
    """``("Aprobado", "$1,234")...`` -> líneas «Aprobado: $1,234» separadas por saltos."""
    hijos: list = []
    for nombre, valor in pares:
        if hijos:
            hijos.append(html.Br())
        hijos += [
            html.Span(f"{nombre}: ", className="perfil-tabla__nombre"),
            html.Span(valor, className="monto"),
        ]
    return hijos


# --- variaciones año con año ----------------------------------------------------------------


def tabla_variaciones(historial: pd.DataFrame) -> html.Div:
    """Deserción y aprobación de cada ciclo con su variación y si el cambio es bueno o malo."""
    filas = []
    for fila in historial.sort_values("anio").to_dict("records"):
        celdas = [html.Th(ciclo(fila["anio"]), scope="row")]
        for tipo in ("desercion", "aprobacion"):
            luz, etiqueta, frase = lectura_variacion(tipo, fila[f"{tipo}_variacion"])
            nombre = "Deserción" if tipo == "desercion" else "Aprobación"
            # data-etiqueta: en el teléfono la tabla se apila y cada dato lleva su nombre.
            celdas += [
                html.Td(porcentaje(fila[tipo]), className="numero", **{"data-etiqueta": nombre}),
                html.Td(
                    razon(fila[f"{tipo}_variacion"]),
                    className="numero",
                    **{"data-etiqueta": f"Variación de la {nombre.lower()}"},
                ),
                html.Td([semaforo(luz, etiqueta), " ", frase]),
            ]
        filas.append(html.Tr(celdas))
    return html.Div(
        html.Table(
            [
                html.Caption("Deserción y aprobación por ciclo escolar"),
                html.Thead(
                    html.Tr(
                        [
                            html.Th("Ciclo", scope="col"),
                            html.Th("Deserción", scope="col", className="numero"),
                            html.Th("Variación", scope="col", className="numero"),
                            html.Th("¿Qué significa?", scope="col"),
                            html.Th("Aprobación", scope="col", className="numero"),
                            html.Th("Variación", scope="col", className="numero"),
                            html.Th("¿Qué significa?", scope="col"),
                        ]
                    )
                ),
                html.Tbody(filas),
            ]
        ),
        className="perfil-tabla perfil-tabla--apilada",
        tabIndex="0",
        role="region",
        **{"aria-label": "Deserción y aprobación por ciclo"},
    )


# --- programas sociales ---------------------------------------------------------------------


def seccion_programas(programas: pd.DataFrame, enlace: str) -> html.Section:
    """Programas sociales del municipio: beneficiarios e importe por programa y año.

    Parameters
    ----------
    programas
        :func:`capas.programas_municipio` del municipio (todos los años).
    enlace
        Dirección de la descarga ``/descargas/programas.csv`` del municipio.
    """
    titulo = html.H2("Programas sociales", id="municipio-titulo-programas")
    if not len(programas):
        return html.Section(
            [
                titulo,
                html.P(
                    "Sin datos de programas sociales para este municipio: no se ha cargado "
                    "ningún padrón público que lo incluya.",
                    id="municipio-programas",
                ),
            ],
            **{"aria-labelledby": "municipio-titulo-programas"},
        )
    filas = []
    for fila in programas.to_dict("records"):
        nombre = fila["programa"]
        if isinstance(fila["nombre_programa"], str) and fila["nombre_programa"]:
            nombre = f"{fila['programa']} · {fila['nombre_programa']}"
        filas.append(
            html.Tr(
                [
                    html.Th(nombre, scope="row"),
                    html.Td(str(fila["anio"]), **{"data-etiqueta": "Año"}),
                    html.Td(
                        entero(fila["beneficiarios"]),
                        className="numero",
                        **{"data-etiqueta": "Beneficiarios"},
                    ),
                    html.Td(pesos(fila["monto"]), className="numero", **{"data-etiqueta": "Monto"}),
                    html.Td(
                        entero(fila["localidades"]),
                        className="numero",
                        **{"data-etiqueta": "Localidades"},
                    ),
                ]
            )
        )
    return html.Section(
        [
            titulo,
            html.P(
                "Becas y apoyos de los padrones públicos (datos.gob.mx), sumados en el "
                "municipio. Cada renglón del padrón es un beneficiario: sin CURP no se "
                "distinguen personas repetidas. No incluye datos personales."
            ),
            html.Div(
                html.Table(
                    [
                        html.Caption("Beneficiarios e importe por programa y año"),
                        html.Thead(
                            html.Tr(
                                [
                                    html.Th("Programa", scope="col"),
                                    html.Th("Año", scope="col"),
                                    html.Th("Beneficiarios", scope="col", className="numero"),
                                    html.Th("Monto", scope="col", className="numero"),
                                    html.Th("Localidades", scope="col", className="numero"),
                                ]
                            )
                        ),
                        html.Tbody(filas),
                    ]
                ),
                id="municipio-programas",
                className="perfil-tabla perfil-tabla--apilada",
                tabIndex="0",
                role="region",
                **{"aria-label": "Programas sociales del municipio"},
            ),
            html.P(
                html.A("Descargar los programas sociales del municipio (CSV)", href=enlace),
                className="perfil-descarga",
            ),
        ],
        **{"aria-labelledby": "municipio-titulo-programas"},
    )


# --- perfil completo ------------------------------------------------------------------------


def perfil(
    clave: str,
    anio: int,
    historial: pd.DataFrame,
    estado: pd.DataFrame,
    escuelas: pd.DataFrame,
    obras: pd.DataFrame,
    contorno: Mapping | None,
    configuracion_mapa: Mapping,
    ruta: Callable[[str], str] = str,
) -> list:
    """Contenido del perfil de un municipio en un ciclo (todo lo que cambia con el ciclo).

    Parameters
    ----------
    historial
        :func:`capas.tabla_municipios` del municipio en todos los ciclos.
    estado, escuelas, obras
        :func:`capas.tabla_estado`, :func:`capas.tabla_escuelas` y :func:`capas.tabla_obras`
        del ciclo (escuelas y obras del municipio).
    contorno
        El municipio como *Feature* GeoJSON (para dibujar su límite), o ``None``.
    ruta
        Agrega el prefijo de la aplicación a una ruta (``dash.get_relative_path``).
    """
    filas = historial[historial["anio"] == int(anio)]
    if not len(filas):
        return [html.P(f"No hay datos del municipio para el ciclo {ciclo(anio)}.")]
    fila = filas.iloc[0].to_dict()
    limites = limites_de(contorno, escuelas)
    seccion_mapa = [
        html.H2("Escuelas del programa", id="municipio-titulo-escuelas"),
        html.P(
            "Cada punto es una escuela pública de educación básica, con el color, el icono y el "
            "texto de su semáforo de cobertura. La tabla tiene los mismos datos."
        ),
    ]
    if limites is not None and escuelas[["latitud", "longitud"]].notna().all(axis=1).any():
        seccion_mapa += [
            dcc.Store(
                id="municipio-vista",
                data={"limites": limites, "margen": MARGEN_LEYENDA, "maximo": 13},
            ),
            html.Figure(
                [
                    dcc.Graph(
                        id="municipio-mapa",
                        figure=mapa_escuelas(escuelas, contorno, limites),
                        config=dict(configuracion_mapa),
                        className="perfil-mapa",
                    ),
                    html.Figcaption(
                        "Semáforo de cobertura: "
                        + "; ".join(texto for _, texto in leyenda_cobertura())
                        + "."
                    ),
                ],
                className="perfil-figura",
            ),
        ]
    if len(escuelas):
        seccion_mapa.append(tabla_escuelas("municipio-tabla-escuelas", escuelas))
    else:
        seccion_mapa.append(html.P("No hay escuelas del programa en este ciclo."))
    return [
        html.Section(
            [
                html.H2(f"Indicadores del ciclo {ciclo(anio)}", id="municipio-titulo-indicadores"),
                html.Div(
                    tarjetas(fila, estado, escuelas, ruta(enlace_obras(clave, anio))),
                    className="perfil-cifras",
                ),
            ],
            **{"aria-labelledby": "municipio-titulo-indicadores"},
        ),
        html.Section(
            [
                html.H2(
                    "Presupuesto del programa de uniformes y útiles",
                    id="municipio-titulo-presupuesto",
                ),
                html.P(frase_eficacia(fila)),
                html.Figure(
                    [
                        dcc.Graph(
                            id="municipio-presupuesto",
                            figure=grafica_presupuesto(fila),
                            config={"staticPlot": True, "responsive": True},
                        ),
                        html.Figcaption("Montos del programa en el municipio, por etapa:"),
                        montos_presupuesto(fila),
                    ],
                    className="perfil-figura",
                ),
            ],
            **{"aria-labelledby": "municipio-titulo-presupuesto"},
        ),
        html.Section(seccion_mapa, **{"aria-labelledby": "municipio-titulo-escuelas"}),
        html.Section(
            [
                html.H2("Obra pública", id="municipio-titulo-obras"),
                tabla_obras(obras, anio, clave, ruta),
            ],
            **{"aria-labelledby": "municipio-titulo-obras"},
        ),
        html.Section(
            [
                html.H2("Deserción y aprobación, año con año", id="municipio-titulo-variaciones"),
                html.P(
                    "La variación divide la tasa del ciclo entre la del ciclo anterior: menos de "
                    "1 quiere decir que bajó. Menos deserción es bueno; menos aprobación es malo."
                ),
                glosario.ayuda("variacion"),
                tabla_variaciones(historial),
            ],
            **{"aria-labelledby": "municipio-titulo-variaciones"},
        ),
    ]


def contorno_de(geojson: Mapping, clave: str) -> dict | None:
    """El *Feature* del municipio ``clave`` en el GeoJSON de los municipios (o ``None``)."""
    for rasgo in geojson.get("features", []):
        if (rasgo.get("properties") or {}).get("cvegeo") == clave:
            return rasgo
    return None
