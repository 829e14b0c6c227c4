"""Página de estacionamientos sin navegador: mapa, filtro por estado, ficha y resumen."""

from __future__ import annotations

import dash
import pandas as pd
import pytest

import capas
from capas.config import ESTADOS_ESTACIONAMIENTO
from tablero.app import crear_app
from tablero.figuras import estacionamientos as figuras
from tablero.formato import fecha_larga

try:
    from tests import ayuda_paginas as ayuda
except ImportError:  # pytest sin la raíz del proyecto en sys.path
    import ayuda_paginas as ayuda

COLORES = {e.valor: e.color for e in ESTADOS_ESTACIONAMIENTO}


@pytest.fixture(scope="module")
def app(raiz_ejemplo):
    return crear_app(raiz_ejemplo)


@pytest.fixture(scope="module")
def pagina(app):
    return ayuda.modulo("/estacionamientos")


@pytest.fixture(scope="module")
def datos(raiz_ejemplo):
    return capas.abrir(raiz_ejemplo)


@pytest.fixture(scope="module")
def espacios(datos):
    return capas.tabla_estacionamientos(datos)


@pytest.fixture
def peticion(app):
    with app.server.test_request_context("/estacionamientos"):
        yield


def test_mapa_a_nivel_de_calle_con_leyenda_y_tabla(pagina, espacios, peticion):
    arbol = pagina.layout()
    filas = ayuda.por_id(arbol, "estacionamientos-tabla")["props"]["rowData"]
    assert [f["id"] for f in filas] == list(espacios["id"])
    figura = ayuda.por_id(arbol, "estacionamientos-mapa")["props"]["figure"]
    puntos = figura["data"][figuras.TRAZA_PUNTOS]
    assert puntos["customdata"] == list(espacios["id"])
    assert puntos["marker"]["color"] == [COLORES[e] for e in espacios["estado"]]
    assert figura["data"][figuras.TRAZA_BORDE]["marker"]["color"] == "#333333"
    # leyenda: icono + texto + cuántos, un renglón por estado de la configuración
    nombres = [traza.get("name") for traza in figura["data"][figuras.PRIMERA_LEYENDA :]]
    cuentas = espacios["estado"].value_counts()
    assert nombres == [
        f"{e.icono} {e.etiqueta}: {cuentas.get(e.valor, 0)}" for e in ESTADOS_ESTACIONAMIENTO
    ]
    # abre a nivel de calle, centrado entre los espacios, con el contorno del municipio
    mapa = figura["layout"]["map"]
    assert mapa["zoom"] == figuras.ACERCAMIENTO_CALLE
    assert espacios["latitud"].min() < mapa["center"]["lat"] < espacios["latitud"].max()
    assert espacios["longitud"].min() < mapa["center"]["lon"] < espacios["longitud"].max()
    assert mapa["layers"][-1]["source"]["features"][0]["properties"]["cvegeo"] == "20067"
    limites = ayuda.por_id(arbol, "estacionamientos-limites")["props"]["data"]
    assert limites["maximo"] == figuras.ACERCAMIENTO_CALLE


def test_resumen_por_estado_como_capas(pagina, datos, peticion):
    arbol = pagina.layout()
    resumen = capas.resumen_estacionamientos(datos)
    tabla = ayuda.componentes(arbol, "Table")[0]
    renglones = ayuda.componentes(tabla, "Tr")[1:-1]  # sin encabezado ni total
    assert len(renglones) == len(resumen)
    for renglon, fila in zip(renglones, resumen.to_dict("records"), strict=True):
        texto = ayuda.texto(renglon)
        assert fila["etiqueta"] in texto
        assert f" {fila['espacios']} {fila['cajones']} " in f" {texto} "
    assert f"Total {resumen['espacios'].sum()} {resumen['cajones'].sum()}" in ayuda.texto(tabla)


def test_filtrar_por_estado(pagina, datos, espacios, peticion):
    parche, filas, resumen, vacio_oculto = pagina.actualizar(
        ["requiere_rehabilitacion"], None, datos.id
    )
    assert vacio_oculto is True
    esperado = espacios[espacios["estado"] == "requiere_rehabilitacion"]
    assert [f["id"] for f in filas] == list(esperado["id"])
    assert {f["estado"] for f in filas} == {"✖ Requiere rehabilitación"}
    cambios = ayuda.asignaciones(parche)
    assert cambios[("data", figuras.TRAZA_PUNTOS, "marker", "color")] == [
        COLORES["requiere_rehabilitacion"]
    ] * len(esperado)
    assert len(cambios[("data", figuras.TRAZA_BORDE, "lat")]) == len(esperado)
    assert resumen == (
        f"Se muestran {len(esperado)} espacios con {int(esperado['cajones'].sum())} cajones."
    )
    _, todas, *_ = pagina.actualizar([], None, datos.id)
    assert len(todas) == len(espacios)


def test_ficha_de_un_espacio(pagina, datos, espacios, peticion):
    espacio = espacios[espacios["observaciones"].notna()].iloc[0]
    ficha, seleccion, oculto = pagina.mostrar_ficha(espacio["id"], datos.id)
    texto = ayuda.texto(ficha)
    assert f"Espacio {espacio['id']}" in texto
    assert espacio["direccion"] in texto
    assert espacio["observaciones"] in texto
    assert espacio["etiqueta_estado"] in texto
    assert fecha_larga(espacio["fecha_revision"].date()) in texto
    assert "Reportes abiertos sobre este espacio:  0 ." in texto
    enlaces = [n["props"]["href"] for n in ayuda.componentes(ficha, "Link")]
    assert enlaces == [f"/reporte?estacionamiento={espacio['id']}"]
    assert "Reportar un problema de este espacio" in texto  # lleva al formulario (#reportar)
    assert f"Espacio {espacio['id']} elegido." in ayuda.texto(seleccion)
    assert oculto is False


def test_url_con_espacio_y_estado(pagina, espacios, peticion):
    arbol = pagina.layout(estado="bueno,no-existe", espacio="EST-0003")
    assert ayuda.por_id(arbol, "estacionamientos-estado")["props"]["value"] == ["bueno"]
    filas = ayuda.por_id(arbol, "estacionamientos-tabla")["props"]["rowData"]
    assert len(filas) == int((espacios["estado"] == "bueno").sum())
    assert "Espacio EST-0003" in ayuda.texto(ayuda.por_id(arbol, "estacionamientos-detalle"))
    assert ayuda.por_id(arbol, "estacionamientos-tabla")["props"]["selectedRows"] == {
        "ids": ["EST-0003"]
    }


def test_espacio_desconocido_se_dice_una_vez_y_no_queda_elegido(pagina, peticion):
    arbol = pagina.layout(espacio="ZZZ")
    texto = ayuda.texto(arbol)
    aviso = "No encontramos el cajón ZZZ; elija uno de la lista."
    assert texto.count(aviso) == 1
    assert ayuda.texto(ayuda.por_id(arbol, "estacionamientos-seleccion")) == aviso
    assert "elegido." not in texto  # ni «Espacio ZZZ elegido» ni «Reportará el espacio ZZZ»
    assert texto.count("ZZZ") == 1
    assert ayuda.por_id(arbol, "estacionamientos-espacio")["props"]["data"] == ""
    assert "selectedRows" not in ayuda.por_id(arbol, "estacionamientos-tabla")["props"]
    assert ayuda.por_id(arbol, "estacionamientos-cerrar")["props"]["hidden"] is True
    assert ayuda.por_id(arbol, "reportar-lugar")["props"]["children"] == (
        "Ningún espacio elegido: elija uno en el mapa o la tabla, o indique el punto abajo."
    )
    # la ficha (si un callback la pidiera con esa clave) dice lo mismo
    assert ayuda.texto(figuras.ficha(None, "ZZZ")) == f"Ficha del espacio {aviso}"


def test_tabla_antes_del_formulario_y_foco_al_elegir(pagina, peticion):
    arbol = pagina.layout()
    ids = [
        n["props"]["id"] for n in ayuda.componentes(arbol) if isinstance(n["props"].get("id"), str)
    ]
    orden = [ids.index(i) for i in ("estacionamientos-lista", "estacionamientos-tabla", "reportar")]
    assert orden == sorted(orden)
    assert ayuda.por_id(arbol, "reportar")["props"]["tabIndex"] == -1
    assert ayuda.por_id(arbol, "estacionamientos-lista")["props"]["tabIndex"] == -1
    atajos = [
        n
        for n in ayuda.componentes(arbol, "A")
        if n["props"].get("href") == "#estacionamientos-lista"
    ]
    assert len(atajos) == 1
    eventos = ayuda.por_id(arbol, "estacionamientos-tabla")["props"]["eventListeners"]
    assert eventos["cellKeyDown"] == ["sigueElegirConTeclado(params, 'reportar')"]
    # una sola parada de Tab: Tab sale de la cuadrícula (assets/tablas.js)
    opciones = ayuda.por_id(arbol, "estacionamientos-tabla")["props"]["dashGridOptions"]
    assert opciones["tabToNextCell"] == {"function": "sigueTabSaleDeLaTabla(params)"}
    assert opciones["tabToNextHeader"] == {"function": "sigueTabSaleDeLaTabla(params)"}


@pytest.mark.parametrize(
    ("disparador", "entradas", "esperado"),
    [
        ("estacionamientos-tabla.selectedRows", ([{"id": "B"}], None, None, "A"), "B"),
        (
            "estacionamientos-mapa.clickData",
            (None, {"points": [{"customdata": "C"}]}, None, ""),
            "C",
        ),
        ("estacionamientos-cerrar.n_clicks", (None, None, 1, "A"), ""),
        ("estacionamientos-tabla.selectedRows", ([{"id": "A"}], None, None, "A"), dash.no_update),
    ],
)
def test_elegir_un_espacio(pagina, disparador, entradas, esperado):
    with ayuda.disparado_por(disparador) as llamar:
        assert llamar(pagina.elegir, *entradas) == esperado


@pytest.mark.parametrize("estado", ESTADOS_ESTACIONAMIENTO, ids=lambda e: e.valor)
def test_insignias_con_contraste_suficiente(estado):
    def luminancia(color):
        canales = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in canales]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    texto = figuras.color_texto(estado.color)
    claro, oscuro = sorted([luminancia(estado.color), luminancia(texto)], reverse=True)
    assert (claro + 0.05) / (oscuro + 0.05) >= 4.5
    insignia = ayuda.texto(figuras.insignia(estado.valor))
    assert insignia == f"{estado.icono} {estado.etiqueta}"  # icono y texto, no solo color


def test_version_con_espacios_sin_coordenadas(tmp_path):
    from almacen.versiones import Almacen

    Almacen(tmp_path).crear_version(
        {"estacionamientos": (pd.DataFrame({"id": ["1"]}), None)},
        carga={"tipo": "estacionamientos", "archivo": "x.csv", "sha256": "0", "ejemplo": True},
    )
    app = crear_app(tmp_path)
    with app.server.test_request_context("/estacionamientos"):
        arbol = ayuda.modulo("/estacionamientos").layout()
    texto = ayuda.texto(arbol)
    assert "Se muestran 1 espacio" in texto
    assert "1 sin coordenadas no aparecen en el mapa" in texto
    figura = ayuda.por_id(arbol, "estacionamientos-mapa")["props"]["figure"]
    assert figura["data"][figuras.TRAZA_PUNTOS]["lat"] == []


def test_con_teselas_configuradas(pagina, peticion, monkeypatch):
    monkeypatch.setenv("SIGUE_TESELAS", "https://teselas.example/{z}/{x}/{y}.png")
    monkeypatch.setenv("SIGUE_TESELAS_ATRIBUCION", "© colaboradores")
    figura = ayuda.por_id(pagina.layout(), "estacionamientos-mapa")["props"]["figure"]
    teselas, contorno = figura["layout"]["map"]["layers"]
    assert teselas["source"] == ["https://teselas.example/{z}/{x}/{y}.png"]
    assert teselas["sourceattribution"] == "© colaboradores"
    assert contorno["type"] == "line"  # el contorno del municipio sigue encima de las teselas
