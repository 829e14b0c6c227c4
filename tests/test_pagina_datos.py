"""Página «Datos abiertos»: enlaces de cada capa y formato, versiones, fuentes, calidad, cita."""

from __future__ import annotations

import json

import dash
import plotly.utils
import pytest

import capas
from almacen.versiones import Almacen
from ingesta.carga import cargar
from tablero.app import crear_app
from tablero.formato import entero, fecha_larga
from tests.conftest import escribir_csv

FORMATOS = ["csv", "geojson", "parquet"]


@pytest.fixture(scope="module")
def app(raiz_ejemplo):
    return crear_app(raiz_ejemplo)


@pytest.fixture(scope="module")
def versiones(raiz_ejemplo) -> list[dict]:
    return Almacen(raiz_ejemplo).versiones()


def _pagina(app, consulta: str = "", **parametros) -> dict:
    """Layout de ``/datos`` como JSON, llamado dentro de una petición de ``app``."""
    layout = next(p for p in dash.page_registry.values() if p["path"] == "/datos")["layout"]
    with app.server.test_request_context("/datos" + consulta):
        arbol = layout(**parametros)
    return json.loads(json.dumps(arbol, cls=plotly.utils.PlotlyJSONEncoder))


def _nodos(arbol, tipo: str | None = None):
    """Cada componente del árbol (del tipo dado)."""
    if isinstance(arbol, list):
        for hijo in arbol:
            yield from _nodos(hijo, tipo)
    elif isinstance(arbol, dict):
        if tipo is None or arbol.get("type") == tipo:
            yield arbol
        yield from _nodos(arbol.get("props", {}).get("children"), tipo)


def _texto(arbol) -> str:
    if isinstance(arbol, str):
        return arbol
    if isinstance(arbol, int | float) and not isinstance(arbol, bool):
        return str(arbol)
    if isinstance(arbol, list):
        return "".join(_texto(h) for h in arbol)
    if isinstance(arbol, dict):
        return _texto(arbol.get("props", {}).get("children"))
    return ""


def _enlaces(arbol) -> dict[str, dict]:
    """``href -> props`` de cada enlace (``html.A`` y ``dcc.Link``)."""
    return {
        nodo["props"]["href"]: nodo["props"]
        for nodo in _nodos(arbol)
        if nodo.get("type") in ("A", "Link") and nodo["props"].get("href")
    }


def _seccion(arbol, id_: str) -> dict:
    return next(n for n in _nodos(arbol, "Section") if n["props"].get("id") == id_)


def test_titulo_y_encabezado(app):
    pagina = next(p for p in dash.page_registry.values() if p["path"] == "/datos")
    assert pagina["title"] == "Datos abiertos · Sigue el dinero Oaxaca"
    arbol = _pagina(app)
    assert [_texto(h) for h in _nodos(arbol, "H1")] == ["Datos abiertos"]


def test_cada_capa_en_cada_formato_de_la_version_actual(app, versiones):
    actual = versiones[0]["id"]
    enlaces = _enlaces(_pagina(app))
    for capa in capas.REGISTRO:
        for formato in FORMATOS:
            href = f"/descargas/{capa.nombre}.{formato}?version={actual}"
            assert href in enlaces, href
            props = enlaces[href]
            assert props["download"].startswith(f"{capa.nombre}-{actual}-corte-")
            assert capa.titulo in props["aria-label"]
    assert f"/descargas/datapackage.json?version={actual}" in enlaces


def test_los_enlaces_de_descarga_funcionan(app, versiones):
    cliente = app.server.test_client()
    for href in _enlaces(_pagina(app)):
        if href.startswith("/descargas/"):
            respuesta = cliente.get(href)
            assert respuesta.status_code == 200, href


def test_cada_version_aparece_con_sus_fechas_y_su_enlace(app, versiones):
    arbol = _pagina(app)
    lista = _seccion(arbol, "versiones")
    enlaces = _enlaces(lista)
    texto = _texto(lista)
    assert len(versiones) == 6
    for meta in versiones:
        assert f"/datos?version={meta['id']}" in enlaces
        assert f"Versión {meta['id']}" in texto
        assert meta["carga"]["archivo"] in texto
    assert f"Publicada el {fecha_larga(versiones[0]['creada'])}" in texto
    assert f"fecha de corte: {fecha_larga(versiones[0]['fecha_corte'])}" in texto
    assert texto.count("actual") >= 1 and "viendo ahora" in texto


def test_version_anterior_elegida_por_la_url(app, versiones):
    arbol = _pagina(app, "?version=v0003", version="v0003")
    texto = _texto(arbol)
    assert "Está viendo la versión v0003" in texto
    assert f"Ver la versión actual ({versiones[0]['id']})" in texto
    enlaces = _enlaces(arbol)
    for capa in capas.REGISTRO:
        for formato in FORMATOS:
            assert f"/descargas/{capa.nombre}.{formato}?version=v0003" in enlaces
    assert "/descargas/datapackage.json?version=v0003" in enlaces
    # Las fuentes son las de v0003: escuelas, matrícula y padrón, todavía sin obras.
    fuentes = _texto(_seccion(arbol, "fuentes"))
    assert "padron.csv" in fuentes and "obras.csv" not in fuentes
    assert "Calidad de los datos de la versión v0003" in texto


def test_version_por_el_enrutador_de_dash(app):
    cliente = app.server.test_client()
    cliente.get("/")
    cuerpo = {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [
            {"id": "_pages_content", "property": "children"},
            {"id": "_pages_store", "property": "data"},
        ],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": "/datos"},
            {"id": "_pages_location", "property": "search", "value": "?version=v0002"},
        ],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [],
    }
    respuesta = cliente.post("/_dash-update-component", json=cuerpo)
    assert respuesta.status_code == 200
    contenido = respuesta.get_json()["response"]["_pages_content"]["children"]
    assert "/descargas/municipios.csv?version=v0002" in _enlaces(contenido)


def test_version_inexistente_muestra_la_actual_con_aviso(app, versiones):
    texto = _texto(_pagina(app, "?version=v9999", version="v9999"))
    assert "No existe la versión «v9999»" in texto
    assert f"Descargas de la versión {versiones[0]['id']}" in texto


def test_fuentes_con_huella_y_filas(app, raiz_ejemplo):
    arbol = _pagina(app)
    fuentes = _seccion(arbol, "fuentes")
    texto = _texto(fuentes)
    meta = Almacen(raiz_ejemplo).version().meta
    for info in meta["fuentes"].values():
        huella = info["sha256"]
        assert info["archivo"] in texto
        assert huella[:12] + "…" in texto  # corta a la vista
        assert huella in texto  # completa al desplegar
        assert any(n["props"].get("title") == huella for n in _nodos(fuentes, "Summary"))
        assert (
            f"{entero(info['filas_leidas'])} leídas, {entero(info['filas_aceptadas'])} "
            f"aceptadas y {entero(info['filas_rechazadas'])} rechazadas"
        ) in texto
    assert "INEGI" in texto
    # Las escuelas de ejemplo traen advertencias: se enlazan en la versión de su carga, que
    # es donde están (y siguen ahí aunque después se cargaran otras fuentes).
    carga = meta["fuentes"]["escuelas"]
    href = f"/descargas/rechazos/escuelas-advertencias.csv?version={carga['version']}"
    assert href in _enlaces(fuentes)
    assert carga["version"] != meta["id"]
    assert app.server.test_client().get(href).status_code == 200


def test_enlace_a_las_filas_rechazadas(tmp_path):
    encabezado = ["ID", "LATITUD", "LONGITUD", "DIRECCION", "CAJONES", "ESTADO"]
    ruta = escribir_csv(
        tmp_path,
        "cajones.csv",
        [encabezado, ["A", "17.06", "-96.72", "Calle 1", "1", "bueno"], ["B", "40", "-3", "X", "1", "bueno"]],
    )  # fmt: skip
    cargar("estacionamientos", ruta, tmp_path / "datos")
    app = crear_app(tmp_path / "datos")
    arbol = _pagina(app)
    enlaces = _enlaces(_seccion(arbol, "fuentes"))
    href = "/descargas/rechazos/estacionamientos.csv?version=v0001"
    assert href in enlaces
    assert "2 leídas, 1 aceptadas y 1 rechazadas" in _texto(arbol)
    assert app.server.test_client().get(href).status_code == 200


def test_resumen_de_calidad_en_una_tabla_accesible(app, raiz_ejemplo):
    arbol = _pagina(app)
    tabla = next(_nodos(_seccion(arbol, "calidad"), "Table"))
    assert "Problemas de calidad" in _texto(next(_nodos(tabla, "Caption")))
    encabezados = [n["props"] for n in _nodos(tabla, "Th")]
    assert [_texto(e["children"]) for e in encabezados[:3]] == ["Problema", "Ciclo", "Casos"]
    assert all(e.get("scope") in ("col", "row") for e in encabezados)
    resumen = capas.resumen_calidad(capas.abrir(raiz_ejemplo))
    filas = list(_nodos(next(_nodos(tabla, "Tbody")), "Tr"))
    assert len(filas) == len(resumen)
    texto = _texto(tabla)
    for fila in resumen.itertuples():
        assert fila.descripcion in texto
    assert "2024-2025" in texto and "todos" in texto


def test_licencia_y_cita_lista_para_copiar(app, raiz_ejemplo, monkeypatch):
    monkeypatch.setenv("SIGUE_URL_BASE", "https://datos.ejemplo.gob.mx/")
    arbol = _pagina(app)
    licencia = _seccion(arbol, "licencia")
    texto = _texto(licencia)
    enlaces = _enlaces(licencia)
    assert "https://creativecommons.org/licenses/by/4.0/deed.es" in enlaces
    assert any("inegi.org.mx" in href for href in enlaces)
    version = Almacen(raiz_ejemplo).version()
    cita = _texto(next(n for n in _nodos(licencia) if n["props"].get("id") == "cita-datos"))
    assert f"versión {version.id}" in cita
    assert fecha_larga(version.meta["fecha_corte"]) in cita
    assert "CC BY 4.0" in cita and "INEGI" in cita
    assert f"https://datos.ejemplo.gob.mx/datos?version={version.id}" in cita
    assert "Datos de ejemplo (sintéticos)" in cita
    assert "cualquier fin" in texto


def test_diez_caracteristicas_de_los_datos_abiertos(app):
    seccion = _seccion(_pagina(app), "datos-abiertos")
    nombres = [_texto(n) for n in _nodos(seccion, "Dt")]
    assert nombres == [
        "Gratuitos",
        "No discriminatorios",
        "Accesibles",
        "Integrales",
        "Primarios",
        "Oportunos",
        "Permanentes",
        "Legibles por máquinas",
        "En formatos abiertos",
        "De libre uso",
    ]
    assert all(len(_texto(n)) > 30 for n in _nodos(seccion, "Dd"))


def test_columnas_de_cada_capa_descritas(app):
    arbol = _pagina(app)
    for capa in capas.REGISTRO:
        tarjeta = next(
            n
            for n in _nodos(arbol, "Li")
            if n["props"].get("aria-labelledby") == f"capa-{capa.nombre}"
        )
        nombres = [_texto(n) for n in _nodos(tarjeta, "Dt")]
        assert nombres == capa.nombres_campos
        assert f"Las primeras {len(capa.columnas)} columnas son fijas" in _texto(tarjeta)


def test_almacen_vacio(tmp_path):
    texto = _texto(_pagina(crear_app(tmp_path)))
    assert "Todavía no hay datos publicados" in texto


def test_fuera_de_una_peticion_no_lee_el_almacen(app):
    layout = next(p for p in dash.page_registry.values() if p["path"] == "/datos")["layout"]
    arbol = json.loads(json.dumps(layout(), cls=plotly.utils.PlotlyJSONEncoder))
    assert [_texto(h) for h in _nodos(arbol, "H1")] == ["Datos abiertos"]
