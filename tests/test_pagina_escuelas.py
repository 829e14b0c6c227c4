"""Página de escuelas sin navegador: layout con filtros de la URL, callbacks y figuras."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import capas
from capas.config import ETIQUETAS_COBERTURA, PALETA
from capas.filtros import filtrar
from tablero import tablas
from tablero.app import crear_app
from tablero.figuras import escuelas as figuras
from tablero.figuras import puntos

try:
    from tests import ayuda_paginas as ayuda
except ImportError:  # pytest sin la raíz del proyecto en sys.path
    import ayuda_paginas as ayuda


@pytest.fixture(scope="module")
def app(raiz_ejemplo):
    return crear_app(raiz_ejemplo)


@pytest.fixture(scope="module")
def pagina(app):
    return ayuda.modulo("/escuelas")


@pytest.fixture(scope="module")
def datos(raiz_ejemplo):
    return capas.abrir(raiz_ejemplo)


@pytest.fixture
def peticion(app):
    with app.server.test_request_context("/escuelas"):
        yield


def _filas(arbol) -> list[dict]:
    """Las filas que la tabla (por bloques) pide al abrir la página."""
    return ayuda.filas_del_layout(ayuda.modulo("/escuelas"), arbol)


def _actualizar(pagina, *valores):
    """El callback de filtros y las filas que la tabla pide con esos controles."""
    parche, resumen, vista, vacio = pagina.actualizar(*valores[:-1], None, valores[-1])
    filas = ayuda.filas_por_bloques(pagina, list(valores[:-1]), valores[-1])
    return parche, filas, resumen, vista, vacio


def _figura(arbol) -> dict:
    return ayuda.por_id(arbol, "escuelas-mapa")["props"]["figure"]


def test_sin_filtros_muestra_el_ciclo_mas_reciente(pagina, datos, peticion):
    arbol = pagina.layout()
    anio = datos.anios_escolares[-1]
    esperado = capas.tabla_escuelas(datos, anio=anio)
    filas = _filas(arbol)
    assert [f["cct"] for f in filas] == list(esperado["cct"])
    assert ayuda.por_id(arbol, "escuelas-anio")["props"]["value"] == anio
    # el mapa: a lo más MAXIMO_PUNTOS escuelas con coordenadas (cobertura baja, media, sin
    # dato, alta; dentro de cada luz más inscritos primero), en el orden de la tabla,
    # redondeadas a 4 decimales, con la posición de su luz en la paleta
    figura = _figura(arbol)
    traza = figura["data"][puntos.TRAZA_PUNTOS]
    con_coordenadas = esperado.dropna(subset=["latitud", "longitud"])
    assert len(con_coordenadas) > puntos.MAXIMO_PUNTOS  # el ejemplo no cabe entero
    gravedad = {"rojo": 0, "amarillo": 1, "gris": 2, "verde": 3}
    ordenadas = con_coordenadas.assign(
        g=con_coordenadas["semaforo_cobertura"].map(gravedad),
        menos=-con_coordenadas["alumnos_inscritos"].astype("float64"),
    ).sort_values(["g", "menos"], kind="stable", na_position="last")
    dibujadas = con_coordenadas.loc[sorted(ordenadas.index[: puntos.MAXIMO_PUNTOS])]
    assert traza["customdata"] == list(dibujadas["cct"])
    assert traza["hovertemplate"] == (
        "%{customdata} · %{hovertext}<br>Cobertura: %{text}<extra></extra>"
    )
    assert traza["hovertext"] == list(dibujadas["nombre"].map(puntos.corto))
    assert puntos.como_lista(traza["lat"]) == pytest.approx(
        np.round(dibujadas["latitud"].to_numpy(), 4).tolist(), abs=1e-5
    )
    assert [figuras.LUCES[i] for i in puntos.como_lista(traza["marker"]["color"])] == list(
        dibujadas["semaforo_cobertura"]
    )
    assert traza["marker"]["colorscale"][0] == [0, PALETA["verde"].color]
    # las demás, contadas en un círculo por municipio
    circulos = figura["data"][puntos.TRAZA_GRUPOS]
    resto = len(con_coordenadas) - puntos.MAXIMO_PUNTOS
    assert sum(int(t.split(": ")[1].split(" ")[0].replace(",", "")) for t in circulos["text"]) == (
        resto
    )
    assert (
        len(puntos.como_lista(circulos["lat"]))
        == con_coordenadas.drop(dibujadas.index)["cvegeo"].nunique()
    )
    texto = ayuda.texto(arbol)
    assert "Escuelas: uniformes y útiles escolares" in texto
    assert f"Se muestran {len(esperado):,} escuelas del ciclo {anio}-{anio + 1}" in texto
    assert (
        f"El mapa dibuja {puntos.MAXIMO_PUNTOS:,} de las {len(con_coordenadas):,} escuelas con "
        f"coordenadas (primero las de cobertura baja y con más alumnos inscritos); {resto:,} "
        "más se cuentan en círculos grises, uno por municipio: elija un municipio o filtre "
        "para verlas."
    ) in texto


def test_filtros_de_la_url(pagina, datos, peticion):
    arbol = pagina.layout(anio="2024", municipio="20067", nivel="PRIMARIA", semaforo="rojo")
    esperado = capas.tabla_escuelas(datos, anio=2024, municipio="20067")
    esperado = esperado[
        (esperado["nivel"] == "PRIMARIA") & (esperado["semaforo_cobertura"] == "rojo")
    ]
    filas = _filas(arbol)
    assert filas and [f["cct"] for f in filas] == list(esperado["cct"])
    assert {f["municipio"] for f in filas} == {"Oaxaca de Juárez"}
    assert {f["nivel"] for f in filas} == {"Primaria"}
    assert all(f["semaforo"].startswith("✖ cobertura baja") for f in filas)
    assert ayuda.por_id(arbol, "escuelas-nivel")["props"]["value"] == ["PRIMARIA"]
    assert ayuda.por_id(arbol, "escuelas-municipio")["props"]["value"] == "20067"
    # el mapa se centra en el municipio y dibuja su contorno
    figura = _figura(arbol)
    assert figura["data"][puntos.TRAZA_MUNICIPIO]["lat"]
    assert figura["layout"]["uirevision"] == "escuelas-municipio-20067"
    limites = ayuda.por_id(arbol, "escuelas-limites")["props"]["data"]["limites"]
    assert limites[0] < figura["layout"]["map"]["center"]["lon"] < limites[2]


def test_parametros_invalidos_no_rompen_la_pagina(pagina, datos, peticion):
    arbol = pagina.layout(anio="1999", municipio="99999", nivel="UNIVERSIDAD", semaforo="azul")
    assert ayuda.por_id(arbol, "escuelas-anio")["props"]["value"] == datos.anios_escolares[-1]
    assert ayuda.por_id(arbol, "escuelas-municipio")["props"]["value"] is None
    assert ayuda.por_id(arbol, "escuelas-nivel")["props"]["value"] == []
    assert len(_filas(arbol)) == len(capas.tabla_escuelas(datos, anio=datos.anios_escolares[-1]))
    anio = datos.anios_escolares[-1]
    aviso = ayuda.por_id(arbol, "escuelas-aviso")["props"]
    assert aviso["role"] == "status" and not aviso.get("hidden")
    assert aviso["children"] == (
        "No reconocimos anio=1999, municipio=99999, nivel=UNIVERSIDAD ni semaforo=azul; se "
        f"muestran todas las escuelas del ciclo {anio}-{anio + 1}."
    )


def test_callback_filtra_mapa_tabla_y_resumen(pagina, datos, peticion):
    version = datos.id
    parche, filas, resumen, vista, vacio_oculto = _actualizar(
        pagina, 2024, "20067", ["PRIMARIA", "SECUNDARIA"], ["verde", "amarillo"], None, version
    )
    esperado = filtrar(
        capas.tabla_escuelas(datos, anio=2024, municipio="20067"),
        nivel=["PRIMARIA", "SECUNDARIA"],
        semaforo_cobertura=["verde", "amarillo"],
    )
    assert [f["cct"] for f in filas] == list(esperado["cct"])
    cambios = ayuda.asignaciones(parche)
    con_coordenadas = esperado.dropna(subset=["latitud", "longitud"])
    assert cambios[("data", puntos.TRAZA_PUNTOS, "customdata")] == list(con_coordenadas["cct"])
    borde = puntos.como_lista(cambios[("data", puntos.TRAZA_PUNTOS - 1, "lat")])
    assert len(borde) == len(con_coordenadas)
    # al pasar o tocar: «CCT · nombre» y la cobertura con su luz en palabras (la plantilla
    # de la figura las junta); la clave solo viaja en customdata
    primera = con_coordenadas.iloc[0]
    assert cambios[("data", puntos.TRAZA_PUNTOS, "hovertext")][0] == primera["nombre"]
    luz = ETIQUETAS_COBERTURA[primera["semaforo_cobertura"]]
    cobertura = f"{primera['cobertura'] * 100:.1f} %"
    assert cambios[("data", puntos.TRAZA_PUNTOS, "text")][0] == f"{cobertura} · {luz}"
    # la leyenda dice cuántas hay de cada luz, con icono y texto
    verdes = int((esperado["semaforo_cobertura"] == "verde").sum())
    assert cambios[("data", puntos.PRIMERA_LEYENDA, "name")] == f"✔ cobertura alta: {verdes:,}"
    # un Patch: no se vuelve a mandar el contorno de la entidad
    assert not any(clave[:2] == ("layout", "map") and "layers" in clave for clave in cambios)
    assert resumen.startswith(f"Se muestran {len(esperado)} escuelas del ciclo 2024-2025")
    assert vista["limites"][0] < -96.6
    assert vacio_oculto is True


def test_callback_sin_resultados(pagina, datos, peticion):
    _, filas, resumen, _, vacio_oculto = _actualizar(
        pagina, 2023, None, [], ["verde"], None, datos.id
    )
    assert filas == []  # 2023 no tiene padrón: todas sin dato
    assert resumen == "Ninguna escuela cumple los filtros elegidos."
    assert vacio_oculto is False  # se ofrece «Quitar filtros»


def test_tocar_una_escuela_la_busca_en_la_tabla(pagina):
    assert pagina.buscar_escuela_del_mapa({"points": [{"customdata": "20DCC0048V"}]}) == (
        "20DCC0048V"
    )


def test_filas_marcan_cobertura_mayor_que_100():
    tabla = pd.DataFrame(
        {
            "cct": ["A", "B", "C"],
            "nombre": ["Uno", "Dos", None],
            "nivel": ["PRIMARIA", "SECUNDARIA", "PREESCOLAR"],
            "municipio": ["X", "Y", "Z"],
            "alumnos_inscritos": pd.array([10, 20, None], dtype="Int64"),
            "alumnos_atendidos": pd.array([12, 10, None], dtype="Int64"),
            "cobertura": [1.2, 0.5, None],
            "semaforo_cobertura": ["verde", "rojo", "gris"],
            "cobertura_excedida": [True, False, False],
        }
    )
    assert figuras.filas(tabla) == [
        {
            "cct": "A",
            "nombre": "Uno",
            "nivel": "Primaria",
            "municipio": "X",
            "inscritos": 10,
            "atendidos": 12,
            "cobertura": 1.2,
            "semaforo": "✔ cobertura alta · ⚠ más de 100 %: revisar datos",
        },
        {
            "cct": "B",
            "nombre": "Dos",
            "nivel": "Secundaria",
            "municipio": "Y",
            "inscritos": 20,
            "atendidos": 10,
            "cobertura": 0.5,
            "semaforo": "✖ cobertura baja",
        },
        {
            "cct": "C",
            "nombre": None,
            "nivel": "Preescolar",
            "municipio": "Z",
            "inscritos": None,
            "atendidos": None,
            "cobertura": None,
            "semaforo": "? sin dato",
        },
    ]


def test_opciones_del_semaforo_con_icono_y_texto():
    opciones = figuras.opciones_semaforo()
    assert [o["value"] for o in opciones] == ["verde", "amarillo", "rojo", "gris"]
    textos = [ayuda.texto(o["label"]) for o in opciones]
    assert textos[0] == "✔  Cobertura alta (95 % o más)"
    assert textos[1] == "▲  Cobertura media (80 % a 95 %)"
    assert ETIQUETAS_COBERTURA["rojo"] in textos[2].lower()


def test_tabla_en_espanol_con_busqueda_y_columnas_del_telefono():
    tabla = ayuda.a_json(
        tablas.tabla(
            "t", figuras.COLUMNAS, [], descripcion="Escuelas", columnas_telefono=["nombre"]
        )
    )
    assert tabla["props"]["role"] == "region"
    assert tabla["props"]["aria-label"] == "Escuelas"
    grid = tabla["props"]["children"]["props"]
    assert grid["dashGridOptions"]["localeText"]["noRowsToShow"] == "No hay filas que mostrar"
    assert grid["dashGridOptions"]["ensureDomOrder"] is True
    assert "sigueColumnasSegunAncho" in grid["eventListeners"]["gridSizeChanged"][0]
    assert [c["field"] for c in grid["columnDefs"]] == [
        "cct",
        "nombre",
        "nivel",
        "municipio",
        "inscritos",
        "atendidos",
        "cobertura",
        "semaforo",
    ]
    with pytest.raises(ValueError, match="'seleccion' necesita 'id_fila'"):
        tablas.tabla("t", [], [], descripcion="x", seleccion=True)


def test_fuera_de_una_peticion_solo_el_encabezado(pagina):
    arbol = pagina.layout(municipio="20067", anio="2024")
    assert ayuda.texto(arbol).startswith("Escuelas: uniformes y útiles escolares")
    assert ayuda.componentes(arbol, "Graph") == []


def test_version_sin_escuelas(tmp_path):
    from almacen.versiones import Almacen

    Almacen(tmp_path).crear_version(
        {"estacionamientos": (pd.DataFrame({"id": ["1"]}), None)},
        carga={"tipo": "estacionamientos", "archivo": "x.csv", "sha256": "0", "ejemplo": True},
    )
    app = crear_app(tmp_path)
    with app.server.test_request_context("/escuelas"):
        arbol = ayuda.modulo("/escuelas").layout()
    assert "no tiene escuelas" in ayuda.texto(arbol)
