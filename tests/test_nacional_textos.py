"""Los textos fijos del sitio dicen su lugar: la entidad servida o, en el modo nacional,
«México» (manifiesto, canales Atom, Open311, páginas de error y de reportes, descripción de
las páginas, cita y paquete de datos, correos).

Dos almacenes: uno nacional pequeño (las obras de ``tests/test_nacional.py``: Oaxaca, Morelos
y Puebla) y el de ejemplo de Oaxaca.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from ingesta.carga import cargar
from tests.conftest import escribir_csv
from tests.test_nacional import ENCABEZADO_SRFT, FILAS_SRFT

A = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def raiz_nacional(tmp_path_factory):
    carpeta = tmp_path_factory.mktemp("nacional-textos")
    with pytest.MonkeyPatch.context() as parche:
        parche.setenv("SIGUE_ESTADO", "00")
        cargar(
            "obras",
            escribir_csv(carpeta, "srft.csv", [ENCABEZADO_SRFT, *FILAS_SRFT]),
            carpeta / "datos",
        )
    return carpeta / "datos"


@pytest.fixture(scope="module")
def raiz_morelos(tmp_path_factory):
    """Un tablero de una sola entidad que no es Oaxaca (``SIGUE_ESTADO=17``)."""
    carpeta = tmp_path_factory.mktemp("morelos-textos")
    with pytest.MonkeyPatch.context() as parche:
        parche.setenv("SIGUE_ESTADO", "17")
        srft = escribir_csv(carpeta, "srft.csv", [ENCABEZADO_SRFT, *FILAS_SRFT])
        cargar("obras", srft, carpeta / "datos")
    return carpeta / "datos"


def _cliente(raiz):
    from tablero.app import crear_app

    return crear_app(raiz).server.test_client()


@pytest.fixture(scope="module")
def nacional(raiz_nacional):
    return _cliente(raiz_nacional)


@pytest.fixture(scope="module")
def oaxaca(raiz_ejemplo):
    return _cliente(raiz_ejemplo)


@pytest.fixture(scope="module")
def morelos(raiz_morelos):
    return _cliente(raiz_morelos)


#: (cliente, lugar del sitio, municipio con canal, título esperado de su canal)
CASOS = {
    "nacional": ("México", "17007", "Cuernavaca: novedades en Sigue el dinero Morelos"),
    "oaxaca": ("Oaxaca", "20067", "Oaxaca de Juárez: novedades en Sigue el dinero Oaxaca"),
    "morelos": ("Morelos", "17007", "Cuernavaca: novedades en Sigue el dinero Morelos"),
}


@pytest.fixture(params=sorted(CASOS))
def caso(request):
    return (request.getfixturevalue(request.param), *CASOS[request.param])


def test_manifiesto_dice_el_lugar_del_sitio(caso):
    cliente, lugar, _, _ = caso
    datos = json.loads(cliente.get("/manifest.webmanifest").get_data(as_text=True))
    assert datos["name"] == f"Sigue el dinero {lugar}"
    assert datos["description"] == (
        f"Datos abiertos para seguir el gasto público en {lugar} y reportar problemas."
    )
    assert datos["short_name"] == "Sigue el dinero"


def test_canal_atom_del_municipio_dice_su_entidad_y_el_sitio(caso):
    cliente, lugar, municipio, titulo = caso
    respuesta = cliente.get(f"/feeds/municipio/{municipio}.atom")
    assert respuesta.status_code == 200
    raiz = ET.fromstring(respuesta.data)
    # el título nombra la entidad del municipio (como su página); autor y generador, el sitio
    assert raiz.findtext(f"{A}title") == titulo
    assert raiz.findtext(f"{A}author/{A}name") == f"Sigue el dinero {lugar}"
    assert raiz.findtext(f"{A}generator") == f"Sigue el dinero {lugar}"
    autores = {e.findtext(f"{A}author/{A}name") for e in raiz.iter(f"{A}entry")}
    assert autores <= {f"Sigue el dinero {lugar}"} and autores  # entradas de datos: el sitio
    assert "Oaxaca" not in respuesta.get_data(as_text=True) or lugar == "Oaxaca"


def test_open311_discovery_dice_el_sitio(caso):
    cliente, lugar, _, _ = caso
    datos = cliente.get("/open311/v2/discovery.json").get_json()
    assert datos["contact"] == f"Sigue el dinero {lugar}"


def test_paginas_de_error_y_de_reportes_dicen_el_sitio(caso):
    cliente, lugar, _, _ = caso
    error = cliente.post("/manifest.webmanifest")
    assert error.status_code == 405
    assert (
        re.search(r"<title>(.*?)</title>", error.get_data(as_text=True))
        .group(1)
        .endswith(f" · Sigue el dinero {lugar}")
    )
    entrar = cliente.get("/atencion/entrar").get_data(as_text=True)
    assert f"<title>Entrar · Sigue el dinero {lugar}</title>" in entrar
    assert f'<p class="marca">Sigue el dinero {lugar} · Atención de reportes</p>' in entrar


def test_descripcion_de_las_paginas_dice_el_lugar(caso):
    cliente, lugar, _, _ = caso
    metodologia = cliente.get("/metodologia").get_data(as_text=True)  # su propia descripción
    obras = cliente.get("/obras").get_data(as_text=True)  # la del sitio
    esperada = (
        f'<meta name="description" content="Datos abiertos para seguir el gasto público en {lugar}:'
    )
    assert esperada in obras
    assert '<meta name="description" content="Cómo se calcula cada cifra' in metodologia


def test_cita_y_paquete_de_datos_dicen_el_lugar(caso):
    cliente, lugar, _, _ = caso
    paquete = cliente.get("/descargas/datapackage.json").get_json()
    nombre = f"sigue-el-dinero-{lugar.lower().replace('é', 'e')}"
    assert paquete["name"] == nombre
    assert (
        paquete["title"] == f"Sigue el dinero {lugar}: datos abiertos del gasto público en {lugar}"
    )
    assert re.match(
        rf"Sigue el dinero {lugar} \(\d{{4}}\)\. Datos abiertos del gasto público en {lugar}, ",
        paquete["cita"],
    )
    geojson = cliente.get("/descargas/obras.geojson").get_json()
    assert geojson["metadata"]["plataforma"] == f"Sigue el dinero {lugar}"
    assert geojson["metadata"]["cita"].startswith(f"Sigue el dinero {lugar} (")


@pytest.mark.parametrize(
    ("estado", "sitio"), [("00", "México"), ("20", "Oaxaca"), ("17", "Morelos")]
)
def test_el_pie_del_correo_dice_la_entidad_configurada(monkeypatch, estado, sitio):
    from tablero.reportes import correo

    monkeypatch.setenv("SIGUE_ESTADO", estado)
    assert correo.sitio_configurado() == f"Sigue el dinero {sitio}"
