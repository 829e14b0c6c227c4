"""Página de inicio sin navegador: mapa (base serializada una vez por versión, en su propio
callback; ``Patch`` con valores), cifras de la entidad, búsqueda, tabla alternativa y números
iguales a los de la descarga CSV.

Los callbacks decorados con ``@callback`` son funciones: se llaman dentro de una petición de
prueba de una aplicación armada con :func:`tablero.app.crear_app` sobre los datos de ejemplo.
"""

from __future__ import annotations

import io
import json
import sys

import pandas as pd
import pytest

import capas
from capas.config import LUCES, PALETA
from tablero import json_rapido
from tablero.app import crear_app
from tablero.figuras import inicio as figuras
from tablero.formato import entero, pesos, porcentaje
from tests import ayuda_paginas as ayuda

ANIO = 2025


@pytest.fixture(scope="module")
def app(raiz_ejemplo):
    return crear_app(raiz_ejemplo)


@pytest.fixture(scope="module")
def datos(raiz_ejemplo):
    return capas.abrir(raiz_ejemplo)


@pytest.fixture(scope="module")
def pagina(app):
    """El módulo de la página tal como lo importó Dash (``paginas.inicio``)."""
    return sys.modules["paginas.inicio"]


@pytest.fixture
def peticion(app):
    with app.server.test_request_context("/"):
        yield


def _json(componente):
    return ayuda.a_json(componente)


def _texto(arbol) -> str:
    """Todo el texto visible, con los espacios normalizados."""
    return " ".join(ayuda.texto(arbol).split())


def _operaciones(parche) -> dict:
    """Operaciones de un ``dash.Patch`` como ``{"z": valor, ...}`` (todas sobre ``data[0]``)."""
    operaciones = (parche if isinstance(parche, dict) else parche.to_plotly_json())["operations"]
    assert {tuple(op["location"][:2]) for op in operaciones} == {("data", 0)}
    assert {op["operation"] for op in operaciones} == {"Assign"}
    return {op["location"][2]: op["params"]["value"] for op in operaciones}


def _nulos(valores) -> list:
    return [None if pd.isna(v) else float(v) for v in valores]


def _mapa(pagina, indicador="cobertura", anio=ANIO) -> tuple[dict, dict]:
    """Figura (base de su URL más los valores) y vista (límites) de :func:`cargar_mapa`."""
    salida = pagina.cargar_mapa(None, indicador, anio)
    return ayuda.figura_del_mapa(salida), json.loads(json_rapido.a_json(salida["vista"]))


# --- layout ---------------------------------------------------------------------------------


def test_layout_trae_las_cifras_y_el_mapa_llega_aparte(pagina, datos, peticion):
    arbol = pagina.layout()
    # la página no espera a la geometría: una figura provisional, sin mapa
    provisional = arbol["inicio-mapa"].figure
    assert provisional["data"] == [] and "map" not in provisional["layout"]
    assert "Cargando el mapa" in provisional["layout"]["annotations"][0]["text"]
    assert getattr(arbol["inicio-mapa-datos"], "data", None) is None
    assert len(json.dumps(provisional)) < 1_000
    assert arbol["inicio-anio"].value == ANIO  # el más reciente con cobertura
    assert arbol["inicio-indicador"].value == "cobertura"
    assert [o["value"] for o in arbol["inicio-anio"].options] == [2025, 2024, 2023]
    assert len(arbol["inicio-buscar"].options) == 570
    assert {
        "label": "Oaxaca de Juárez",
        "value": "20067",
        "search": "oaxaca de juarez",
    } in arbol["inicio-buscar"].options
    assert _texto(arbol).count("Sigue el dinero") >= 1
    assert arbol["inicio-descarga"].href == "/descargas/municipios.csv?anio=2025"


def test_cargar_mapa_manda_la_geometria_con_los_valores_del_ciclo(pagina, datos, peticion):
    figura, limites = _mapa(pagina)
    traza = figura["data"][0]
    tabla = capas.tabla_municipios(datos, anio=ANIO)
    assert traza["type"] == "choroplethmap"
    assert len(traza["geojson"]["features"]) == 570
    assert traza["locations"] == list(tabla["cvegeo"])
    assert traza["customdata"] == list(tabla["municipio"])
    assert traza["z"] == _nulos(tabla["cobertura"])
    assert traza["colorbar"]["title"] == {"text": "Cobertura", "side": "top"}
    assert figura["layout"]["map"]["style"] == "white-bg"
    fondo = figura["layout"]["map"]["layers"][-1]  # la entidad en gris bajo los municipios
    assert (fondo["type"], fondo["color"], fondo["below"]) == (
        "fill",
        PALETA["gris"].color,
        "traces",
    )
    oeste, sur, este, norte = datos.tabla("municipios").total_bounds
    assert limites == {"limites": [oeste, sur, este, norte], "margen": figuras.MARGEN_BARRA}


def test_mapa_base_se_arma_una_vez_por_version(app, pagina, raiz_ejemplo, monkeypatch):
    """Dos peticiones de la misma versión: la geometría y la base se arman una sola vez."""
    import tablero.mapas

    armados = {"base": 0, "geojson": 0}
    base_original, geojson_original = figuras.mapa_base, tablero.mapas._geojson

    def base_contada(*args, **kwargs):
        armados["base"] += 1
        return base_original(*args, **kwargs)

    def geojson_contado(*args, **kwargs):
        armados["geojson"] += 1
        return geojson_original(*args, **kwargs)

    monkeypatch.setattr(figuras, "mapa_base", base_contada)
    monkeypatch.setattr(tablero.mapas, "_geojson", geojson_contado)
    capas.limpiar_cache()  # una versión recién leída: nada armado todavía
    respuestas = []
    for _ in range(2):
        with app.server.test_request_context("/"):
            respuestas.append(json_rapido.a_json(pagina.cargar_mapa(None, "cobertura", ANIO)))
    assert armados == {"base": 1, "geojson": 1}
    assert respuestas[0] == respuestas[1]
    with app.server.test_request_context("/"):
        otra = json.loads(json_rapido.a_json(pagina.cargar_mapa(None, "obras_con_alerta", 2024)))
    assert armados == {"base": 1, "geojson": 1}  # otro indicador y ciclo: la misma base
    assert otra["base"] == json.loads(respuestas[0])["base"]
    # servirla tampoco la vuelve a armar
    assert app.server.test_client().get(otra["base"]).status_code == 200
    assert armados == {"base": 1, "geojson": 1}


def test_json_de_la_base_identico_byte_a_byte(app, pagina, datos):
    """Los bytes de la base son los mismos entre llamadas (y de un objeto que no se rehace)."""
    with app.server.test_request_context("/"):
        primera = pagina.mapa_base(datos)
        segunda = pagina.mapa_base(datos)
    assert primera is segunda
    bytes_1 = json_rapido.a_json(primera).encode()
    bytes_2 = json_rapido.a_json(segunda).encode()
    assert bytes_1 == bytes_2
    # la base no lleva valores (z, textos): esos van en cada respuesta
    assert "z" not in primera["data"][0] and "text" not in primera["data"][0]


def test_base_plana_igual_a_la_figura_validada_de_plotly(app, pagina, datos):
    """El dict plano (sin validadores) dice lo mismo que el ``go.Figure`` validado."""
    import plotly.graph_objects as go

    with app.server.test_request_context("/"):
        tabla = pagina.municipios_del_ciclo(datos, ANIO)
        plana = json.loads(
            json_rapido.a_json(
                figuras.figura_mapa(pagina.mapa_base(datos), tabla, "semaforo_gasto")
            )
        )
    validada = json.loads(go.Figure(plana).to_json())
    for traza in validada["data"]:
        traza.pop("uid", None)
    assert validada == plana


@pytest.mark.parametrize(
    ("parametros", "indicador", "anio"),
    [
        ({"indicador": "obras_con_alerta", "anio": "2024"}, "obras_con_alerta", 2024),
        ({"indicador": "no-existe", "anio": "1999"}, "cobertura", ANIO),
        ({"indicador": "semaforo_gasto", "anio": "dos mil"}, "semaforo_gasto", ANIO),
    ],
)
def test_layout_lee_indicador_y_ciclo_de_la_url(
    pagina, datos, peticion, parametros, indicador, anio
):
    arbol = pagina.layout(**parametros)
    assert arbol["inicio-indicador"].value == indicador
    assert arbol["inicio-anio"].value == anio
    esperado = figuras.propiedades_mapa(capas.tabla_municipios(datos, anio=anio), indicador)
    figura, _ = _mapa(pagina, arbol["inicio-indicador"].value, arbol["inicio-anio"].value)
    assert figura["data"][0]["z"] == esperado["z"]
    assert figura["data"][0]["text"] == esperado["text"]


def test_layout_sin_datos_no_rompe(tmp_path):
    app = crear_app(tmp_path / "vacio")
    pagina = sys.modules["paginas.inicio"]
    with app.server.test_request_context("/"):
        texto = _texto(pagina.layout())
    assert "Todavía no hay datos de municipios publicados" in texto
    assert "Todavía no hay datos" in _texto(pagina.layout())  # fuera de una petición


# --- mapa: Patch con valores, nunca geometría -----------------------------------------------


def test_parche_de_cobertura_trae_exactamente_los_valores_de_capas(pagina, datos, peticion):
    parche, pie, leyenda = pagina.actualizar_mapa("cobertura", ANIO)
    cambios = _operaciones(parche)
    tabla = capas.tabla_municipios(datos, anio=ANIO)
    ubicaciones = _mapa(pagina)[0]["data"][0]["locations"]
    valores = dict(zip(tabla["cvegeo"], _nulos(tabla["cobertura"]), strict=True))
    assert cambios["z"] == [valores[clave] for clave in ubicaciones]
    assert cambios["text"] == [porcentaje(valores[clave]) for clave in ubicaciones]
    assert "geojson" not in cambios and "locations" not in cambios
    assert cambios["colorscale"] == "Viridis"
    assert cambios["colorbar"]["tickformat"] == ".0%"
    assert cambios["colorbar"]["title"] == {"text": "Cobertura", "side": "top"}
    assert "Cobertura del programa" in cambios["hovertemplate"]
    assert "ciclo 2025-2026" in pie
    assert _texto(leyenda) == "? sin dato"  # el gris de fondo: municipios sin valor


def test_parche_de_cambio_de_ciclo_con_valores_calculados_a_mano(pagina, peticion):
    """Ejercido del programa en 2024, sumado a mano de las líneas del ejemplo (uniformes + útiles).

    20001: 41,867.21 + 26,365.55; 20067: 1,247,202.52 + 859,912.62;
    20390: 1,157,943.27 + 807,686.46 (y en 2025 no tiene líneas: sin dato).
    """
    ubicaciones = _mapa(pagina, "presupuesto_ejercido", ANIO)[0]["data"][0]["locations"]
    parche = json.loads(json_rapido.a_json(pagina.actualizar_mapa("presupuesto_ejercido", 2024)[0]))
    cambios = _operaciones(parche)
    esperado = {
        "20001": (68_232.76, "$68,233"),
        "20067": (2_107_115.14, "$2,107,115"),
        "20390": (1_965_629.73, "$1,965,630"),
    }
    for clave, (valor, texto) in esperado.items():
        i = ubicaciones.index(clave)
        assert cambios["z"][i] == pytest.approx(valor, abs=0.005), clave
        assert cambios["text"][i] == texto, clave
    otro = _operaciones(pagina.actualizar_mapa("presupuesto_ejercido", ANIO)[0])
    assert otro["z"][ubicaciones.index("20390")] is None
    assert otro["text"][ubicaciones.index("20390")] == "sin dato"


@pytest.mark.parametrize(
    ("indicador", "formato"),
    [
        ("presupuesto_ejercido", pesos),
        ("obras_monto_aprobado", pesos),
        ("obras_con_alerta", entero),
    ],
)
@pytest.mark.parametrize("anio", [2024, 2025])
def test_parche_de_montos_y_cuentas(pagina, datos, peticion, indicador, formato, anio):
    cambios = _operaciones(pagina.actualizar_mapa(indicador, anio)[0])
    tabla = capas.tabla_municipios(datos, anio=anio)
    assert cambios["z"] == _nulos(tabla[indicador])
    assert cambios["text"] == [formato(v) for v in tabla[indicador]]
    if indicador != "obras_con_alerta":
        assert cambios["colorbar"]["tickprefix"] == "$"


@pytest.mark.parametrize(
    ("indicador", "etiqueta"),
    [("semaforo_cobertura", "etiqueta_cobertura"), ("semaforo_gasto", "etiqueta_gasto")],
)
def test_parche_de_semaforos_con_paleta_icono_y_texto(pagina, datos, peticion, indicador, etiqueta):
    cambios = _operaciones(pagina.actualizar_mapa(indicador, ANIO)[0])
    tabla = capas.tabla_municipios(datos, anio=ANIO)
    assert cambios["z"] == [LUCES.index(luz) for luz in tabla[indicador]]
    assert cambios["text"] == [
        f"{PALETA[luz].icono} {texto}"
        for luz, texto in zip(tabla[indicador], tabla[etiqueta], strict=True)
    ]
    colores = {color for _, color in cambios["colorscale"]}
    assert colores == {PALETA[luz].color for luz in LUCES}
    assert cambios["colorbar"]["ticktext"] == [PALETA[luz].icono for luz in LUCES]
    leyenda = _texto(pagina.actualizar_mapa(indicador, ANIO)[2])
    for luz, texto in zip(LUCES, figuras.INDICADORES[indicador].etiquetas, strict=True):
        assert f"{PALETA[luz].icono} {texto}" in leyenda
    assert (cambios["zmin"], cambios["zmax"]) == (-0.5, 3.5)
    titulo = figuras.INDICADORES[indicador].titulo_escala
    assert cambios["colorbar"]["title"] == {"text": titulo, "side": "top"}


def test_parche_pesa_menos_de_25_kb(pagina, peticion):
    for indicador in figuras.INDICADORES:
        for anio in (2023, 2024, 2025):
            parche = pagina.actualizar_mapa(indicador, anio)[0]
            assert len(json.dumps(parche.to_plotly_json())) < 25_000, (indicador, anio)


def test_ciclo_sin_cobertura_dice_cuantos_municipios_no_tienen_dato(pagina, peticion):
    cambios = _operaciones(pagina.actualizar_mapa("cobertura", 2023)[0])
    assert set(cambios["z"]) == {None}
    assert set(cambios["text"]) == {"sin dato"}
    assert "570 municipios sin dato" in pagina.actualizar_mapa("cobertura", 2023)[1]


# --- cifras de la entidad -------------------------------------------------------------------


@pytest.mark.parametrize("anio", [2024, 2025])
def test_cifras_del_estado_iguales_a_tabla_estado(pagina, datos, peticion, anio):
    titulo, cifras, filas, enlace = pagina.actualizar_ciclo(anio)
    estado = capas.tabla_estado(datos, anio=anio).iloc[0]
    texto = _texto(cifras)
    assert titulo == f"Cifras del estado, ciclo {anio}-{anio + 1}"
    assert f"Cobertura estatal {porcentaje(estado['cobertura'])}" in texto
    assert estado["etiqueta_cobertura"] in texto
    assert (
        f"{entero(estado['alumnos_atendidos'])} de {entero(estado['alumnos_inscritos'])}" in texto
    )
    assert "de cada" in texto and "alumnos inscritos" in texto
    assert f"Eficacia presupuestal {porcentaje(estado['eficacia'])}" in texto
    assert (
        f"{pesos(estado['presupuesto_ejercido'])} de {pesos(estado['presupuesto_aprobado'])}"
        in texto
    )
    assert f"Semáforo del gasto: {PALETA[estado['semaforo_gasto']].icono}" in texto
    assert estado["etiqueta_gasto"] in texto
    # dice qué etapas comparó el semáforo del gasto
    assert f"Compara lo {estado['etapa_avance']} con lo {estado['etapa_base']}" in texto
    assert f"se ha usado el {porcentaje(estado['avance_gasto'])}" in texto
    assert f"se esperaba el {porcentaje(estado['esperado_gasto'])}" in texto
    assert len(filas) == 570
    assert enlace == f"/descargas/municipios.csv?anio={anio}"


def test_cifras_del_estado_con_los_numeros_del_ejemplo(pagina, peticion):
    texto = _texto(pagina.actualizar_ciclo(2025)[1])
    assert "Cobertura estatal 87.7 %" in texto
    assert "9 de cada 10 alumnos inscritos" in texto
    assert "163,292 de 186,187" in texto
    assert "Eficacia presupuestal 70.5 %" in texto
    assert "Compara lo comprobado y ejercido con lo modificado" in texto


def test_cifras_sin_datos_del_ciclo():
    assert "Todavía no hay cifras" in _texto(figuras.cifras_estado(pd.DataFrame()))


# --- navegación y tabla alternativa ---------------------------------------------------------


def test_buscar_o_tocar_un_municipio_lleva_a_su_perfil(pagina, peticion):
    assert pagina.destino("inicio-buscar", "20067", None, 2024) == (
        "/municipio?municipio=20067&anio=2024"
    )
    clic = {"points": [{"location": "20390", "z": 0.9}]}
    assert pagina.destino("inicio-mapa", None, clic, None) == "/municipio?municipio=20390"
    assert pagina.destino("inicio-buscar", None, None, 2024) is None
    assert pagina.destino("inicio-mapa", None, {"points": []}, 2024) is None


def test_tabla_alternativa_con_todos_los_municipios_y_enlaces(datos):
    tabla = capas.tabla_municipios(datos, anio=ANIO)
    filas = figuras.filas_tabla(tabla, ANIO)
    fila = next(f for f in filas if f["cvegeo"] == "20067")
    esperada = tabla[tabla["cvegeo"] == "20067"].iloc[0]
    assert fila["municipio"] == "[Oaxaca de Juárez](/municipio?municipio=20067&anio=2025)"
    assert fila["cobertura"] == esperada["cobertura"]
    assert fila["obras_con_alerta"] == esperada["obras_con_alerta"]
    assert fila["semaforo_gasto_texto"] == f"{PALETA[esperada['semaforo_gasto']].icono} en tiempo"
    assert [f["cvegeo"] for f in filas] == list(tabla["cvegeo"])
    campos = [c["field"] for c in figuras.columnas_tabla()]
    assert campos == ["municipio", *figuras.COLUMNAS_TABLA]


# --- cada número en pantalla es el de la descarga -------------------------------------------


def test_numeros_del_mapa_iguales_a_la_descarga_csv(app, pagina):
    cliente = app.server.test_client()
    respuesta = cliente.get(f"/descargas/municipios.csv?anio={ANIO}")
    assert respuesta.status_code == 200
    csv = pd.read_csv(io.BytesIO(respuesta.data), dtype={"cvegeo": str})
    csv = csv.set_index("cvegeo")
    with app.server.test_request_context("/"):
        claves = _mapa(pagina)[0]["data"][0]["locations"]
        for indicador in ("cobertura", "presupuesto_ejercido", "obras_monto_aprobado"):
            cambios = _operaciones(pagina.actualizar_mapa(indicador, ANIO)[0])
            assert cambios["z"] == _nulos(csv.loc[claves, indicador]), indicador
        cambios = _operaciones(pagina.actualizar_mapa("semaforo_gasto", ANIO)[0])
        assert cambios["z"] == [LUCES.index(luz) for luz in csv.loc[claves, "semaforo_gasto"]]
