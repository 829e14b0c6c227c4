"""Tablas por bloques: búsqueda, orden y rebanada (capas.paginado) y el callback del bloque."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import capas
from capas.busqueda import clave_busqueda
from capas.paginado import Orden, bloque, claves_busqueda, posicion, vista
from tablero import paginado
from tablero.app import crear_app
from tablero.figuras import obras as figuras

try:
    from tests import ayuda_paginas as ayuda
except ImportError:  # pytest sin la raíz del proyecto en sys.path
    import ayuda_paginas as ayuda

#: Cinco obras escritas a mano (el orden de la tabla es el de los folios F1..F5).
OBRAS = pd.DataFrame(
    {
        "folio": ["F1", "F2", "F3", "F4", "F5"],
        "municipio": [
            "Heroica Ciudad de Juchitán de Zaragoza",
            "Santa Lucía del Camino",
            "Ánimas Trujano",
            None,
            "juchitán de zaragoza",
        ],
        "monto": [300.0, None, 100.0, 200.0, 100.0],
    }
)
TEXTO = ["folio", "municipio"]


def _folios(tabla: pd.DataFrame) -> list[str]:
    return list(tabla["folio"])


# --- claves -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "texto",
    [
        "Santa Lucía  del Camino",
        "JUCHITÁN",
        "Juchita\u0301n",  # acento combinante
        "PEÑA\tAlta ",
        "İstanbul",  # la I con punto: minúscula con marca combinante
        "Straße ΣΟΦΊΑ",  # fuera de ASCII tras quitar acentos: la función completa
        "x\xa0y",  # espacio duro
        "",
    ],
)
def test_claves_iguales_a_clave_busqueda(texto):
    assert list(claves_busqueda([texto])) == [clave_busqueda(texto)]


def test_claves_de_vacios_y_repetidos():
    assert list(claves_busqueda(["Ánimas", None, np.nan, "Ánimas", "ánimas"])) == [
        "animas",
        "",
        "",
        "animas",
        "animas",
    ]


# --- búsqueda -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("consulta", "esperados"),
    [
        ("juchitan", ["F1", "F5"]),  # sin acentos encuentra «Juchitán»
        ("JUCHITÁN", ["F1", "F5"]),
        ("  zaragoza   heroica ", ["F1"]),  # cada palabra, en cualquier orden
        ("lucia", ["F2"]),
        ("animas", ["F3"]),
        ("f4", ["F4"]),  # también en el folio (otra columna de texto)
        ("100", []),  # los montos no son columnas de texto
        ("juchitan lucia", []),  # cada palabra en la misma fila
        ("", ["F1", "F2", "F3", "F4", "F5"]),
        ("   ", ["F1", "F2", "F3", "F4", "F5"]),
    ],
)
def test_busqueda_sin_acentos_en_las_columnas_de_texto(consulta, esperados):
    filas, total = bloque(OBRAS, 0, 100, busqueda=consulta, columnas_texto=TEXTO)
    assert _folios(filas) == esperados
    assert total == len(esperados)


def test_una_palabra_no_cruza_de_una_columna_a_otra():
    # folio "F1" + municipio "Heroica...": "f1heroica" no está en ninguna columna
    filas, total = bloque(OBRAS, 0, 100, busqueda="f1heroica", columnas_texto=TEXTO)
    assert total == 0 and filas.empty


# --- orden --------------------------------------------------------------------------------------


def test_orden_por_numero_ascendente_vacios_al_final_y_empates_estables():
    # montos: F1 300, F2 vacío, F3 100, F4 200, F5 100 -> 100 (F3, F5), 200, 300, vacío
    filas, _ = bloque(OBRAS, 0, 100, orden=[Orden("monto")], columnas_texto=TEXTO)
    assert _folios(filas) == ["F3", "F5", "F4", "F1", "F2"]


def test_orden_por_numero_descendente_vacios_tambien_al_final():
    filas, _ = bloque(OBRAS, 0, 100, orden=[Orden("monto", True)], columnas_texto=TEXTO)
    assert _folios(filas) == ["F1", "F4", "F3", "F5", "F2"]


def test_orden_de_texto_por_su_clave_sin_acentos():
    # claves: F1 "heroica...", F2 "santa lucia...", F3 "animas...", F4 vacío, F5 "juchitan..."
    filas, _ = bloque(OBRAS, 0, 100, orden=[Orden("municipio")], columnas_texto=TEXTO)
    assert _folios(filas) == ["F3", "F1", "F5", "F2", "F4"]
    filas, _ = bloque(OBRAS, 0, 100, orden=[Orden("municipio", True)], columnas_texto=TEXTO)
    assert _folios(filas) == ["F2", "F5", "F1", "F3", "F4"]


def test_varios_criterios_el_primero_manda():
    filas, _ = bloque(
        OBRAS, 0, 100, orden=[Orden("monto"), Orden("folio", True)], columnas_texto=TEXTO
    )
    assert _folios(filas) == ["F5", "F3", "F4", "F1", "F2"]


def test_criterio_con_columna_desconocida_se_ignora():
    filas, _ = bloque(OBRAS, 0, 100, orden=[Orden("no_existe")], columnas_texto=TEXTO)
    assert _folios(filas) == ["F1", "F2", "F3", "F4", "F5"]


# --- bloques ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("inicio", "fin", "esperados"),
    [
        (0, 2, ["F3", "F5"]),
        (2, 4, ["F4", "F1"]),
        (4, 6, ["F2"]),  # el último bloque viene incompleto
        (5, 10, []),  # más allá del final: vacío, con el total
        (-3, 1, ["F3"]),  # inicio negativo: desde 0
        (3, 1, []),  # fin antes del inicio: vacío
    ],
)
def test_bloques_exactos_de_la_vista_ordenada(inicio, fin, esperados):
    filas, total = bloque(OBRAS, inicio, fin, orden=[Orden("monto")], columnas_texto=TEXTO)
    assert _folios(filas) == esperados
    assert total == 5


def test_bloque_con_busqueda_y_orden():
    filas, total = bloque(
        OBRAS,
        1,
        2,
        busqueda="juchitan",
        orden=[Orden("monto")],
        columnas_texto=TEXTO,
    )
    # Juchitán: F1 (300) y F5 (100); por monto: F5, F1; el segundo es F1
    assert _folios(filas) == ["F1"] and total == 2


def test_posicion_de_una_fila_en_la_vista():
    posiciones = vista(OBRAS, orden=[Orden("monto", True)], columnas_texto=TEXTO)
    assert posicion(posiciones, OBRAS, "folio", "F3") == 2
    assert posicion(posiciones, OBRAS, "folio", "F9") is None
    con_busqueda = vista(OBRAS, busqueda="juchitan", columnas_texto=TEXTO)
    assert posicion(con_busqueda, OBRAS, "folio", "F5") == 1
    assert posicion(con_busqueda, OBRAS, "folio", "F3") is None  # no pasa la búsqueda


# --- el pedido de la cuadrícula y el callback ---------------------------------------------------


def test_orden_desde_el_sort_model_de_la_cuadricula():
    assert paginado.orden_de(
        [{"colId": "monto_aprobado", "sort": "desc"}, {"colId": "nombre", "sort": "asc"}]
    ) == [Orden("monto_aprobado", True), Orden("nombre")]
    assert paginado.orden_de(None) == []
    assert paginado.orden_de([{"sort": "asc"}, "x", {"colId": 3}]) == []


@pytest.fixture(scope="module")
def app(raiz_ejemplo):
    return crear_app(raiz_ejemplo)


@pytest.fixture(scope="module")
def datos(raiz_ejemplo):
    return capas.abrir(raiz_ejemplo)


def _buscar_a_mano(filas: list[dict], consulta: str) -> list[str]:
    """Folios de las filas con cada palabra en alguna columna de texto (por definición)."""
    texto = [
        c["field"]
        for c in figuras.COLUMNAS
        if c["field"] not in ("monto_aprobado", "avance_fisico")
    ]
    palabras = clave_busqueda(consulta).split()
    return [
        f["folio"]
        for f in filas
        if all(any(p in clave_busqueda(f[c]) for c in texto) for p in palabras)
    ]


SIN_FILTROS = [None, None, [], [], None, None, [], "", "", None]


def test_callback_responde_un_bloque_con_su_total(app, datos):
    pagina = ayuda.modulo("/obras")
    tabla = capas.tabla_obras(datos)
    assert len(tabla) > 150
    with app.server.test_request_context("/obras"):
        pedido = {"startRow": 100, "endRow": 150, "sortModel": [], "filterModel": {}}
        respuesta = pagina.bloque_tabla(pedido, "", *SIN_FILTROS, datos.id)
    assert set(respuesta) == {"rowData", "rowCount"}
    assert respuesta["rowCount"] == len(tabla)
    # las filas 100 a 149 de la capa, tal como las muestra la figura
    assert respuesta["rowData"] == figuras.filas(tabla.iloc[100:150])


def test_callback_ordena_y_busca_en_el_servidor(app, datos):
    pagina = ayuda.modulo("/obras")
    tabla = capas.tabla_obras(datos, alerta="cualquiera")
    pedido = {
        "startRow": 0,
        "endRow": 100,
        "sortModel": [{"colId": "monto_aprobado", "sort": "desc"}],
    }
    with app.server.test_request_context("/obras"):
        valores = [None, None, [], [], None, "cualquiera", [], "", "", None]
        respuesta = pagina.bloque_tabla(pedido, "", *valores, datos.id)
        buscadas = pagina.bloque_tabla(pedido, "SOBRECOSTO", *valores, datos.id)
    ordenada = tabla.sort_values("monto_aprobado", ascending=False, na_position="last")
    assert [f["monto_aprobado"] for f in respuesta["rowData"]] == [
        f["monto_aprobado"] for f in figuras.filas(ordenada.head(100))
    ]
    # la búsqueda mira los textos que se ven (el título de la alerta: «Sobrecosto»)
    esperadas = _buscar_a_mano(figuras.filas(tabla), "SOBRECOSTO")
    assert esperadas, "el ejemplo tiene obras con sobrecosto"
    assert buscadas["rowCount"] == len(esperadas)
    assert len(esperadas) <= 100  # caben en el bloque; vienen ordenadas por monto
    assert sorted(f["folio"] for f in buscadas["rowData"]) == sorted(esperadas)


def test_callback_acota_el_bloque_y_sin_version(app, datos):
    pagina = ayuda.modulo("/obras")
    with app.server.test_request_context("/obras"):
        enorme = {"startRow": 0, "endRow": 10**9}
        respuesta = pagina.bloque_tabla(enorme, None, *SIN_FILTROS, datos.id)
        assert len(respuesta["rowData"]) == paginado.MAXIMO_POR_BLOQUE
        assert pagina.bloque_tabla(enorme, "", *SIN_FILTROS, "v9999") == paginado.VACIA


def test_la_tabla_del_layout_no_lleva_filas(app, datos):
    pagina = ayuda.modulo("/obras")
    with app.server.test_request_context("/obras"):
        arbol = pagina.layout(buscar="juchitan")
    rejilla = ayuda.por_id(arbol, "obras-tabla")["props"]
    assert rejilla["rowModelType"] == "infinite" and "rowData" not in rejilla
    opciones = rejilla["dashGridOptions"]
    assert opciones["cacheBlockSize"] == 100
    assert "quickFilterText" not in opciones and "quickFilterMatcher" not in opciones
    juchitan = _buscar_a_mano(figuras.filas(capas.tabla_obras(datos)), "juchitan")
    assert opciones["infiniteInitialRowCount"] == len(juchitan) > 0
    assert rejilla["eventListeners"]["modelUpdated"] == ["sigueMarcarElegida(params)"]


# --- ranking de contratistas por bloques (orden fijo: «sin dato» al final) -----------------------

#: Seis obras a mano: Alfa 300 + 200, Beta 100 + 200, y dos sin contratista (vacío y «N/D»).
OBRAS_CONTRATISTAS = pd.DataFrame(
    {
        "folio": ["O1", "O2", "O3", "O4", "O5", "O6"],
        "contratista": ["Beta SA", "Alfa SA", None, "Alfa SA", "N/D", "Beta SA"],
        "cvegeo": ["20001", "20001", "20001", "20002", "20002", "20002"],
        "municipio": ["Abejones", "Abejones", "Abejones", "Acatlán", "Acatlán", "Acatlán"],
        "monto_aprobado": [100.0, 300.0, 50.0, 200.0, 500.0, 200.0],
        "monto_ejercido": [100.0, 400.0, 50.0, 100.0, 500.0, 200.0],
        "alertas": [None, "sobrecosto", None, "vencida", None, None],
        "num_alertas": [0, 1, 0, 1, 0, 0],
    }
)


class _Datos:
    """Lo que la tabla servida usa de una versión: su memoria (``memo``)."""

    def __init__(self):
        self._memo: dict = {}

    def memo(self, clave, calcular):
        if clave not in self._memo:
            self._memo[clave] = calcular()
        return self._memo[clave]


def _leer_ranking(_datos, por_municipio=True, cvegeo=None):
    from capas.contratistas import ranking

    obras = OBRAS_CONTRATISTAS
    if cvegeo is not None:
        obras = obras[obras["cvegeo"] == cvegeo]
    return ranking(obras, por_municipio)


@pytest.fixture(scope="module")
def ranking_servido(app):
    """El ``RANKING`` de /obras (mismas columnas, filas y orden fijo) sobre las seis obras."""
    import dataclasses

    return dataclasses.replace(ayuda.modulo("/obras").RANKING, nombre="prueba", leer=_leer_ranking)


def _pedir(servida, filtros, inicio=0, fin=100, orden=None):
    pedido = {"startRow": inicio, "endRow": fin, "sortModel": orden or []}
    respuesta = servida.respuesta(_Datos(), filtros, pedido, "")
    nombres = [
        "sin dato" if f["sin_dato"] else f["contratista"].split("]")[0][1:]
        for f in respuesta["rowData"]
    ]
    return [
        (f.get("municipio"), n, f["monto"])
        for f, n in zip(respuesta["rowData"], nombres, strict=True)
    ], respuesta["rowCount"]


def test_ranking_por_bloques_en_la_entidad_sin_dato_al_final_con_cualquier_orden(ranking_servido):
    entidad = {"por_municipio": False}
    # el orden del ranking: Alfa 500, Beta 300; «sin dato» (50 + 500) al final
    assert _pedir(ranking_servido, entidad) == (
        [(None, "Alfa SA", 500.0), (None, "Beta SA", 300.0), (None, "sin dato", 550.0)],
        3,
    )
    # de mayor a menor monto: «sin dato» tiene el mayor y aun así va al final
    desc = [{"colId": "monto", "sort": "desc"}]
    assert [n for _, n, _ in _pedir(ranking_servido, entidad, orden=desc)[0]] == [
        "Alfa SA",
        "Beta SA",
        "sin dato",
    ]
    asc = [{"colId": "monto", "sort": "asc"}]
    assert [n for _, n, _ in _pedir(ranking_servido, entidad, orden=asc)[0]] == [
        "Beta SA",
        "Alfa SA",
        "sin dato",
    ]
    por_nombre = [{"colId": "contratista", "sort": "desc"}]
    assert [n for _, n, _ in _pedir(ranking_servido, entidad, orden=por_nombre)[0]] == [
        "Beta SA",
        "Alfa SA",
        "sin dato",
    ]


def test_ranking_por_municipio_bloques_exactos(ranking_servido):
    por_municipio = {"por_municipio": True}
    # el orden del ranking: por municipio, monto de mayor a menor (empate: nombre); sin dato
    assert _pedir(ranking_servido, por_municipio) == (
        [
            ("Abejones", "Alfa SA", 300.0),
            ("Abejones", "Beta SA", 100.0),
            ("Acatlán", "Alfa SA", 200.0),
            ("Acatlán", "Beta SA", 200.0),
            ("Abejones", "sin dato", 50.0),
            ("Acatlán", "sin dato", 500.0),
        ],
        6,
    )
    # por monto, de mayor a menor: Alfa 300, Alfa 200, Beta 200, Beta 100 | sin 500, sin 50;
    # el bloque de las filas 2 y 3
    desc = [{"colId": "monto", "sort": "desc"}]
    assert _pedir(ranking_servido, por_municipio, 2, 4, desc) == (
        [("Acatlán", "Beta SA", 200.0), ("Abejones", "Beta SA", 100.0)],
        6,
    )
    assert _pedir(ranking_servido, por_municipio, 4, 100, desc) == (
        [("Acatlán", "sin dato", 500.0), ("Abejones", "sin dato", 50.0)],
        6,
    )
    # por municipio de Z a A: Acatlán antes que Abejones; «sin dato» siempre al final
    municipio = [{"colId": "municipio", "sort": "desc"}]
    assert [(m, n) for m, n, _ in _pedir(ranking_servido, por_municipio, orden=municipio)[0]] == [
        ("Acatlán", "Alfa SA"),
        ("Acatlán", "Beta SA"),
        ("Abejones", "Alfa SA"),
        ("Abejones", "Beta SA"),
        ("Acatlán", "sin dato"),
        ("Abejones", "sin dato"),
    ]


def test_ranking_con_un_filtro_y_su_participacion(ranking_servido):
    filtros = {"por_municipio": False, "cvegeo": "20002"}
    filas, total = _pedir(ranking_servido, filtros)
    assert (filas, total) == (
        [(None, "Alfa SA", 200.0), (None, "Beta SA", 200.0), (None, "sin dato", 500.0)],
        3,
    )
    respuesta = ranking_servido.respuesta(_Datos(), filtros, {"startRow": 0, "endRow": 1}, "")
    # Alfa: 200 de los 900 de Acatlán; una obra, con la alerta «vencida» (retraso)
    assert respuesta["rowData"][0]["participacion"] == round(200 / 900, 4)
    assert respuesta["rowData"][0]["obras_con_retraso"] == 1
    assert respuesta["rowCount"] == 3
    assert ranking_servido.total_y_lugar(_Datos(), filtros, "") == (3, None)


# --- columnas de las tablas por bloques ----------------------------------------------------------


def test_tabla_por_bloques_sin_auto_height_y_con_alto_fijo():
    from tablero import tablas

    columnas = [
        tablas.texto("nombre", "Obra", wrapText=True, autoHeight=True),
        tablas.pesos("monto", "Monto"),
    ]
    assert tablas.columnas_por_bloques(columnas) == [
        {k: v for k, v in columnas[0].items() if k != "autoHeight"},
        columnas[1],
    ]
    rejilla = tablas.tabla("t", columnas, [], descripcion="x", por_bloques=True, total=7)
    assert rejilla.children.columnDefs == tablas.columnas_por_bloques(columnas)
    assert rejilla.children.dashGridOptions["rowHeight"] == tablas.ALTO_FILA_ENVUELTA
    assert rejilla.className == "tabla-datos tabla-datos--bloques"
    # con el modelo de filas de siempre, autoHeight se queda (y no hay alto fijo)
    normal = tablas.tabla("t", columnas, [], descripcion="x")
    assert normal.children.columnDefs[0]["autoHeight"] is True
    assert "rowHeight" not in normal.children.dashGridOptions


def test_recientes_guarda_los_usados_mas_recientemente():
    from tablero.paginado import _Recientes

    recientes = _Recientes(2)
    calculos = []

    def calcular(valor):
        def _calcular():
            calculos.append(valor)
            return valor * 10

        return _calcular

    assert recientes.obtener("a", calcular(1)) == 10
    assert recientes.obtener("b", calcular(2)) == 20
    assert recientes.obtener("a", calcular(99)) == 10  # en caché: no se calcula
    assert recientes.obtener("c", calcular(3)) == 30  # sale "b", la usada hace más tiempo
    assert sorted(recientes) == ["a", "c"]
    assert recientes.obtener("b", calcular(4)) == 40
    assert calculos == [1, 2, 3, 4]


def test_un_limite_de_bloque_infinito_o_raro_usa_el_de_omision():
    # AG Grid manda enteros; un cliente que manda Infinity, NaN, nulo o texto no rompe el bloque
    from tablero.paginado import _entero

    assert [_entero(v, 7) for v in (float("inf"), float("nan"), None, "x", -3, 12.9)] == [
        7,
        7,
        7,
        7,
        0,
        12,
    ]
