"""Página de un contratista (/contratista) sin navegador: resumen, obras, enlaces y avisos."""

from __future__ import annotations

import csv
import io
import unicodedata
from urllib.parse import parse_qs, urlsplit

import pytest

import capas
from capas.contratistas import obras_por_municipio_anio
from tablero.app import crear_app
from tablero.figuras import contratista as figuras
from tablero.formato import entero, pesos

try:
    from tests import ayuda_paginas as ayuda
except ImportError:  # pytest sin la raíz del proyecto en sys.path
    import ayuda_paginas as ayuda

ANIL = "Constructora Añil, S.A. de C.V."


@pytest.fixture(scope="module")
def app(raiz_ejemplo):
    return crear_app(raiz_ejemplo)


@pytest.fixture(scope="module")
def pagina(app):
    return ayuda.modulo("/contratista")


@pytest.fixture(scope="module")
def datos(raiz_ejemplo):
    return capas.abrir(raiz_ejemplo)


@pytest.fixture(scope="module")
def obras(datos):
    return capas.tabla_obras(datos)


@pytest.fixture(scope="module")
def nombre(obras):
    """El contratista con más obras del ejemplo (lleva acentos y puntos)."""
    return obras["contratista"].value_counts().index[0]


@pytest.fixture
def peticion(app):
    with app.server.test_request_context("/contratista"):
        yield


def _sin_acentos(texto: str | None) -> str:
    if texto is None:
        return "~"
    sin = unicodedata.normalize("NFKD", texto.lower())
    return "".join(c for c in sin if not unicodedata.combining(c))


def _h1(arbol) -> str:
    return next(n for n in ayuda.componentes(arbol, "H1"))["props"]["children"]


def test_enlaces_codificados():
    assert figuras.enlace_contratista(ANIL) == (
        "/contratista?nombre=Constructora%20A%C3%B1il%2C%20S.A.%20de%20C.V."
    )
    assert figuras.enlace_descarga("A&B S.A. #2") == (
        "/descargas/obras.csv?contratista=A%26B%20S.A.%20%232"
    )
    assert figuras.enlace_obra("OAX 1/2") == "/obras?folio=OAX%201%2F2"
    assert parse_qs(urlsplit(figuras.enlace_contratista(ANIL)).query) == {"nombre": [ANIL]}
    # el texto del enlace no se interpreta como Markdown
    assert figuras.markdown_enlace("Obras_del [Sur] (2)", "/x") == r"[Obras\_del \[Sur\] \(2\)](/x)"


def test_pagina_de_un_contratista_conocido(pagina, obras, nombre, peticion):
    arbol = pagina.layout(nombre=nombre)
    texto = ayuda.texto(arbol)
    suyas = obras[obras["contratista"] == nombre]
    assert _h1(arbol) == nombre
    # migas hacia /obras
    migas = next(n for n in ayuda.componentes(arbol, "Nav"))
    assert migas["props"]["aria-label"] == "Migas de pan"
    assert [a["props"]["href"] for a in ayuda.componentes(migas, "A")] == ["/obras"]
    # cifras calculadas aquí por definición, sobre la capa obras
    assert f"Obras {entero(len(suyas))}" in texto
    assert f"Municipios {suyas['cvegeo'].nunique()}" in texto
    anios = sorted(suyas["anio"].unique())
    assert f"Años {anios[0]}–{anios[-1]}" in texto
    for titulo, columna in [
        ("Monto aprobado", "monto_aprobado"),
        ("Monto ejercido", "monto_ejercido"),
        ("Monto pagado", "monto_pagado"),
    ]:
        assert f"{titulo} {pesos(suyas[columna].sum())}" in texto
    con_alerta = int((suyas["num_alertas"] > 0).sum())
    sobregiro = int((suyas["monto_ejercido"] > suyas["monto_aprobado"]).sum())
    retraso = int(suyas["alertas"].fillna("").str.contains("vencida").sum())
    assert f"Obras con alerta {con_alerta}" in texto
    assert f"Con sobregiro {sobregiro}" in texto
    assert f"Con retraso {retraso}" in texto
    tipo = suyas["tipo_adjudicacion"].dropna()
    directas = int((tipo == "ADJUDICACION DIRECTA").sum())
    assert f"({directas} de {len(tipo)} con el tipo publicado)" in texto
    # sus obras, cada una con el enlace a su ficha en /obras
    rejilla = ayuda.por_id(arbol, "contratista-obras")["props"]
    assert rejilla["rowModelType"] == "infinite" and "rowData" not in rejilla
    assert rejilla["dashGridOptions"]["infiniteInitialRowCount"] == len(suyas)
    nombres = ayuda.por_id(arbol, "contratista-nombres")["props"]["data"]
    version = ayuda.por_id(arbol, "contratista-version")["props"]["data"]
    assert nombres == [nombre]
    filas = ayuda.filas_de_bloques(pagina.bloque_tabla, [nombres, version])
    assert sorted(f["folio"] for f in filas) == sorted(
        f"[{folio}](/obras?folio={folio})" for folio in suyas["folio"]
    )
    municipios = [f["municipio"] for f in filas]
    assert municipios == sorted(municipios, key=_sin_acentos)  # alfabético, sin acentos
    descarga = ayuda.por_id(arbol, "contratista-descarga")["props"]["href"]
    assert descarga == figuras.enlace_descarga(nombre)
    assert "%C3%B1" in descarga or nombre.isascii()


def test_la_descarga_del_contratista_trae_sus_obras(app, pagina, obras, nombre, peticion):
    descarga = ayuda.por_id(pagina.layout(nombre=nombre), "contratista-descarga")["props"]["href"]
    respuesta = app.server.test_client().get(descarga)
    assert respuesta.status_code == 200
    filas = list(csv.DictReader(io.StringIO(respuesta.get_data(as_text=True))))
    assert {f["folio"] for f in filas} == set(obras.loc[obras["contratista"] == nombre, "folio"])


def test_nombre_sin_acentos_ni_puntuacion_encuentra_al_contratista(pagina, nombre, peticion):
    escrito = "".join(c for c in nombre.lower() if c.isalnum() or c == " ")
    escrito = escrito.replace("ñ", "n").replace("í", "i").replace("á", "a")
    assert _h1(pagina.layout(nombre=escrito)) == nombre


def test_parametro_repetido_usa_el_primero(pagina, nombre, peticion):
    assert _h1(pagina.layout(nombre=[nombre, "Otra"])) == nombre


def test_por_rfc(pagina, datos, nombre, peticion):
    reportes = datos.tabla("obras")
    rfc = reportes.loc[reportes["contratista"] == nombre, "rfc_contratista"].dropna().iloc[0]
    arbol = pagina.layout(rfc=rfc.lower())
    assert _h1(arbol) == nombre
    assert f"RFC: {rfc}." in ayuda.texto(arbol)


def _otro_con_rfc(datos, nombre) -> tuple[str, str]:
    reportes = datos.tabla("obras")
    otros = reportes[(reportes["contratista"] != nombre) & reportes["rfc_contratista"].notna()]
    fila = otros.sort_values("contratista").iloc[0]
    return str(fila["contratista"]), str(fila["rfc_contratista"])


def test_nombre_con_rfc_de_otro_manda_el_nombre_y_lo_dice(pagina, datos, nombre, peticion):
    _otro, rfc_otro = _otro_con_rfc(datos, nombre)
    arbol = pagina.layout(nombre=nombre, rfc=rfc_otro)
    assert _h1(arbol) == nombre
    assert (
        f"El RFC «{rfc_otro}» no es de este contratista; se muestra el contratista por su "
        "nombre." in ayuda.texto(arbol)
    )
    # con su propio RFC no hay aviso
    reportes = datos.tabla("obras")
    propio = reportes.loc[reportes["contratista"] == nombre, "rfc_contratista"].dropna().iloc[0]
    assert "no es de este contratista" not in ayuda.texto(pagina.layout(nombre=nombre, rfc=propio))


def test_nombre_desconocido_con_rfc_busca_por_rfc(pagina, datos, nombre, peticion):
    otro, rfc_otro = _otro_con_rfc(datos, nombre)
    arbol = pagina.layout(nombre="Nadie Conocido", rfc=rfc_otro)
    assert _h1(arbol) == otro
    assert "No encontramos el nombre «Nadie Conocido»; se muestra el contratista con ese RFC." in (
        ayuda.texto(arbol)
    )


@pytest.mark.parametrize(
    ("parametros", "aviso"),
    [
        ({"nombre": "Empresa Inexistente, S.A."}, "No encontramos el contratista «Empresa "),
        ({"nombre": "N/D"}, "No encontramos el contratista «N/D»"),
        ({"rfc": "XXX000000XX0"}, "No encontramos un contratista con RFC «XXX000000XX0»"),
        ({}, "No se indicó un contratista."),
    ],
)
def test_contratista_desconocido(pagina, peticion, parametros, aviso):
    arbol = pagina.layout(**parametros)
    assert _h1(arbol) == "Contratista"
    texto = ayuda.texto(arbol)
    assert aviso in texto
    enlaces = [a["props"]["href"] for a in ayuda.componentes(arbol, "A")]
    assert enlaces == ["/obras", "/obras#contratistas"]
    with pytest.raises(KeyError):
        ayuda.por_id(arbol, "contratista-obras")


def test_sus_obras_por_bloques_ordenadas_en_el_servidor(pagina, datos, obras, nombre, peticion):
    suyas = obras[obras["contratista"] == nombre]
    assert len(suyas) > 3
    argumentos = [[nombre], datos.id]
    # el orden de la página: municipio, año (reciente primero), monto (mayor primero)
    esperadas = obras_por_municipio_anio(suyas)
    todas = ayuda.filas_de_bloques(pagina.bloque_tabla, argumentos)
    assert todas == figuras.filas_obras(esperadas)
    # por monto aprobado, de menor a mayor (vacíos al final, empates en el orden de la página)
    por_monto = ayuda.filas_de_bloques(
        pagina.bloque_tabla, argumentos, [{"colId": "monto_aprobado", "sort": "asc"}]
    )
    ordenadas = esperadas.sort_values("monto_aprobado", kind="stable", na_position="last")
    assert [f["folio"] for f in por_monto] == [
        f"[{folio}](/obras?folio={folio})" for folio in ordenadas["folio"]
    ]
    # un bloque: las filas 2 y 3 de esa vista, con el total
    respuesta = pagina.bloque_tabla(
        {"startRow": 2, "endRow": 4, "sortModel": [{"colId": "monto_aprobado", "sort": "asc"}]},
        *argumentos,
    )
    assert respuesta == {"rowData": por_monto[2:4], "rowCount": len(suyas)}


@pytest.mark.parametrize("nombres", [None, "x", [3, None], ["Nadie S.A."]])
def test_bloque_sin_nombres_validos_no_trae_obras(pagina, datos, peticion, nombres):
    pedido = {"startRow": 0, "endRow": 100}
    assert pagina.bloque_tabla(pedido, nombres, datos.id) == {"rowData": [], "rowCount": 0}
