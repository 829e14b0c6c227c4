"""Pruebas del generador de datos de ejemplo (``ingesta.ejemplo``).

Se genera una sola vez por sesión (unos segundos) y todas las pruebas leen esos archivos.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pytest

from ingesta.ejemplo import ARCHIVO_MARCA, VERSION_GENERADOR, escribir_padron, generar
from ingesta.geografia import municipios

COLUMNAS = {
    "escuelas": [
        "CV_CCT", "C_NOMBRE", "INMUEBLE_CV_ENT", "INMUEBLE_CV_MUN", "INMUEBLE_C_NOM_MUN",
        "INMUEBLE_CV_LOC", "INMUEBLE_C_NOM_LOC", "INMUEBLE_LATITUD", "INMUEBLE_LONGITUD",
        "TIPONIVELSUB_C_SERVICION2", "SOSTENIMIENTO_C_CONTROL", "C_TURNO_1",
    ],
    "matricula": ["CV_CCT", "CICLO", "INSCRITOS", "EXISTENCIA", "APROBADOS"],
    "padron": [
        "ID_PERSONA", "NB_PRIMER_AP", "NB_SEGUNDO_AP", "NB_NOMBRE", "NB_CURP", "FH_NACIMIENTO",
        "CD_SEXO", "CV_CCT", "CICLO", "CD_BENEFICIO", "NU_IMP_MONETARIO", "FH_ENTREGA",
    ],
    "presupuesto": [
        "CICLO", "ID_ENTIDAD_FEDERATIVA", "ID_MUNICIPIO", "DESC_PP", "CONCEPTO", "MONTO_APROBADO",
        "MONTO_MODIFICADO", "MONTO_EJERCIDO", "MONTO_COMPROBADO", "FECHA_CORTE",
    ],
    "obras": [
        "FOLIO", "CICLO", "TRIMESTRE", "ID_ENTIDAD_FEDERATIVA", "ID_MUNICIPIO_RESPONSABLE",
        "CATEGORIA", "TIPO_PROGRAMA_PROYECTO", "CLASIFICACION", "MONTO_GLOBAL_APROBADO",
        "MONTO_COMPROMETIDO", "MONTO_DEVENGADO", "MONTO_EJERCIDO", "MONTO_PAGADO", "FECHA_INICIO",
        "FECHA_ESTIMADA_TERMINO", "ESTATUS", "NOMBRE_PROYECTO", "NIVEL_GOBIERNO", "AVANCE_FISICO",
        "LATITUD", "LONGITUD", "CONTRATISTA", "RFC_CONTRATISTA", "TIPO_ADJUDICACION",
    ],
    "estacionamientos": [
        "ID", "LATITUD", "LONGITUD", "DIRECCION", "CAJONES", "ESTADO", "FECHA_REVISION",
        "OBSERVACIONES", "FOTO_URL",
    ],
}  # fmt: skip
CODIFICACION = {"escuelas": "cp1252", "obras": "utf-8-sig"}
MONTO = re.compile(r"^\$\d{1,3}(,\d{3})*\.\d{2}$")
CURP = re.compile(r"^[A-Z]{4}\d{6}[HM]OC[B-DF-HJ-NP-TV-Z]{3}[A-Z0-9]\d$")
BASICA = {"PREESCOLAR", "PRIMARIA", "SECUNDARIA"}


@pytest.fixture(scope="session", autouse=True)
def oaxaca():
    """Los datos de ejemplo por omisión son de Oaxaca (entidad 20), pase lo que pase en el entorno."""
    with pytest.MonkeyPatch.context() as parche:
        parche.setenv("SIGUE_ESTADO", "20")
        yield


@pytest.fixture(scope="session")
def ejemplo(cache_ejemplo):
    """Los archivos crudos que ``tests/conftest.py`` ya generó (semilla y entidad por omisión).

    ``generar`` los devuelve sin reescribirlos (su ``ejemplo.json`` está vigente): la
    generación completa (~5 s de CPU) no se repite aquí; ``test_misma_semilla_mismos_bytes``
    sí genera otra vez, en otra carpeta, para comparar los bytes.
    """
    destino = cache_ejemplo
    rutas = generar(destino)
    marca = json.loads((destino / ARCHIVO_MARCA).read_text(encoding="utf-8"))
    return rutas, marca


@pytest.fixture(scope="session")
def tablas(ejemplo):
    """Todos los archivos salvo el padrón, como texto (vacío = sin dato)."""
    rutas, _ = ejemplo
    return {
        tipo: pd.read_csv(
            ruta, dtype=str, keep_default_na=False, encoding=CODIFICACION.get(tipo, "utf-8")
        )
        for tipo, ruta in rutas.items()
        if tipo != "padron"
    }


@pytest.fixture(scope="session")
def padron(ejemplo) -> pa.Table:
    """Columnas del padrón que se revisan, como tabla de Arrow (medio millón de renglones)."""
    columnas = ["NB_PRIMER_AP", "NB_CURP", "CV_CCT", "CICLO", "CD_BENEFICIO", "NU_IMP_MONETARIO"]
    opciones = pacsv.ConvertOptions(
        include_columns=columnas, column_types=dict.fromkeys(columnas, pa.string())
    )
    return pacsv.read_csv(ejemplo[0]["padron"], convert_options=opciones)


def _unicos(tabla: pa.Table, columna: str) -> set[str]:
    return set(pc.unique(tabla[columna]).to_pylist())


def _sha256(ruta) -> str:
    return hashlib.sha256(ruta.read_bytes()).hexdigest()


def _numero(serie: pd.Series) -> pd.Series:
    return pd.to_numeric(serie.str.replace(r"[$,]", "", regex=True), errors="coerce")


def test_rutas_en_orden_de_carga(ejemplo):
    rutas, marca = ejemplo
    assert list(rutas) == list(COLUMNAS)  # escuelas, matrícula, padrón, presupuesto, ...
    assert all(ruta.is_file() and ruta.name == f"{tipo}.csv" for tipo, ruta in rutas.items())
    assert (marca["semilla"], marca["version"], marca["estado"]) == (2025, VERSION_GENERADOR, "20")


@pytest.mark.parametrize("tipo", list(COLUMNAS))
def test_columnas_del_formato_real(ejemplo, tipo):
    ruta = ejemplo[0][tipo]
    encabezado = ruta.read_bytes().split(b"\n", 1)[0].decode(CODIFICACION.get(tipo, "utf-8"))
    assert encabezado.strip().split(",") == COLUMNAS[tipo]


def test_misma_semilla_mismos_bytes(ejemplo, tmp_path):
    rutas, _ = ejemplo
    otras = generar(tmp_path / "otra_vez")
    assert {t: _sha256(r) for t, r in otras.items()} == {t: _sha256(r) for t, r in rutas.items()}
    marcas = [ruta.parent / ARCHIVO_MARCA for ruta in (otras["padron"], rutas["padron"])]
    assert marcas[0].read_bytes() == marcas[1].read_bytes()


def test_cache_no_reescribe(ejemplo):
    rutas, _ = ejemplo
    antes = {tipo: ruta.stat().st_mtime_ns for tipo, ruta in rutas.items()}
    assert generar(rutas["escuelas"].parent) == rutas
    assert {tipo: ruta.stat().st_mtime_ns for tipo, ruta in rutas.items()} == antes


def test_escuelas(ejemplo, tablas):
    crudo = ejemplo[0]["escuelas"].read_bytes()
    assert b"\r\n" in crudo and "PÚBLICO".encode("cp1252") in crudo
    with pytest.raises(UnicodeDecodeError):
        crudo.decode("utf-8")  # CP1252 de verdad, como lo publica la SEP
    esc = tablas["escuelas"]
    assert 4000 <= len(esc) <= 5000
    assert esc["CV_CCT"].is_unique
    assert esc["CV_CCT"].str.fullmatch(r"20[DP][A-Z]{2}\d{4}[A-Z]").all()
    assert (esc["CV_CCT"].str[2] == "P").eq(esc["SOSTENIMIENTO_C_CONTROL"] == "PRIVADO").all()
    assert esc["C_NOMBRE"].str.contains("Ñ").any() and esc["C_NOMBRE"].str.contains("É").any()
    por_municipio = esc.groupby("INMUEBLE_CV_MUN").size()
    assert len(por_municipio) == 570 and por_municipio.min() >= 2
    assert por_municipio["067"] == por_municipio.max()  # Oaxaca de Juárez, la más poblada
    assert 0.07 < (esc["SOSTENIMIENTO_C_CONTROL"] == "PRIVADO").mean() < 0.13
    assert 100 <= (~esc["TIPONIVELSUB_C_SERVICION2"].isin(BASICA)).sum() <= 500


def test_coordenadas_en_su_municipio_salvo_las_sembradas(ejemplo, tablas):
    m = municipios()
    esc = tablas["escuelas"].set_index("CV_CCT")
    casos = ejemplo[1]["casos_sembrados"]["escuelas"]
    lat = pd.to_numeric(esc["INMUEBLE_LATITUD"]).to_numpy()
    lon = pd.to_numeric(esc["INMUEBLE_LONGITUD"]).to_numpy()
    declarado = "20" + esc["INMUEBLE_CV_MUN"]
    ubicado = pd.Series(m.ubicar(lon, lat), index=esc.index)
    invertido = pd.Series(m.ubicar(lat, lon), index=esc.index)
    fuera, vacias = casos["fuera_de_municipio"], casos["sin_coordenadas"]
    invertidas = casos["coordenadas_invertidas"]
    normales = esc.index.difference(fuera + vacias + invertidas)
    assert (ubicado[normales] == declarado[normales]).all()
    assert ubicado[fuera].notna().all() and (ubicado[fuera] != declarado[fuera]).all()
    assert (invertido[invertidas] == declarado[invertidas]).all()
    assert (esc.loc[vacias, ["INMUEBLE_LATITUD", "INMUEBLE_LONGITUD"]] == "").all().all()
    for casos_, proporcion in ((fuera, 0.02), (vacias, 0.01), (invertidas, 0.005)):
        assert abs(len(casos_) - proporcion * len(esc)) <= 1


def test_matricula(tablas):
    esc, mat = tablas["escuelas"], tablas["matricula"]
    basicas = set(esc.loc[esc["TIPONIVELSUB_C_SERVICION2"].isin(BASICA), "CV_CCT"])
    assert set(mat["CV_CCT"]) == basicas and len(mat) == 3 * len(basicas)
    assert sorted(mat["CICLO"].unique()) == ["2023-2024", "2024-2025", "2025-2026"]
    inscritos, existencia, aprobados = (
        mat[c].astype(int) for c in ("INSCRITOS", "EXISTENCIA", "APROBADOS")
    )
    assert (aprobados <= existencia).all() and (existencia <= inscritos).all()
    desercion = 1 - existencia.sum() / inscritos.sum()
    assert 0.01 < desercion < 0.06 and 0.85 < aprobados.sum() / existencia.sum() < 0.99
    assert 150_000 < inscritos[mat["CICLO"] == "2025-2026"].sum() < 600_000


def test_padron(ejemplo, tablas, padron):
    esc = tablas["escuelas"]
    publicas = esc["TIPONIVELSUB_C_SERVICION2"].isin(BASICA) & (
        esc["SOSTENIMIENTO_C_CONTROL"] == "PÚBLICO"
    )
    assert padron.num_rows == ejemplo[1]["archivos"]["padron"]["filas"]
    assert _unicos(padron, "CICLO") == {"2024-2025", "2025-2026"}
    assert _unicos(padron, "CV_CCT") <= set(esc.loc[publicas, "CV_CCT"])
    assert _unicos(padron, "CD_BENEFICIO") == {"UNIFORME", "UTILES"}
    assert all(MONTO.fullmatch(x) for x in _unicos(padron, "NU_IMP_MONETARIO"))
    assert {"NUÑEZ", "MARTÍNEZ"} <= _unicos(padron, "NB_PRIMER_AP")
    ultimo = padron.filter(pc.equal(padron["CICLO"], "2025-2026"))
    assert ultimo.num_rows >= 200_000
    # Dos renglones por alumno casi siempre; el 0.2 % aparece en dos escuelas.
    por_curp = ultimo.group_by("NB_CURP").aggregate([("CV_CCT", "count_distinct")])
    assert 1.8 < ultimo.num_rows / por_curp.num_rows < 2.0
    en_dos = pc.sum(pc.greater(por_curp["CV_CCT_count_distinct"], 1)).as_py()
    assert 0.001 < en_dos / por_curp.num_rows < 0.003


def test_curp_validas(padron):
    muestra = (
        padron.slice(0, 50_000).to_pandas().drop_duplicates("NB_CURP").sample(2000, random_state=1)
    )
    assert muestra["NB_CURP"].str.fullmatch(CURP.pattern).all()
    alfabeto = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ"
    for curp, apellido in zip(muestra["NB_CURP"], muestra["NB_PRIMER_AP"], strict=True):
        suma = sum(alfabeto.index(c) * (18 - i) for i, c in enumerate(curp[:17]))
        assert curp[17] == str((10 - suma % 10) % 10)
        sin_acento = unicodedata.normalize("NFKD", apellido.replace("Ñ", "X"))
        assert curp[0] == sin_acento.replace("DE LA ", "")[0]


def test_cobertura_desigual(ejemplo, tablas, padron):
    casos = ejemplo[1]["casos_sembrados"]["padron"]
    esc, mat = tablas["escuelas"], tablas["matricula"]
    publicas = esc[
        esc["TIPONIVELSUB_C_SERVICION2"].isin(BASICA)
        & (esc["SOSTENIMIENTO_C_CONTROL"] == "PÚBLICO")
    ]
    mat = mat[mat["CICLO"] == "2025-2026"].merge(publicas[["CV_CCT", "INMUEBLE_CV_MUN"]])
    inscritos = mat["INSCRITOS"].astype(int).groupby(mat["INMUEBLE_CV_MUN"]).sum()
    ultimo = padron.filter(pc.equal(padron["CICLO"], "2025-2026"))
    por_escuela = ultimo.group_by("CV_CCT").aggregate([("NB_CURP", "count_distinct")]).to_pandas()
    por_escuela = por_escuela.merge(mat[["CV_CCT", "INMUEBLE_CV_MUN"]])
    atendidos = por_escuela.groupby("INMUEBLE_CV_MUN")["NB_CURP_count_distinct"].sum()
    cobertura = atendidos.reindex(inscritos.index, fill_value=0) / inscritos
    cobertura.index = "20" + cobertura.index
    assert set(cobertura.index[cobertura == 0]) == set(casos["municipios_sin_beneficiarios"])
    assert set(cobertura.index[cobertura > 1]) == set(casos["municipios_cobertura_mayor_100"])
    assert ((cobertura >= 0.85) & (cobertura <= 1)).mean() > 0.75
    assert ((cobertura >= 0.6) & (cobertura < 0.8)).sum() >= 30


def test_presupuesto(tablas):
    pre = tablas["presupuesto"]
    assert sorted(pre["CICLO"].unique()) == ["2023", "2024", "2025"]
    municipal = pre[pre["ID_MUNICIPIO"] != ""]
    assert municipal.groupby("CICLO")["ID_MUNICIPIO"].nunique().eq(570).all()
    assert (pre["ID_MUNICIPIO"] == "").sum() == 6
    assert (pre.loc[pre["CICLO"] == "2023", "MONTO_MODIFICADO"] == "").all()
    assert (pre.loc[pre["CICLO"] != "2023", "MONTO_MODIFICADO"] != "").all()
    for columna in ("MONTO_APROBADO", "MONTO_EJERCIDO", "MONTO_COMPROBADO"):
        valores = pre[columna][pre[columna] != ""]
        assert valores.str.fullmatch(MONTO.pattern).all()
    con_comprobado = pre["MONTO_COMPROBADO"] != ""
    assert 0.2 < con_comprobado.mean() < 0.7
    comprobado, ejercido = _numero(pre["MONTO_COMPROBADO"]), _numero(pre["MONTO_EJERCIDO"])
    assert (comprobado[con_comprobado] < ejercido[con_comprobado]).all()
    cortes = pre.groupby("CICLO")["FECHA_CORTE"].unique().map(list).to_dict()
    assert cortes == {"2023": ["31/12/2023"], "2024": ["31/12/2024"], "2025": ["30/09/2025"]}


def test_presupuesto_enciende_todas_las_luces(tablas):
    """Con las reglas de INDICADORES.md, cada ejercicio tiene municipios en cada luz."""
    pre = tablas["presupuesto"]
    pre = pre[pre["ID_MUNICIPIO"] != ""]
    montos = ["MONTO_APROBADO", "MONTO_MODIFICADO", "MONTO_EJERCIDO", "MONTO_COMPROBADO"]
    suma = pre[montos].apply(_numero).groupby([pre["CICLO"], pre["ID_MUNICIPIO"]]).sum(min_count=1)
    gastado = suma["MONTO_COMPROBADO"].fillna(suma["MONTO_EJERCIDO"])
    avance = gastado / suma["MONTO_MODIFICADO"].fillna(suma["MONTO_APROBADO"])
    esperado = avance.index.get_level_values("CICLO").map({"2023": 1, "2024": 1, "2025": 273 / 365})
    r = avance / esperado
    luz = np.select(
        [avance.isna(), avance > 1, r >= 0.9, r >= 0.7],
        ["gris", "sobregiro", "verde", "amarillo"],
        "rezago_grave",
    )
    conteo = pd.crosstab(avance.index.get_level_values("CICLO"), luz)
    assert (conteo > 0).all().all() and len(conteo.columns) == 5
    assert (conteo["verde"] > conteo.drop(columns="verde").sum(axis=1)).all()


def test_obras(ejemplo, tablas):
    obras = tablas["obras"]
    casos = ejemplo[1]["casos_sembrados"]["obras"]
    assert 900 <= obras["FOLIO"].nunique() <= 1100
    periodos = set(zip(obras["CICLO"], obras["TRIMESTRE"], strict=True))
    assert periodos == {("2024", "1"), ("2024", "2"), ("2024", "3"), ("2024", "4")} | {
        ("2025", "1"),
        ("2025", "2"),
        ("2025", "3"),
    }
    assert set(obras["NIVEL_GOBIERNO"]) == {"FEDERAL", "ESTATAL", "MUNICIPAL"}
    estatus = {"En ejecución", "Terminado", "Suspendido", "Cancelado", "Registrado"}
    assert set(obras["ESTATUS"]) == estatus
    assert 40 <= obras["CONTRATISTA"].nunique() <= 61
    rfc = obras["RFC_CONTRATISTA"][obras["RFC_CONTRATISTA"] != ""]
    assert rfc.str.fullmatch(r"[A-Z]{3}\d{6}[A-Z0-9]{3}").all()
    assert obras["FECHA_INICIO"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").any()
    assert obras["FECHA_INICIO"].str.fullmatch(r"\d{2}/\d{2}/\d{4}").any()
    # Historia: acumulados que crecen de un trimestre al siguiente.
    unicas = obras.drop_duplicates(["FOLIO", "CICLO", "TRIMESTRE"]).copy()
    unicas["avance"] = pd.to_numeric(unicas["AVANCE_FISICO"])
    unicas["ejercido"] = _numero(unicas["MONTO_EJERCIDO"])
    unicas = unicas.sort_values(["FOLIO", "CICLO", "TRIMESTRE"])
    assert (unicas.groupby("FOLIO")[["avance", "ejercido"]].diff().dropna() >= -0.01).all().all()
    assert unicas.groupby("FOLIO").size().mean() > 2.5
    # Problemas sembrados.
    assert pd.to_numeric(obras["AVANCE_FISICO"]).max() == 3_600_000
    por_reporte = obras.groupby(["FOLIO", "CICLO", "TRIMESTRE"]).size()
    assert set(por_reporte[por_reporte > 1].index.get_level_values(0)) == set(
        casos["folio_duplicado"]
    )
    for alerta, proporcion in (("sin_georreferencia", 0.05), ("fuera_de_municipio", 0.03)):
        assert len(casos[alerta]) == round(proporcion * obras["FOLIO"].nunique())
    sin_coordenadas = obras[obras["LATITUD"] == ""]["FOLIO"].unique()
    assert set(sin_coordenadas) == set(casos["sin_georreferencia"])
    ultimos = unicas.groupby("FOLIO").tail(1).set_index("FOLIO")
    aprobado = _numero(ultimos["MONTO_GLOBAL_APROBADO"])
    assert (
        ultimos.loc[casos["sobrecosto"], "ejercido"] > 1.1 * aprobado[casos["sobrecosto"]]
    ).all()
    m = municipios()
    geo = ultimos[ultimos["LATITUD"] != ""]
    ubicado = m.ubicar(pd.to_numeric(geo["LONGITUD"]), pd.to_numeric(geo["LATITUD"]))
    distinto = ubicado != ("20" + geo["ID_MUNICIPIO_RESPONSABLE"]).to_numpy()
    assert set(geo.index[distinto]) == set(casos["fuera_de_municipio"])


def test_estacionamientos(tablas):
    est = tablas["estacionamientos"]
    assert 100 <= len(est) <= 200 and est["ID"].is_unique
    lat, lon = pd.to_numeric(est["LATITUD"]), pd.to_numeric(est["LONGITUD"])
    assert set(municipios().ubicar(lon.to_numpy(), lat.to_numpy())) == {"20067"}
    distancia_km = np.hypot((lon + 96.726) * 106, (lat - 17.061) * 111)
    assert distancia_km.median() < 2.5
    estados = {"bueno", "requiere_rehabilitacion", "en_rehabilitacion", "rehabilitado", "propuesto"}
    assert set(est["ESTADO"]) == estados
    assert set(est["CAJONES"]) <= {"1", "2", "3", "4"} and (est["CAJONES"] == "1").mean() > 0.5
    assert (est["FOTO_URL"] == "").mean() > 0.7


def test_escribir_padron_determinista_y_exacto(tmp_path):
    a, b, c = (tmp_path / nombre for nombre in ("a.csv", "b.csv", "c.csv"))
    escribir_padron(a, 20_000, semilla=7)
    escribir_padron(b, 20_000, semilla=7)
    escribir_padron(c, 20_000, semilla=8)
    assert a.read_bytes() == b.read_bytes() != c.read_bytes()
    tabla = pd.read_csv(a, dtype=str)
    assert list(tabla.columns) == COLUMNAS["padron"] and len(tabla) == 20_000
    assert tabla["NB_CURP"].str.fullmatch(CURP.pattern).all()


def test_escribir_padron_con_catalogo(tmp_path, tablas):
    esc = tablas["escuelas"]
    ruta = escribir_padron(tmp_path / "p.csv", 5_000, escuelas=esc)
    cct = set(pd.read_csv(ruta, dtype=str)["CV_CCT"])
    publicas = esc["TIPONIVELSUB_C_SERVICION2"].isin(BASICA) & (
        esc["SOSTENIMIENTO_C_CONTROL"] == "PÚBLICO"
    )
    assert cct <= set(esc.loc[publicas, "CV_CCT"])
    normalizado = esc.rename(columns={"CV_CCT": "cct", "TIPONIVELSUB_C_SERVICION2": "nivel"})
    assert escribir_padron(tmp_path / "q.csv", 100, escuelas=normalizado).is_file()


@pytest.mark.parametrize(
    ("argumentos", "mensaje"),
    [
        ({"filas": 0}, "filas"),
        ({"filas": 10, "semilla": -1}, "semilla"),
        ({"filas": 10, "escuelas": pd.DataFrame({"x": [1]})}, "CV_CCT"),
    ],
)
def test_escribir_padron_valida_argumentos(tmp_path, argumentos, mensaje):
    with pytest.raises(ValueError, match=mensaje):
        escribir_padron(tmp_path / "p.csv", **argumentos)
