"""Página de obra pública sin navegador: filtros, ficha de una obra, contratistas."""

from __future__ import annotations

from urllib.parse import parse_qs

import dash
import pandas as pd
import pytest

import capas
from capas.config import ALERTAS, CODIGOS_ALERTA
from capas.parametros import leer_parametros
from tablero.app import crear_app
from tablero.figuras import obras as figuras
from tablero.figuras import puntos
from tablero.formato import pesos, porcentaje

try:
    from tests import ayuda_paginas as ayuda
except ImportError:  # pytest sin la raíz del proyecto en sys.path
    import ayuda_paginas as ayuda


@pytest.fixture(scope="module")
def app(raiz_ejemplo):
    return crear_app(raiz_ejemplo)


@pytest.fixture(scope="module")
def pagina(app):
    return ayuda.modulo("/obras")


@pytest.fixture(scope="module")
def datos(raiz_ejemplo):
    return capas.abrir(raiz_ejemplo)


@pytest.fixture(scope="module")
def obras(datos):
    return capas.tabla_obras(datos)


@pytest.fixture
def peticion(app):
    with app.server.test_request_context("/obras"):
        yield


def _sin_nulos(serie) -> list:
    return [None if pd.isna(v) else v for v in serie]


def _folios(filas) -> list[str]:
    return [f["folio"] for f in filas]


def _filtrar(pagina, datos, **filtros):
    """Llama al callback de filtros con los valores dados (el resto sin filtro)."""
    valores = {
        "anio": None,
        "municipio": None,
        "niveles": [],
        "estatus": [],
        "contratista": None,
        "alerta": None,
        "luces": [],
        "desde": "",
        "hasta": "",
        "entidad": None,
        **filtros,
    }
    parche, resumen, vista, rango, vacio = pagina.actualizar(*valores.values(), None, datos.id)
    # la tabla pide sus filas por bloques con los mismos controles
    filas = ayuda.filas_por_bloques(pagina, list(valores.values()), datos.id)
    return parche, filas, resumen, vista, rango, vacio


@pytest.mark.parametrize("codigo", CODIGOS_ALERTA)
def test_filtrar_por_alerta_da_las_obras_que_capas_marca(pagina, datos, obras, peticion, codigo):
    parche, filas, resumen, *_ = _filtrar(pagina, datos, alerta=codigo)
    marcadas = obras[obras["alertas"].fillna("").str.split(";").apply(lambda c: codigo in c)]
    assert _folios(filas) == list(capas.tabla_obras(datos, alerta=codigo)["folio"])
    assert set(_folios(filas)) == set(marcadas["folio"])
    if codigo == "sobrecosto":
        assert filas and all("Sobrecosto" in f["alertas"] for f in filas)
    # el mapa recibe solo esas obras (las que tienen coordenadas)
    en_mapa = ayuda.asignaciones(parche)[("data", puntos.TRAZA_PUNTOS, "customdata")]
    assert set(en_mapa) == set(marcadas.dropna(subset=["latitud", "longitud"])["folio"])
    assert resumen.startswith(f"Se muestran {len(marcadas)} obra")


def test_cualquier_alerta_y_sin_alertas(pagina, datos, obras, peticion):
    _, con, *_ = _filtrar(pagina, datos, alerta=figuras.CUALQUIER_ALERTA)
    _, sin, *_ = _filtrar(pagina, datos, alerta=figuras.SIN_ALERTAS)
    assert set(_folios(con)) == set(obras.loc[obras["num_alertas"] > 0, "folio"])
    assert set(_folios(sin)) == set(obras.loc[obras["num_alertas"] == 0, "folio"])
    assert len(con) + len(sin) == len(obras)


def test_filtros_combinados_y_rango_de_montos(pagina, datos, peticion):
    _, filas, _, _, rango, vacio_oculto = _filtrar(
        pagina,
        datos,
        anio=2025,
        niveles=["MUNICIPAL", "ESTATAL"],
        estatus=["Terminado", "En ejecución"],
        luces=["verde", "rojo"],
        desde="1,000,000",
        hasta="$10000000",
    )
    tabla = capas.tabla_obras(datos, anio=2025)
    esperado = tabla[
        tabla["nivel_gobierno"].isin(["MUNICIPAL", "ESTATAL"])
        & tabla["estatus"].isin(["Terminado", "En ejecución"])
        & tabla["semaforo"].isin(["verde", "rojo"])
        & tabla["monto_aprobado"].between(1_000_000, 10_000_000)
    ]
    assert filas and _folios(filas) == list(esperado["folio"])
    assert all(1_000_000 <= f["monto_aprobado"] <= 10_000_000 for f in filas)
    assert rango == "Entre $1,000,000 y $10,000,000."
    assert vacio_oculto is True  # hay obras: no se ofrece «Quitar filtros»


def test_filtrar_por_contratista_y_municipio(pagina, datos, obras, peticion):
    contratista = obras["contratista"].value_counts().index[0]
    municipio = obras.loc[obras["contratista"] == contratista, "cvegeo"].iloc[0]
    parche, filas, _, vista, *_ = _filtrar(
        pagina, datos, contratista=contratista, municipio=municipio
    )
    esperado = obras[(obras["contratista"] == contratista) & (obras["cvegeo"] == municipio)]
    assert _folios(filas) == list(esperado["folio"])
    cambios = ayuda.asignaciones(parche)
    assert cambios[("data", puntos.TRAZA_MUNICIPIO, "lat")]  # el contorno del municipio
    assert cambios[("layout", "uirevision")] == f"obras-municipio-{municipio}"
    assert vista["limites"][0] < vista["limites"][2]


def test_la_ficha_explica_cada_alerta_con_sus_numeros(pagina, datos, obras, peticion):
    obra = obras[obras["num_alertas"] > 1].iloc[0]
    folio = obra["folio"]
    ficha, seleccion, oculto = pagina.mostrar_ficha(folio, None, datos.id)
    texto = ayuda.texto(ficha)
    alertas = capas.alertas_de_obra(datos, folio)
    assert len(alertas) == obra["num_alertas"] > 1
    for alerta in alertas:
        assert alerta.titulo in texto
        assert alerta.mensaje in texto  # la frase lleva los números (montos, %, fechas)
    assert f"Alertas ({len(alertas)})" in texto
    for cifra in ("monto_aprobado", "monto_ejercido", "monto_pagado"):
        assert pesos(obra[cifra]) in texto
    assert porcentaje(obra["avance_fisico"]) in texto
    assert f"Obra {folio} elegida." in ayuda.texto(seleccion)
    assert oculto is False


def test_la_ficha_grafica_y_tabla_del_historial(pagina, datos, obras, peticion):
    folio = obras.loc[obras["reportes"] >= 3, "folio"].iloc[0]
    ficha, *_ = pagina.mostrar_ficha(folio, None, datos.id)
    historial = capas.historial_obra(datos, folio)
    grafica = ayuda.componentes(ficha, "Graph")[0]["props"]["figure"]
    fisico, financiero = grafica["data"]
    assert fisico["x"] == list(historial["reporte"])
    assert fisico["y"] == list((historial["avance_fisico"] * 100).round(1))
    assert financiero["y"] == list((historial["avance_financiero"] * 100).round(1))
    assert fisico["line"]["dash"] != financiero["line"]["dash"]  # no solo el color
    # la tabla alternativa: un renglón por reporte
    filas = [
        nodo
        for tabla in ayuda.componentes(ficha, "Table")
        for nodo in ayuda.componentes(tabla, "Tr")
    ]
    assert len(filas) == 1 + len(historial)
    assert historial["reporte"].iloc[-1] in ayuda.texto(ficha)


def test_la_ficha_usa_el_estado_del_anio_elegido(pagina, datos, peticion):
    del2024 = capas.tabla_obras(datos, anio=2024)
    obra = del2024[del2024["folio"].isin(capas.tabla_obras(datos, anio=2025)["folio"])].iloc[0]
    ficha, *_ = pagina.mostrar_ficha(obra["folio"], 2024, datos.id)
    texto = ayuda.texto(ficha)
    assert f"{2024}, trimestre {obra['trimestre']} (año elegido: 2024)" in texto
    assert porcentaje(obra["avance_fisico"]) in texto


def test_folio_inexistente_y_sin_folio(pagina, datos, peticion):
    ficha, seleccion, oculto = pagina.mostrar_ficha("NO-EXISTE", None, datos.id)
    assert "No hay una obra con folio NO-EXISTE" in ayuda.texto(ficha)
    assert oculto is True
    ficha, seleccion, oculto = pagina.mostrar_ficha("", None, datos.id)
    assert "Todavía no ha elegido una obra." in ayuda.texto(ficha)
    assert oculto is True


def test_url_con_folio_abre_la_ficha_y_elige_la_fila(pagina, datos, obras, peticion):
    folio = obras.loc[obras["alertas"].fillna("").str.contains("sobrecosto"), "folio"].iloc[0]
    arbol = pagina.layout(alerta="sobrecosto", folio=folio)
    assert ayuda.por_id(arbol, "obras-folio")["props"]["data"] == folio
    rejilla = ayuda.por_id(arbol, "obras-tabla")["props"]
    # la tabla por bloques marca la fila cuando llega su bloque (context.elegida) y abre en
    # la página donde está
    assert rejilla["dashGridOptions"]["context"] == {"elegida": folio}
    lugar = list(capas.tabla_obras(datos, alerta="sobrecosto")["folio"]).index(folio)
    assert rejilla.get("paginationGoTo") == (lugar // 10 or None)
    assert ayuda.por_id(arbol, "obras-alerta")["props"]["value"] == "sobrecosto"
    ficha = ayuda.texto(ayuda.por_id(arbol, "obras-detalle"))
    for alerta in capas.alertas_de_obra(datos, folio):
        assert alerta.mensaje in ficha
    assert ayuda.por_id(arbol, "obras-cerrar")["props"]["hidden"] is False


@pytest.mark.parametrize(
    ("disparador", "entradas", "esperado"),
    [
        ("obras-tabla.selectedRows", ([{"folio": "B"}], None, None, "A"), "B"),
        ("obras-mapa.clickData", (None, {"points": [{"customdata": "C"}]}, None, "A"), "C"),
        ("obras-cerrar.n_clicks", (None, None, 1, "A"), ""),
        ("obras-tabla.selectedRows", ([{"folio": "A"}], None, None, "A"), "no_update"),
        ("obras-tabla.selectedRows", ([], None, None, "A"), "no_update"),
    ],
)
def test_elegir_una_obra(pagina, disparador, entradas, esperado):
    import dash

    with ayuda.disparado_por(disparador) as llamar:
        resultado = llamar(pagina.elegir, *entradas)
    assert resultado == (dash.no_update if esperado == "no_update" else esperado)


def _nombre_de_enlace(celda: str) -> str:
    """La razón social de una celda ``[texto](/contratista?nombre=...)`` del ranking."""
    destino = celda[celda.rindex("](") + 2 : -1]
    ruta, consulta = destino.split("?", 1)
    assert ruta == "/contratista"
    return parse_qs(consulta)["nombre"][0]


#: Controles de /obras sin filtros (el orden de ``pagina.FILTROS``).
SIN_FILTROS = [None, None, [], [], None, None, [], "", "", None]
#: Como pide la cuadrícula del ranking al abrir: por monto, de mayor a menor.
POR_MONTO = [{"colId": "monto", "sort": "desc"}]


def test_ranking_de_contratistas_por_municipio_con_enlaces_y_sin_dato_al_final(
    pagina, datos, obras, peticion
):
    arbol = pagina.layout()
    rejilla = ayuda.por_id(arbol, "obras-contratistas")["props"]
    # por bloques: el layout no trae filas, solo cuántas son
    assert rejilla["rowModelType"] == "infinite" and "rowData" not in rejilla
    assert "postSortRows" not in rejilla["dashGridOptions"]
    argumentos = [*SIN_FILTROS, "municipio", datos.id]
    filas = ayuda.filas_de_bloques(pagina.bloque_contratistas, argumentos, POR_MONTO)
    assert rejilla["dashGridOptions"]["infiniteInitialRowCount"] == len(filas)
    total = ayuda.por_id(arbol, "obras-contratistas-total")["props"]["children"]
    assert total == f"{len(filas)} filas en el ranking (una por contratista y municipio)."
    # una fila por municipio y contratista; las obras sin contratista en su propio grupo
    assert sum(f["obras"] for f in filas) == len(obras)
    sin_dato = [f for f in filas if f["sin_dato"]]
    empresas = [f for f in filas if not f["sin_dato"]]
    assert filas == empresas + sin_dato  # «sin dato» nunca entre las empresas
    assert [f["monto"] for f in empresas] == sorted((f["monto"] for f in empresas), reverse=True)
    assert sum(f["obras"] for f in sin_dato) == obras["contratista"].isna().sum() > 0
    assert {f["contratista"] for f in sin_dato} == {"Sin dato (sin contratista publicado)"}
    pares = {(f["municipio"], _nombre_de_enlace(f["contratista"])) for f in empresas}
    con_nombre = obras.dropna(subset=["contratista"])
    assert pares == set(zip(con_nombre["municipio"], con_nombre["contratista"], strict=True))
    campos = [c["field"] for c in rejilla["columnDefs"]]
    for campo in ("obras_con_alerta", "obras_con_sobregiro", "obras_con_retraso", "municipio"):
        assert campo in campos
    # filas de alto fijo: el modelo infinito no admite autoHeight (aviso en la consola)
    assert not any(c.get("autoHeight") for c in rejilla["columnDefs"])


def test_ranking_de_contratistas_con_los_filtros_de_la_pagina(pagina, datos, peticion):
    controles = [2025, None, [], [], None, "vencida", ["rojo"], "1,000,000", "", None]
    with ayuda.disparado_por("obras-agrupar.value") as llamar:
        columnas, total = llamar(pagina.actualizar_contratistas, *controles, "entidad", datos.id)
    filas = ayuda.filas_de_bloques(
        pagina.bloque_contratistas, [*controles, "entidad", datos.id], POR_MONTO
    )
    esperado = capas.tabla_obras(
        datos, anio=2025, alerta="vencida", semaforo=["rojo"], monto_min=1_000_000
    )
    assert len(esperado) > 0
    assert total == f"{len(filas)} filas en el ranking (una por contratista en la entidad)."
    assert sum(f["obras"] for f in filas) == len(esperado)
    # todas las obras filtradas tienen la alerta «vencida»: todas con retraso
    assert [f["obras_con_retraso"] for f in filas] == [f["obras"] for f in filas]
    assert [f["obras_con_alerta"] for f in filas] == [f["obras"] for f in filas]
    por_nombre = esperado.groupby("contratista")["monto_aprobado"].sum()
    empresas = [f for f in filas if not f["sin_dato"]]
    assert [_nombre_de_enlace(f["contratista"]) for f in empresas] == list(
        por_nombre.sort_values(ascending=False, kind="stable").index
    )
    assert [f["monto"] for f in empresas] == pytest.approx(
        sorted(por_nombre.round(2), reverse=True)
    )
    sobregiro = esperado["monto_ejercido"] > esperado["monto_aprobado"]
    assert sum(f["obras_con_sobregiro"] for f in filas) == sobregiro.sum()
    assert "municipio" not in [c["field"] for c in columnas]
    assert not any(c.get("autoHeight") for c in columnas)
    assert sum(f["participacion"] for f in filas) == pytest.approx(1, abs=1e-3)


def test_otro_filtro_no_cambia_las_columnas_del_ranking(pagina, datos, peticion):
    controles = [2025, None, [], [], None, None, [], "", "", None]
    with ayuda.disparado_por("obras-anio.value") as llamar:
        columnas, total = llamar(pagina.actualizar_contratistas, *controles, "entidad", datos.id)
    assert columnas is dash.no_update
    filas = ayuda.filas_de_bloques(pagina.bloque_contratistas, [*controles, "entidad", datos.id])
    assert total == f"{len(filas)} filas en el ranking (una por contratista en la entidad)."
    assert sum(f["obras"] for f in filas) == len(capas.tabla_obras(datos, anio=2025))


def test_opciones_de_alerta_con_los_titulos_de_la_metodologia():
    opciones = figuras.opciones_alerta()
    assert [o["value"] for o in opciones][2:] == list(CODIGOS_ALERTA)
    assert [o["label"] for o in opciones][2:] == [regla.titulo for regla in ALERTAS]


@pytest.mark.parametrize(
    ("texto", "valor"),
    [("1,500,000", 1_500_000.0), ("$2500000.50", 2_500_000.5), (" 1 000 ", 1000.0)],
)
def test_monto_escrito(datos, texto, valor):
    filtros, no_reconocidos = leer_parametros(
        capas.capa("obras"), {"monto_min": texto}, datos, estricto=False
    )
    assert filtros == {"monto_min": valor} and no_reconocidos == []


@pytest.mark.parametrize("texto", ["abc", "1.2.3", "-5", "1e9", "inf"])
def test_monto_no_reconocido(datos, texto):
    filtros, no_reconocidos = leer_parametros(
        capas.capa("obras"), {"monto_min": texto}, datos, estricto=False
    )
    assert filtros == {}
    assert [str(n) for n in no_reconocidos] == [f"monto_min={texto}"]


def test_filas_de_la_tabla():
    tabla = pd.DataFrame(
        {
            "folio": ["F1"],
            "nombre": ["Camino"],
            "municipio": ["X"],
            "nivel_gobierno": ["FEDERAL"],
            "estatus": [None],
            "contratista": ["C S.A."],
            "monto_aprobado": [1234.567],
            "avance_fisico": [0.51234],
            "semaforo": ["rojo"],
            "alertas": ["pago_sin_avance;vencida"],
        }
    )
    assert figuras.filas(tabla) == [
        {
            "folio": "F1",
            "nombre": "Camino",
            "municipio": "X",
            "estatus": None,
            "contratista": "C S.A.",
            "monto_aprobado": 1234.57,
            "avance_fisico": 0.5123,
            "semaforo": "✖ con alerta",
            "alertas": "Pago sin avance, Vencida",
        }
    ]


def test_version_sin_obras(tmp_path):
    from almacen.versiones import Almacen

    Almacen(tmp_path).crear_version(
        {"estacionamientos": (pd.DataFrame({"id": ["1"]}), None)},
        carga={"tipo": "estacionamientos", "archivo": "x.csv", "sha256": "0", "ejemplo": True},
    )
    app = crear_app(tmp_path)
    with app.server.test_request_context("/obras"):
        arbol = ayuda.modulo("/obras").layout(folio="X")
    assert "no tiene obras públicas" in ayuda.texto(arbol)


def test_la_ficha_enlaza_al_contratista_y_no_a_sin_dato(pagina, datos, obras, peticion):
    from urllib.parse import quote

    obra = obras[obras["contratista"].notna()].iloc[0]
    ficha, _, _ = pagina.mostrar_ficha(obra["folio"], None, datos.id)
    enlaces = {c["props"]["href"]: c["props"]["children"] for c in ayuda.componentes(ficha, "Link")}
    href = f"/contratista?nombre={quote(obra['contratista'], safe='')}"
    assert enlaces[href] == obra["contratista"]
    # Un contratista «sin dato» se muestra sin enlace (no hay página que abrir).
    assert figuras._contratista("N/D") == "N/D"
    assert figuras._contratista(None) is None
