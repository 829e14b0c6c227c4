"""Perfil de un municipio sin navegador: indicadores con semáforo y frase, presupuesto, escuelas
(mapa y tabla), obras con alertas, variaciones año con año, clave desconocida y números
iguales a los de la descarga CSV.
"""

from __future__ import annotations

import io
import json
import sys

import pandas as pd
import plotly.utils
import pytest

import capas
from capas.config import LECTURA_VARIACION, PALETA
from tablero.app import crear_app
from tablero.figuras import municipio as figuras
from tablero.formato import entero, pesos, porcentaje
from tests import ayuda_paginas as ayuda

ANIO = 2025
CLAVE = "20067"


@pytest.fixture(scope="module")
def app(raiz_ejemplo):
    return crear_app(raiz_ejemplo)


@pytest.fixture(scope="module")
def datos(raiz_ejemplo):
    return capas.abrir(raiz_ejemplo)


@pytest.fixture(scope="module")
def pagina(app):
    """El módulo de la página tal como lo importó Dash (``paginas.municipio``)."""
    return sys.modules["paginas.municipio"]


@pytest.fixture
def peticion(app):
    with app.server.test_request_context("/municipio"):
        yield


def _json(componente):
    return ayuda.a_json(componente)


def _texto(arbol) -> str:
    """Todo el texto visible, con los espacios normalizados."""
    return " ".join(ayuda.texto(arbol).split())


def _h1(arbol) -> list[str]:
    encontrados = []

    def recorrer(nodo):
        if isinstance(nodo, list):
            for hijo in nodo:
                recorrer(hijo)
        elif isinstance(nodo, dict):
            if nodo.get("type") == "H1":
                encontrados.append(_texto_nodo(nodo))
            recorrer(nodo.get("props", {}).get("children"))

    recorrer(_json(arbol))
    return encontrados


def _texto_nodo(nodo) -> str:
    hijos = nodo["props"].get("children")
    return hijos if isinstance(hijos, str) else " ".join(map(str, hijos))


def _fila(datos, anio=ANIO, clave=CLAVE) -> pd.Series:
    """La fila del municipio en la capa ``municipios`` (la de la descarga)."""
    tabla = capas.capa("municipios").leer(datos, anio=anio, municipio=clave)
    assert len(tabla) == 1
    return tabla.iloc[0]


# --- sin municipio, clave desconocida, sin datos --------------------------------------------


def test_sin_municipio_pide_elegir_uno(pagina, peticion):
    arbol = pagina.layout()
    assert _h1(arbol) == ["Mi municipio"]
    assert len(arbol["municipio-buscar"].options) == 570
    assert "Elija su municipio" in _texto(arbol)


@pytest.mark.parametrize("clave", ["99999", "abc<script>", "20"])
def test_clave_desconocida_da_un_aviso_claro(pagina, peticion, clave):
    arbol = pagina.layout(municipio=clave, anio="2025")
    assert _h1(arbol) == ["Mi municipio"]
    texto = _texto(arbol)
    assert f"No encontramos ningún municipio con la clave «{clave}»" in texto
    assert len(arbol["municipio-buscar"].options) == 570


def test_sin_datos_no_rompe(tmp_path):
    app = crear_app(tmp_path / "vacio")
    pagina = sys.modules["paginas.municipio"]
    with app.server.test_request_context("/municipio"):
        arbol = pagina.layout(municipio=CLAVE)
    assert _h1(arbol) == ["Mi municipio"]
    assert "Todavía no hay datos de municipios" in _texto(arbol)
    assert _h1(pagina.layout(municipio=CLAVE, anio="2024")) == ["Mi municipio"]  # sin petición


# --- perfil ---------------------------------------------------------------------------------


def test_perfil_con_el_nombre_y_los_seis_indicadores(pagina, datos, peticion):
    arbol = pagina.layout(municipio=CLAVE)
    fila = _fila(datos)
    estado = capas.tabla_estado(datos, anio=ANIO).iloc[0]
    assert _h1(arbol) == ["Oaxaca de Juárez"]
    assert arbol["municipio-anio"].value == ANIO
    assert arbol["municipio-clave"].data == CLAVE
    assert arbol["municipio-cobertura"].children == porcentaje(fila["cobertura"]) == "85.5 %"
    assert arbol["municipio-eficacia"].children == porcentaje(fila["eficacia"])
    texto = _texto(arbol["municipio-perfil"])
    # 3 (y 1 como referencia)
    assert "9 de cada 10 alumnos inscritos recibieron uniforme o útiles" in texto
    assert f"{entero(fila['alumnos_atendidos'])} de {entero(fila['alumnos_inscritos'])}" in texto
    assert f"En todo el estado: {porcentaje(estado['cobertura'])} (indicador 1)" in texto
    assert fila["etiqueta_cobertura"] in texto
    # 2, con las etapas que comparó el semáforo del gasto
    assert f"Se ha ejercido el {porcentaje(fila['eficacia'])} del presupuesto aprobado" in texto
    assert f"Semáforo del gasto: {fila['etiqueta_gasto']}" in texto
    assert (
        f"Compara lo {fila['etapa_avance']} con lo {fila['etapa_base']}: se ha usado el "
        f"{porcentaje(fila['avance_gasto'])} del presupuesto {fila['etapa_base']}" in texto
    )
    # 4
    escuelas = capas.tabla_escuelas(datos, anio=ANIO, municipio=CLAVE)
    assert f"{len(escuelas)} escuelas" in texto
    for luz, cuantas in escuelas["semaforo_cobertura"].value_counts().items():
        assert f"{figuras.ETIQUETAS_COBERTURA[luz]} {cuantas} escuelas" in texto
    # 5 y 6, en palabras
    assert f"Variación: {figuras.razon(fila['desercion_variacion'])}" in texto
    assert LECTURA_VARIACION["desercion"][0] in texto  # 0.83: menos deserción (mejoró)
    assert LECTURA_VARIACION["aprobacion"][0] in texto  # 0.98: menos aprobación (empeoró)
    # obras
    assert f"{entero(fila['obras'])} obras" in texto
    assert pesos(fila["obras_monto_aprobado"]) in texto
    assert arbol["municipio-descarga"].href == "/descargas/municipios.csv?municipio=20067&anio=2025"


def test_perfil_sin_programas_sociales(pagina, peticion):
    """El ejemplo no trae padrones públicos: la sección lo dice y no cambia con el ciclo."""
    arbol = pagina.layout(municipio=CLAVE)
    assert ayuda.por_id(arbol, "municipio-titulo-programas")["props"]["children"] == (
        "Programas sociales"
    )
    assert _texto(ayuda.por_id(arbol, "municipio-programas")) == (
        "Sin datos de programas sociales para este municipio: no se ha cargado ningún "
        "padrón público que lo incluya."
    )
    assert "Programas sociales" not in _texto(arbol["municipio-perfil"])


def test_cambiar_de_ciclo_rehace_el_perfil(pagina, datos, peticion):
    perfil, subtitulo, enlace = pagina.cambiar_ciclo(2024, CLAVE)
    fila = _fila(datos, anio=2024)
    assert "ciclo escolar 2024-2025" in _texto(subtitulo)
    assert enlace.endswith("municipio=20067&anio=2024")
    contenedor = pagina.layout(municipio=CLAVE, anio="2024")["municipio-perfil"]
    assert _texto(perfil) == _texto(contenedor)
    assert f"Cobertura del programa {porcentaje(fila['cobertura'])}" in _texto(perfil)


def test_buscar_otro_municipio_navega(pagina, peticion):
    assert pagina.ir_al_municipio("20390") == "/municipio?municipio=20390"


# --- piezas -----------------------------------------------------------------------------------


def test_grafica_y_montos_del_presupuesto(datos):
    fila = _fila(datos)
    figura = figuras.grafica_presupuesto(fila)
    barras = figura["data"][0]
    assert barras["y"] == ["Aprobado", "Modificado", "Ejercido", "Comprobado"]
    assert barras["x"] == [
        fila["presupuesto_aprobado"],
        fila["presupuesto_modificado"],
        fila["presupuesto_ejercido"],
        fila["presupuesto_comprobado"],
    ]
    texto = _texto(figuras.montos_presupuesto(fila))
    assert f"Aprobado {pesos(fila['presupuesto_aprobado'])}" in texto
    assert f"Ejercido {pesos(fila['presupuesto_ejercido'])}" in texto


def test_mapa_de_escuelas_por_semaforo_con_leyenda_en_texto(datos):
    escuelas = capas.tabla_escuelas(datos, anio=ANIO, municipio=CLAVE)
    contorno = figuras.contorno_de({"features": []}, CLAVE)
    assert contorno is None
    limites = figuras.limites_de(None, escuelas)
    figura = figuras.mapa_escuelas(escuelas, None, limites)
    halo, puntos, *leyenda = figura["data"]
    con_lugar = escuelas.dropna(subset=["latitud", "longitud"])
    assert puntos["customdata"] == list(con_lugar["cct"])
    assert puntos["marker"]["color"] == [
        PALETA[luz].color for luz in con_lugar["semaforo_cobertura"]
    ]
    assert halo["lat"] == puntos["lat"] and len(halo["lat"]) == len(con_lugar)
    assert [t["name"] for t in leyenda] == [
        "✔ cobertura alta (95 % o más)",
        "▲ cobertura media (80 % a 95 %)",
        "✖ cobertura baja (menos de 80 %)",
        "? sin dato",
    ]


def test_tabla_de_obras_acotada_con_enlace_al_resto(datos, monkeypatch):
    """Con más obras que el máximo, cada tabla trae solo las de mayor monto y dice cuántas faltan.

    Las 18 obras del ejemplo (7 con alerta, 11 sin) con un máximo de 5: 5 + 5 filas; faltan 2
    con alerta y 6 sin alerta.
    """
    monkeypatch.setattr(figuras, "MAXIMO_OBRAS", 5)
    obras = capas.tabla_obras(datos, anio=ANIO, municipio=CLAVE)
    tabla = figuras.tabla_obras(obras, ANIO, CLAVE)
    texto = _texto(tabla)
    filas = _filas(_json(tabla))
    assert len(filas) == 10
    assert "Obras con alguna alerta (las 5 de mayor monto de 7)" in texto
    assert "y 2 obras más: véalas en la página de Obras" in texto
    assert "Obras sin alertas (las 5 de mayor monto de 11)" in texto
    assert "y 6 obras más: véalas en la página de Obras" in texto
    con_alerta = obras[obras["num_alertas"].fillna(0) > 0]
    mayores = con_alerta.sort_values("monto_aprobado", ascending=False)["folio"].head(5)
    for folio in mayores:
        assert any(folio in _texto(f) for f in filas[:5]), folio
    assert f"municipio={CLAVE}" in json.dumps(_json(tabla))


def test_figuras_planas_iguales_a_las_validadas_por_plotly(datos):
    """Mapa de escuelas y barras del presupuesto en dict plano: Plotly los valida sin cambios."""
    import plotly.graph_objects as go

    from tablero.mapas import geojson_municipios

    escuelas = capas.tabla_escuelas(datos, anio=ANIO, municipio=CLAVE)
    contorno = figuras.contorno_de(geojson_municipios(datos), CLAVE)
    planas = [
        figuras.mapa_escuelas(escuelas, contorno, figuras.limites_de(contorno, escuelas)),
        figuras.grafica_presupuesto(_fila(datos)),
    ]
    for plana in planas:
        validada = go.Figure(plana).to_plotly_json()
        for traza in validada["data"]:
            traza.pop("uid", None)
        assert json.loads(json.dumps(validada, cls=plotly.utils.PlotlyJSONEncoder)) == json.loads(
            json.dumps(plana)
        )


def test_tabla_de_escuelas_con_la_cobertura_de_capas(datos):
    escuelas = capas.tabla_escuelas(datos, anio=ANIO, municipio=CLAVE)
    filas = figuras.filas_escuelas(escuelas)
    assert len(filas) == len(escuelas) == 122
    coberturas = [f["cobertura"] for f in filas]
    assert coberturas == sorted(coberturas)  # la más baja primero
    por_clave = escuelas.set_index("cct")
    for fila in filas:
        assert fila["cobertura"] == por_clave.loc[fila["cct"], "cobertura"]
        luz = por_clave.loc[fila["cct"], "semaforo_cobertura"]
        assert fila["semaforo_texto"].startswith(PALETA[luz].icono)


def _filas(arbol) -> list[dict]:
    """Filas (``Tr`` dentro de ``Tbody``) de un árbol JSON de componentes."""
    encontradas = []

    def recorrer(nodo, en_cuerpo=False):
        if isinstance(nodo, list):
            for hijo in nodo:
                recorrer(hijo, en_cuerpo)
        elif isinstance(nodo, dict):
            if en_cuerpo and nodo.get("type") == "Tr":
                encontradas.append(nodo)
                return
            recorrer(
                nodo.get("props", {}).get("children"), en_cuerpo or nodo.get("type") == "Tbody"
            )

    recorrer(arbol)
    return encontradas


def test_tabla_de_obras_con_alertas_en_palabras(datos):
    obras = capas.tabla_obras(datos, anio=ANIO, municipio=CLAVE)
    tabla = figuras.tabla_obras(obras, ANIO)
    arbol = _json(tabla)
    filas = _filas(arbol)
    assert len(filas) == len(obras) == 18
    texto = _texto(tabla)
    assert (
        "18 obras en 2025 (su último reporte de ese año); 7 con alguna alerta: 6 graves y 1 "
        "solo con alertas leves." in texto
    )
    assert "Obras con alguna alerta (7)" in texto
    assert "Ver las 11 obras sin alertas" in texto  # las demás, en un desplegable
    assert "Alertas graves: Vencida" in texto and "Alertas graves: Pago sin avance" in texto
    assert "Alertas leves: Sin georreferencia" in texto
    con_alerta = [_texto(f) for f in filas[:7]]
    assert all("Alertas: ninguna" not in fila for fila in con_alerta)
    assert all("Alertas: ninguna" in _texto(f) for f in filas[7:])
    obra = obras[obras["folio"] == "OAX2312293744"].iloc[0]
    fila = next(_texto(f) for f in filas if "OAX2312293744" in _texto(f))
    for valor in (
        f"Aprobado: {pesos(obra['monto_aprobado'])}",
        f"Ejercido: {pesos(obra['monto_ejercido'])}",
        f"Pagado: {pesos(obra['monto_pagado'])}",
        f"Físico: {porcentaje(obra['avance_fisico'])}",
        f"Financiero: {porcentaje(obra['avance_financiero'])}",
        "con alerta",
        "Alertas graves: Vencida",
    ):
        assert valor in fila
    assert figuras.alertas_en_palabras("vencida;sobrecosto") == "Vencida; Sobrecosto"
    assert figuras.alertas_en_palabras(None) == "Ninguna"
    assert "No hay obras" in _texto(figuras.tabla_obras(obras.iloc[0:0], ANIO))


@pytest.mark.parametrize(
    ("tipo", "variacion", "luz", "etiqueta"),
    [
        ("desercion", 0.8, "verde", "mejoró"),
        ("desercion", 1.2, "rojo", "empeoró"),
        ("aprobacion", 0.9, "rojo", "empeoró"),
        ("aprobacion", 1.1, "verde", "mejoró"),
        ("aprobacion", 1.0, "gris", "igual"),
        ("desercion", None, "gris", "sin dato"),
    ],
)
def test_lectura_de_las_variaciones(tipo, variacion, luz, etiqueta):
    resultado = figuras.lectura_variacion(tipo, variacion)
    assert resultado[:2] == (luz, etiqueta)
    if variacion is not None:
        assert resultado[2] in LECTURA_VARIACION[tipo]


def test_variaciones_anio_con_anio(datos):
    historial = capas.tabla_municipios(datos, municipio=CLAVE)
    texto = _texto(figuras.tabla_variaciones(historial))
    for fila in historial.to_dict("records"):
        assert f"{fila['anio']}-{fila['anio'] + 1}" in texto
        assert porcentaje(fila["desercion"]) in texto
    assert "sin ciclo anterior con el que comparar" in texto  # 2023


# --- cada número en pantalla es el de la descarga -------------------------------------------


def test_numeros_del_perfil_iguales_a_la_descarga_csv(app, pagina):
    cliente = app.server.test_client()
    respuesta = cliente.get(f"/descargas/municipios.csv?municipio={CLAVE}&anio={ANIO}")
    assert respuesta.status_code == 200
    csv = pd.read_csv(io.BytesIO(respuesta.data), dtype={"cvegeo": str}).iloc[0]
    with app.server.test_request_context("/municipio"):
        arbol = pagina.layout(municipio=CLAVE, anio=str(ANIO))
    texto = _texto(arbol["municipio-perfil"])
    assert arbol["municipio-cobertura"].children == porcentaje(csv["cobertura"])
    assert arbol["municipio-eficacia"].children == porcentaje(csv["eficacia"])
    for columna in ("presupuesto_aprobado", "presupuesto_ejercido", "obras_monto_aprobado"):
        assert pesos(csv[columna]) in texto, columna
    for columna in ("alumnos_inscritos", "alumnos_atendidos"):
        assert entero(csv[columna]) in texto, columna
    for columna in ("desercion", "aprobacion"):
        assert porcentaje(csv[columna]) in texto, columna
    assert f"{entero(csv['obras_con_alerta'])} con alguna alerta" in texto


@pytest.mark.parametrize(
    "anio, clave",
    [(1900, CLAVE), (2**70, CLAVE), ("x", CLAVE), (2024, "99999"), (2024, ["lista"]), (None, None)],
)
def test_otro_ciclo_que_no_viene_de_la_pagina_no_cambia_nada_ni_se_guarda(
    pagina, datos, peticion, anio, clave
):
    """Un ciclo que no está publicado o un municipio que no existe (solo los manda quien
    arma la petición a mano): nada cambia y nada queda en la memoria de la versión."""
    from dash import no_update

    datos_servidos = pagina.datos_servidos()
    antes = len(datos_servidos._memo)
    assert pagina.cambiar_ciclo(anio, clave) == (no_update,) * 3
    assert len(datos_servidos._memo) == antes
