"""Modo nacional: el filtro ``?entidad=`` en páginas y descargas, el título y el presupuesto
de la entidad elegida.

Almacén pequeño escrito aquí: el SRFT y la SHCP de ``tests/test_nacional.py`` (obras de
Oaxaca, Morelos y Puebla; programa de Oaxaca y Morelos con una línea estatal de Morelos) y
una Cuenta Pública estatal de Ojos al Gasto con dos entidades. Los valores esperados se
sumaron a mano de esas filas.
"""

from __future__ import annotations

import io
import sys

import dash
import pandas as pd
import pytest

from ingesta.carga import cargar
from tests import ayuda_paginas as ayuda
from tests.conftest import escribir_csv
from tests.test_nacional import ENCABEZADO_SHCP, ENCABEZADO_SRFT, FILAS_SHCP, FILAS_SRFT

#: Cuenta Pública estatal por capítulo (Ojos al Gasto) de dos entidades, 2024.
OJOS_COG = [
    "Estado,Año,Código,Concepto,Aprobado,Devengado,Observaciones",
    "Morelos,2024,COG01,Servicios Personales,100,80,x",
    "Morelos,2024,COG02,Materiales y Suministros,50,40,x",
    "Oaxaca,2024,COG01,Servicios Personales,1000,900,x",
]


@pytest.fixture(scope="module")
def raiz(tmp_path_factory, geografia_nacional):
    carpeta = tmp_path_factory.mktemp("nacional-entidad")
    with pytest.MonkeyPatch.context() as parche:
        parche.setenv("SIGUE_ESTADO", "00")
        srft = escribir_csv(carpeta, "srft.csv", [ENCABEZADO_SRFT, *FILAS_SRFT])
        shcp = escribir_csv(carpeta, "shcp.csv", [ENCABEZADO_SHCP, *FILAS_SHCP])
        ojos = carpeta / "COG Estatal.csv"
        ojos.write_bytes(("\r\n".join(OJOS_COG) + "\r\n").encode("utf-8"))
        cargar("obras", srft, carpeta / "datos")
        cargar("presupuesto", shcp, carpeta / "datos")
        resultado = cargar("presupuesto", ojos, carpeta / "datos")
        assert (resultado.filas_leidas, resultado.filas_aceptadas) == (3, 3)
    return carpeta / "datos"


@pytest.fixture(scope="module")
def app(raiz):
    from tablero.app import crear_app

    return crear_app(raiz)


@pytest.fixture(scope="module")
def cliente(app):
    return app.server.test_client()


def _csv(cliente, url: str) -> pd.DataFrame:
    respuesta = cliente.get(url)
    assert respuesta.status_code == 200, respuesta.get_json()
    return pd.read_csv(io.BytesIO(respuesta.data), dtype=str)


# --- almacén y capas ------------------------------------------------------------------------


def test_cada_linea_de_presupuesto_guarda_su_entidad(raiz):
    from almacen.versiones import Almacen

    capa = Almacen(raiz).version().leer("presupuesto")
    columnas = [capa["fuente"], capa["cvegeo"].fillna("-"), capa["cve_ent"], capa["aprobado"]]
    filas = sorted(zip(*columnas, strict=True))
    assert filas == [
        ("ojos_al_gasto", "-", "17", 50.0),
        ("ojos_al_gasto", "-", "17", 100.0),
        ("ojos_al_gasto", "-", "20", 1000.0),
        ("shcp", "-", "17", 50.0),  # la línea estatal de Morelos
        ("shcp", "17007", "17", 300.0),
        ("shcp", "20067", "20", 1000.0),
    ]


def test_presupuesto_por_capitulo_de_la_entidad_y_del_pais(raiz):
    import capas

    datos = capas.abrir(raiz)
    morelos = capas.capitulos_presupuesto(datos, 2024, entidad="17")
    oaxaca = capas.capitulos_presupuesto(datos, 2024, entidad="20")
    pais = capas.capitulos_presupuesto(datos, 2024)
    # Morelos: 100 + 50 aprobados, 80 + 40 devengados; Oaxaca 1,000 / 900; el país, la suma.
    assert (morelos.aprobado, morelos.ejercido, list(morelos.capitulos["codigo"])) == (
        150.0,
        120.0,
        ["COG01", "COG02"],
    )
    assert (oaxaca.aprobado, oaxaca.ejercido) == (1000.0, 900.0)
    assert (pais.aprobado, pais.ejercido) == (1150.0, 1020.0)
    assert capas.capitulos_presupuesto(datos, 2024, entidad="21") is None  # Puebla: sin datos
    assert capas.ejercicios_presupuesto(datos, entidad="17") == [2024]


# --- descargas ------------------------------------------------------------------------------


def test_descargas_filtran_por_entidad_sin_cambiar_columnas(cliente):
    todas = _csv(cliente, "/descargas/obras.csv")
    morelos = _csv(cliente, "/descargas/obras.csv?entidad=17")
    assert list(morelos.columns) == list(todas.columns)
    assert sorted(todas["folio"]) == ["MOR-001", "MOR-002", "OAX-001", "PUE-001"]
    assert sorted(morelos["folio"]) == ["MOR-001", "MOR-002"]
    assert list(_csv(cliente, "/descargas/obras.csv?entidad=7")["folio"]) == []  # Chiapas
    assert list(_csv(cliente, "/descargas/obras.csv?entidad=21")["folio"]) == ["PUE-001"]
    # un municipio de otra entidad no está en la entidad: nada
    assert list(_csv(cliente, "/descargas/obras.csv?entidad=17&municipio=20067")["folio"]) == []
    cuernavaca = _csv(cliente, "/descargas/obras.csv?entidad=17&municipio=17007")
    assert list(cuernavaca["folio"]) == ["MOR-001"]
    # presupuesto de Morelos: su línea municipal y sus líneas estatales (SHCP y Ojos al Gasto)
    programa = _csv(cliente, "/descargas/presupuesto.csv?entidad=17&clasificacion=programa")
    assert sorted(programa["aprobado"].astype(float)) == [50.0, 300.0]
    # sin filtro, la descarga del país dice la entidad de cada línea (las estatales no tienen
    # cvegeo): la misma tabla que guarda el almacén, al final de las columnas del contrato
    pais = _csv(cliente, "/descargas/presupuesto.csv")
    assert pais.columns[-1] == "cve_ent"
    filas = zip(pais["fuente"], pais["cvegeo"].fillna("-"), pais["cve_ent"], strict=True)
    assert sorted(filas) == [
        ("ojos_al_gasto", "-", "17"),
        ("ojos_al_gasto", "-", "17"),
        ("ojos_al_gasto", "-", "20"),
        ("shcp", "-", "17"),
        ("shcp", "17007", "17"),
        ("shcp", "20067", "20"),
    ]
    # municipios de Morelos: 35 filas por año
    municipios = _csv(cliente, "/descargas/municipios.csv?entidad=17&anio=2024")
    assert (len(municipios), set(municipios["cvegeo"].str[:2])) == (35, {"17"})


def test_descarga_con_entidad_invalida_es_400(cliente):
    respuesta = cliente.get("/descargas/obras.csv?entidad=33")
    assert respuesta.status_code == 400
    assert "El filtro «entidad» debe ser la clave INEGI de 2 cifras" not in str(respuesta.data)
    mensaje = respuesta.get_json()["error"]
    assert mensaje == (
        "El filtro «entidad» nombra una entidad que no está en la versión "
        f"{_version(cliente)}; se recibió «33»."
    )


def _version(cliente) -> str:
    import capas

    return capas.abrir(cliente.application.config["SIGUE_DATOS"]).id


def test_en_una_version_de_una_entidad_el_filtro_no_cambia_nada(tmp_path, monkeypatch):
    import capas

    monkeypatch.setenv("SIGUE_ESTADO", "17")
    cargar(
        "obras",
        escribir_csv(tmp_path, "srft.csv", [ENCABEZADO_SRFT, *FILAS_SRFT]),
        tmp_path / "d",
    )
    datos = capas.abrir(tmp_path / "d")
    obras = capas.capa("obras")
    assert list(obras.leer(datos, entidad="17")["folio"]) == list(obras.leer(datos)["folio"])
    assert sorted(obras.leer(datos)["folio"]) == ["MOR-001", "MOR-002"]


# --- páginas --------------------------------------------------------------------------------


def test_obras_con_entidad_en_la_url(app, raiz):
    pagina = sys.modules["paginas.obras"]
    with app.server.test_request_context("/obras?entidad=17"):
        arbol = pagina.layout(entidad="17")
        filas = ayuda.filas_del_layout(pagina, arbol)
        assert sorted(f["folio"] for f in filas) == ["MOR-001", "MOR-002"]
        control = ayuda.por_id(arbol, "obras-entidad")["props"]
        assert control["value"] == "17"
        assert [o["label"] for o in control["options"][:2]] == ["Aguascalientes", "Baja California"]
        # la lista de municipios es la de Morelos
        municipios = ayuda.por_id(arbol, "obras-municipio")["props"]["options"]
        assert (len(municipios), {o["value"][:2] for o in municipios}) == (35, {"17"})
        # los enlaces de descarga llevan la entidad
        enlace = ayuda.por_id(arbol, "obras-descarga-csv")["props"]["href"]
        assert enlace.startswith("/descargas/obras.csv?") and "entidad=17" in enlace
        # el callback de filtros y el de la lista de municipios con otra entidad
        valores = [None, None, [], [], None, None, [], "", "", "21"]
        resumen = pagina.actualizar(*valores, None, None)[1]
        assert resumen.startswith("Se muestran 1 obra con")
        opciones, municipio = pagina.elegir_entidad("21", "17007", None)
        assert ({o["value"][:2] for o in opciones}, municipio) == ({"21"}, None)
        # sin entidad: solo el elegido, con el nombre de su entidad (los demás, al escribir)
        opciones, municipio = pagina.elegir_entidad(None, "17007", None)
        assert ([(o["value"], o["label"]) for o in opciones], municipio) == (
            [("17007", "Cuernavaca, Morelos")],
            dash.no_update,
        )
        # una entidad que no está en la versión se nombra y no filtra
        arbol = pagina.layout(entidad="40")
        assert len(ayuda.filas_del_layout(pagina, arbol)) == 4
        assert "entidad=40" in ayuda.texto(ayuda.por_id(arbol, "obras-aviso"))


def test_lista_de_municipios_del_pais_se_busca_en_el_servidor(app):
    """En el país (sin entidad) la página no manda los 2,465 municipios: la lista busca en el
    servidor lo escrito (hasta 50), con el elegido siempre en ella."""
    from tablero import nacional

    pagina = sys.modules["paginas.obras"]
    id_lista = pagina.ID["municipio"]
    with app.server.test_request_context("/obras"):
        assert ayuda.por_id(pagina.layout(), id_lista)["props"]["options"] == []
        # con un municipio en la URL, solo ese (con su entidad)
        arbol = pagina.layout(municipio="17007")
        opciones = ayuda.por_id(arbol, id_lista)["props"]["options"]
        assert [(o["value"], o["label"]) for o in opciones] == [("17007", "Cuernavaca, Morelos")]
        # con una entidad, sus municipios (Morelos: 35)
        opciones = ayuda.por_id(pagina.layout(entidad="17"), id_lista)["props"]["options"]
        assert (len(opciones), {o["value"][:2] for o in opciones}) == (35, {"17"})
    # la misma búsqueda en /obras y /escuelas (este almacén no tiene escuelas: solo el callback)
    for modulo in ("paginas.obras", "paginas.escuelas"):
        buscar = sys.modules[modulo].elegir_entidad.buscar
        with app.server.test_request_context("/obras"):
            # lo escrito, sin acentos: «cuernavaca» es uno; el elegido va primero si no coincide
            encontradas = buscar("cuernavaca", None, None)
            assert [o["label"] for o in encontradas] == ["Cuernavaca, Morelos"]
            encontradas = buscar("cuernavaca", "20067", None)
            assert [o["value"] for o in encontradas] == ["20067", "17007"]
            # «san» está en cientos de nombres: hasta 50, todos con «san», en orden alfabético
            encontradas = buscar("san", None, None)
            assert len(encontradas) == nacional.OPCIONES_POR_FILTRO == 50
            assert all("san" in o["search"] for o in encontradas)
            claves = [o["search"] for o in encontradas]
            assert claves == sorted(claves)
            # «juarez chihuahua»: cada palabra en el nombre (con su entidad)
            assert [o["value"] for o in buscar("juarez chihuahua", None, None)] == ["08037"]
            assert buscar("", None, None) is dash.no_update


def test_titulo_y_encabezado_dicen_el_pais_o_la_entidad(app):
    from tablero.app import armazon

    obras = sys.modules["paginas.obras"]
    inicio = sys.modules["paginas.inicio"]
    with app.server.test_request_context("/obras?entidad=17"):
        assert ayuda.texto(ayuda.por_id(armazon(), "marca")) == "Sigue el dinero Morelos"
        titulo = dash_titulo(obras)
        assert titulo() == "Obra pública · Sigue el dinero Morelos"
    with app.server.test_request_context("/"):
        assert ayuda.texto(ayuda.por_id(armazon(), "marca")) == "Sigue el dinero México"
        assert dash_titulo(inicio)() == "Sigue el dinero México"
    with app.server.test_request_context("/?entidad=15"):
        assert dash_titulo(inicio)() == "Sigue el dinero Estado de México"
    # un municipio manda: Cuernavaca es de Morelos aunque la dirección diga ?entidad=20
    with app.server.test_request_context("/municipio?municipio=17007&entidad=20"):
        assert ayuda.texto(ayuda.por_id(armazon(), "marca")) == "Sigue el dinero Morelos"


def dash_titulo(modulo):
    import dash

    return next(p for p in dash.page_registry.values() if p["module"] == modulo.__name__)["title"]


def test_portada_de_una_entidad_descarga_sus_municipios(app):
    pagina = sys.modules["paginas.inicio"]
    with app.server.test_request_context("/?entidad=17"):
        arbol = pagina.layout(anio="2024", entidad="17")
        assert ayuda.por_id(arbol, "inicio-descarga")["props"]["href"] == (
            "/descargas/municipios.csv?anio=2024&entidad=17"
        )
        csv = ayuda.por_id(arbol, "inicio-descarga-vista-csv")["props"]["href"]
        assert "entidad=17" in csv and csv.startswith("/descargas/municipios.csv?")
        assert pagina.actualizar_ciclo(2024, None, "17")[3].endswith("&entidad=17")


def test_mapa_de_entidades_dibuja_en_gris_las_que_no_tienen_dato(app):

    pagina = sys.modules["paginas.inicio"]
    with app.server.test_request_context("/"):
        salida = pagina.cargar_mapa(None, "obras_monto_aprobado", 2024, None)
        gris, valores = ayuda.figura_del_mapa(salida)["data"]
        # la traza gris va debajo, con las 32 entidades, sin escala y con «Sin dato»
        assert (len(gris["locations"]), set(gris["z"]), gris["showscale"]) == (32, {0}, False)
        assert "Sin dato" in gris["hovertemplate"]
        assert gris["geojson"] == valores["geojson"]
        # con el monto de obras: Morelos 2,500, Oaxaca 1,000, Puebla 100, las demás 0
        z = dict(zip(valores["locations"], valores["z"], strict=True))
        assert (z["17"], z["20"], z["21"], z["01"]) == (2500.0, 1000.0, 100.0, 0.0)
        # otro indicador: el Patch toca la traza de valores (la última), no la gris
        parche = pagina.actualizar_mapa("cobertura", 2024)[0]
        operaciones = parche.to_plotly_json()["operations"]
        assert {op["location"][1] for op in operaciones} == {1}
        # cobertura: ninguna entidad tiene escuelas, todas sin dato (solo la gris se ve)
        z = next(op["params"]["value"] for op in operaciones if op["location"][2] == "z")
        assert z == [None] * 32
        # en los municipios de una entidad, una sola traza como siempre
        salida = pagina.cargar_mapa(None, "obras_monto_aprobado", 2024, "17")
        assert len(ayuda.figura_del_mapa(salida)["data"]) == 1


def test_en_una_version_de_una_entidad_la_lista_de_municipios_va_entera(raiz_ejemplo):
    import capas
    from tablero import nacional

    datos = capas.abrir(raiz_ejemplo)  # Oaxaca: 570 municipios, sin buscar en el servidor
    for entidad in (None, "20", "17"):
        opciones = nacional.opciones_filtro_municipio(datos, entidad, "20067")
        assert (len(opciones), opciones[0]["label"]) == (570, "Abejones"), entidad
