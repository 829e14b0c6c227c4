"""Presupuesto: SHCP por programa y Ojos al Gasto (COG y CA, estatal y municipal).

Cada prueba escribe un CSV pequeño en el mismo diseño que el publicado (encabezado y pocas
filas) y revisa filas aceptadas, rechazadas (con fila, columna y motivo) y omitidas.
"""

from datetime import date

import pandas as pd
import pytest

from almacen.versiones import Almacen
from capas import tabla_presupuesto
from ingesta.carga import cargar
from ingesta.errores import ColumnaFaltante
from ingesta.fuentes.presupuesto import AVISO_APROBADO, MOTIVO_CODIGO
from tests.conftest import escribir_csv, leer_rechazos, valores

HOY = date.today()
ENCABEZADO_OJOS = "Estado,Año,Código,Concepto,Aprobado,Devengado,Observaciones"
CONTRATO = [
    "anio", "cvegeo", "clasificacion", "codigo", "nivel", "concepto", "aprobado", "devengado",
    "fuente",
]  # fmt: skip


@pytest.fixture(autouse=True)
def oaxaca(monkeypatch):
    monkeypatch.setenv("SIGUE_ESTADO", "20")


def _ojos(tmp_path, nombre: str, lineas: list[str], encabezado: str = ENCABEZADO_OJOS):
    """CSV como los de Ojos al Gasto: UTF-8 sin BOM, fin de línea CRLF."""
    ruta = tmp_path / nombre
    ruta.write_bytes(("\r\n".join([encabezado, *lineas]) + "\r\n").encode("utf-8"))
    return ruta


def _capa(raiz) -> pd.DataFrame:
    return Almacen(raiz).version().leer("presupuesto")


def _cuentas(resultado) -> tuple[int, int, int, int]:
    return (
        resultado.filas_leidas,
        resultado.filas_aceptadas,
        resultado.filas_rechazadas,
        resultado.filas_omitidas,
    )


# --- SHCP ---------------------------------------------------------------------------------


def test_formato_shcp(tmp_path):
    filas = [
        ["CICLO", "ID_ENTIDAD_FEDERATIVA", "ID_MUNICIPIO", "DESC_PP", "MONTO_APROBADO", "MONTO_MODIFICADO", "MONTO_EJERCIDO", "MONTO_COMPROBADO", "FECHA_CORTE"],
        ["2025", "20", "067", "Uniformes y útiles", "$1,234.50", "$ 1,500.00", "1000", "", "30/09/2025"],
        ["2025", "20", "", "Uniformes y útiles", "10,000,000.00", "", "2500000", "2000000", "2025-09-30"],
        ["2025", "21", "001", "Otro estado", "100", "", "", "", "30/09/2025"],
        ["2025", "20", "Oaxaca de Juarez", "Uniformes y útiles", "-5", "", "", "", "30/09/2025"],
        ["2025", "20", "San Pedro Mixtepec", "Uniformes y útiles", "5", "", "", "", "30/09/2025"],
        ["2025", "20", "068", "Uniformes y útiles", "", "", "", "", "30/09/2025"],
        ["2024", "20", "68", "Uniformes y útiles", "abc", "", "", "", "45657"],
    ]  # fmt: skip
    resultado = cargar("presupuesto", escribir_csv(tmp_path, "p.csv", filas), tmp_path / "d")
    assert resultado.formato == "shcp"
    # la fila de Puebla (21) se omite: no es un error
    assert _cuentas(resultado) == (7, 2, 4, 1)
    assert resultado.fecha_corte == "2025-09-30"
    assert leer_rechazos(resultado) == [
        (5, "MONTO_APROBADO", "importe negativo: -5"),
        (6, "ID_MUNICIPIO", "municipio 'San Pedro Mixtepec' es ambiguo: hay varios con ese nombre; use la clave INEGI"),
        (7, "MONTO_APROBADO", "la fila no trae ningún importe"),
        (8, "MONTO_APROBADO", "importe no numérico: abc"),
        (8, "MONTO_APROBADO", "la fila no trae ningún importe"),
    ]  # fmt: skip
    tabla = _capa(tmp_path / "d")
    columnas = ["anio", "cvegeo", "clasificacion", "codigo", "nivel", "programa", "aprobado"]
    columnas += ["modificado", "ejercido", "comprobado", "fuente"]
    assert valores(tabla, columnas) == [
        [2025, "20067", "programa", None, None, "Uniformes y útiles", 1234.5, 1500.0, 1000.0, None, "shcp"],
        [2025, None, "programa", None, None, "Uniformes y útiles", 10_000_000.0, None, 2_500_000.0, 2_000_000.0, "shcp"],
    ]  # fmt: skip
    assert [str(f.date()) for f in tabla["fecha_corte"]] == ["2025-09-30", "2025-09-30"]


def test_shcp_con_alias_programa_y_clave_del_programa(tmp_path):
    """``PROGRAMA`` es alias de ``DESC_PP`` (un solo formato SHCP); la clave es modalidad +
    programa de tres cifras."""
    filas = [
        ["CICLO", "ID_ENTIDAD_FEDERATIVA", "PROGRAMA", "ID_MODALIDAD", "ID_PP", "CONCEPTO", "MONTO_APROBADO", "MONTO_DEVENGADO"],
        ["2024", "20", "Becas Benito Juárez", "S", "72", "  Becas   ", "100", "40"],
        ["2024", "20", "Uniformes", "s", "311", "", "50", "50"],
        ["2024", "20", "Sin clave", "", "", "", "10", ""],
    ]  # fmt: skip
    resultado = cargar("presupuesto", escribir_csv(tmp_path, "p.csv", filas), tmp_path / "d")
    assert resultado.formato == "shcp" and _cuentas(resultado) == (3, 3, 0, 0)
    assert resultado.avisos == []  # 2024 cerró y el archivo no dice «aprobado»
    tabla = _capa(tmp_path / "d")
    assert valores(tabla, ["codigo", "concepto", "programa", "devengado"]) == [
        ["S072", "Becas", "Becas Benito Juárez", 40.0],
        ["S311", None, "Uniformes", 50.0],
        [None, None, "Sin clave", None],
    ]


def test_sin_ninguna_etapa_es_error(tmp_path):
    filas = [["CICLO", "ID_ENTIDAD_FEDERATIVA", "DESC_PP"], ["2025", "20", "X"]]
    with pytest.raises(ColumnaFaltante, match="ninguna etapa del gasto"):
        cargar("presupuesto", escribir_csv(tmp_path, "p.csv", filas), tmp_path / "d")


def test_shcp_fecha_de_corte_futura_se_recorta_a_hoy(tmp_path):
    futuro = f"31/12/{HOY.year + 1}"
    filas = [
        ["CICLO", "ID_ENTIDAD_FEDERATIVA", "DESC_PP", "MONTO_APROBADO", "MONTO_EJERCIDO", "FECHA_CORTE"],
        [str(HOY.year + 1), "20", "Uniformes", "100", "10", futuro],
    ]  # fmt: skip
    resultado = cargar("presupuesto", escribir_csv(tmp_path, "p.csv", filas), tmp_path / "d")
    assert resultado.fecha_corte == HOY.isoformat()
    assert _capa(tmp_path / "d")["fecha_corte"].iloc[0].date() == HOY


# --- Ojos al Gasto: objeto del gasto estatal -----------------------------------------------

COG_ESTATAL = [
    'Oaxaca,2018,COG01, Servicios Personales               ,"1,000.50",900.25,x',
    "Oaxaca,2018,COG11,Remuneraciones al Personal  de Carácter Permanente,600,-,x",
    'Oaxaca,2018,COG21,"Materiales de Administración,\r\nEmisión de Documentos",400.5,380,x',
    "Estado de Mexico,2018,COG01,Servicios Personales,-7,-7,x",
    "San Luis Potosi ,2018,COG01,Servicios Personales,5,5,x",
    "Oaxaca,2018,COGTOT,Total del Gasto,2000,1800,x",
    "Oaxaca,2018,COG1234,Partida,5,5,x",
    "Oaxaca,2018,COG02,Materiales y Suministros,(10),5,x",
    "Oaxaca,20x8,COG03,Servicios Generales,1,1,x",
]


def test_ojos_cog_estatal(tmp_path):
    """UTF-8 con ``Año`` y ``Código`` acentuados, CRLF, espacios sobrantes, ``-`` como
    importe vacío, un salto de línea dentro de comillas y otras entidades omitidas."""
    resultado = cargar("presupuesto", _ojos(tmp_path, "cog.csv", COG_ESTATAL), tmp_path / "d")
    assert resultado.formato == "ojos_cog_estatal"
    assert _cuentas(resultado) == (9, 4, 3, 2)
    # la fila 4 ocupa dos líneas del archivo (4 y 5): los rechazos dicen la línea que se ve
    assert leer_rechazos(resultado) == [
        (9, "Código", f"{MOTIVO_CODIGO}: COG1234"),
        (10, "Aprobado", "importe negativo: (10)"),
        (11, "Año", "año no reconocido: 20x8"),
    ]
    meta = Almacen(tmp_path / "d").version().meta["carga"]
    assert meta["omisiones"] == {"fila de otra entidad": 2}
    assert resultado.avisos == [] and resultado.fecha_corte == "2018-12-31"
    tabla = _capa(tmp_path / "d")
    assert valores(tabla, CONTRATO) == [
        [2018, None, "objeto_gasto", "COG01", "capitulo", "Servicios Personales", 1000.5, 900.25, "ojos_al_gasto"],
        [2018, None, "objeto_gasto", "COG11", "concepto", "Remuneraciones al Personal de Carácter Permanente", 600.0, None, "ojos_al_gasto"],
        [2018, None, "objeto_gasto", "COG21", "concepto", "Materiales de Administración, Emisión de Documentos", 400.5, 380.0, "ojos_al_gasto"],
        [2018, None, "objeto_gasto", "COGTOT", "total", "Total del Gasto", 2000.0, 1800.0, "ojos_al_gasto"],
    ]  # fmt: skip
    assert tabla["programa"].isna().all()
    assert {str(f.date()) for f in tabla["fecha_corte"]} == {"2018-12-31"}


def test_estado_de_mexico_se_reconoce_para_la_entidad_15(tmp_path, monkeypatch):
    monkeypatch.setenv("SIGUE_ESTADO", "15")
    lineas = [
        "Estado de Mexico,2019,COG01,Servicios Personales,100,90,x",
        "Estado de Mexico,2019,COGTOT,Total del Gasto,-7,-7,x",
        "Oaxaca,2019,COG01,Servicios Personales,5,5,x",
        "Michoacan,2019,COG01,Servicios Personales,5,5,x",
    ]
    resultado = cargar("presupuesto", _ojos(tmp_path, "cog.csv", lineas), tmp_path / "d")
    assert _cuentas(resultado) == (4, 1, 1, 2)
    assert leer_rechazos(resultado) == [
        (3, "Aprobado", "importe negativo: -7"),
        (3, "Devengado", "importe negativo: -7"),
    ]
    assert valores(_capa(tmp_path / "d"), ["codigo", "aprobado", "devengado"]) == [
        ["COG01", 100.0, 90.0]
    ]


# --- Ojos al Gasto: clasificación administrativa estatal ----------------------------------


def test_ojos_ca_estatal(tmp_path):
    encabezado = "Estado,Año,Código,Dependencia,Aprobado,Devengado,Observaciones"
    lineas = [
        "Oaxaca,2019,CA1,PODER LEGISLATIVO,100,110,x",
        'Oaxaca,2019,CA2,"SECRETARÍA DE FINANZAS ",200,190,x',
        "Oaxaca,2019,CATOT,TOTAL DEL GASTO,300,300,x",
        "Puebla,2019,CA1,PODER LEGISLATIVO,1,1,x",
        "Oaxaca,2019,XYZ,Otra,1,1,x",
    ]
    ruta = _ojos(tmp_path, "CA Estatal.csv", lineas, encabezado)
    resultado = cargar("presupuesto", ruta, tmp_path / "d")
    assert resultado.formato == "ojos_ca_estatal"
    assert _cuentas(resultado) == (5, 3, 1, 1)
    assert leer_rechazos(resultado) == [(6, "Código", f"{MOTIVO_CODIGO}: XYZ")]
    # 2019 no es «aprobado»: CA1 y CA2 tienen devengado distinto del aprobado
    assert valores(_capa(tmp_path / "d"), CONTRATO) == [
        [2019, None, "administrativa", "CA1", "concepto", "PODER LEGISLATIVO", 100.0, 110.0, "ojos_al_gasto"],
        [2019, None, "administrativa", "CA2", "concepto", "SECRETARÍA DE FINANZAS", 200.0, 190.0, "ojos_al_gasto"],
        [2019, None, "administrativa", "CATOT", "total", "TOTAL DEL GASTO", 300.0, 300.0, "ojos_al_gasto"],
    ]  # fmt: skip


# --- Ojos al Gasto: municipal ----------------------------------------------------------------

ENCABEZADO_MUNICIPAL = "Municipio,Año,Código,Concepto,Aprobado,Devengado,Observaciones"
MUNICIPAL = [
    "Oaxaca de Juarez,2021,COG01,Servicios Personales,100,120,x",
    "Oaxaca de Juarez,2021,COGTOT,Total del Gasto,300,320,x",
    "Acapulco de Juarez,2021,COGTOT,Total del gasto,5,5,x",
    "Aguascalientes,2021,COGTOT,Total del gasto,5,5,x",
    "San Juan del Rio,2021,COGTOT,Total del gasto,5,5,x",
    "Ciudad Inventada,2021,COGTOT,Total del gasto,5,5,x",
    "San Pedro Mixtepec,2021,COGTOT,Total del gasto,5,5,x",
    "Oaxaca de Juarez,2021,CA01,Presidencia,10,12,x",
]


def test_ojos_municipal(tmp_path):
    """El municipio viene sin su entidad: uno de Oaxaca se acepta, uno que solo existe en
    otras entidades se omite y uno que no existe en ninguna se rechaza. Un código de otra
    clasificación (CA01 en un archivo por objeto del gasto) se rechaza: si no, cargarlo
    reemplazaría la clasificación administrativa de ese año."""
    ruta = _ojos(tmp_path, "COG Municipal.csv", MUNICIPAL, ENCABEZADO_MUNICIPAL)
    resultado = cargar("presupuesto", ruta, tmp_path / "d")
    assert resultado.formato == "ojos_municipal"
    assert _cuentas(resultado) == (8, 2, 4, 2)
    assert leer_rechazos(resultado) == [
        (6, "Municipio", "municipio 'San Juan del Rio' existe en varias entidades (10, 20, 22) y el archivo no dice la entidad: use la clave INEGI"),
        (7, "Municipio", "municipio 'Ciudad Inventada' no existe en ninguna entidad"),
        (8, "Municipio", "municipio 'San Pedro Mixtepec' es ambiguo: hay varios con ese nombre; use la clave INEGI"),
        (9, "Código", "código de otra clasificación en un archivo de clasificación objeto_gasto: CA01"),
    ]  # fmt: skip
    meta = Almacen(tmp_path / "d").version().meta["carga"]
    assert meta["omisiones"] == {"municipio de otra entidad": 2}
    assert valores(_capa(tmp_path / "d"), CONTRATO) == [
        [2021, "20067", "objeto_gasto", "COG01", "capitulo", "Servicios Personales", 100.0, 120.0, "ojos_al_gasto"],
        [2021, "20067", "objeto_gasto", "COGTOT", "total", "Total del Gasto", 300.0, 320.0, "ojos_al_gasto"],
    ]  # fmt: skip


def test_municipal_con_columna_estado_omite_otras_entidades(tmp_path):
    encabezado = "Estado,Municipio,Año,Código,Concepto,Aprobado,Devengado,Observaciones"
    lineas = [
        "Oaxaca,Oaxaca de Juárez,2021,COGTOT,Total del Gasto,300,320,x",
        "Guerrero,Acapulco de Juarez,2021,COGTOT,Total del gasto,5,5,x",
        "Oaxaca,Acapulco de Juarez,2021,COGTOT,Total del gasto,5,5,x",
    ]
    ruta = _ojos(tmp_path, "COG Municipal.csv", lineas, encabezado)
    resultado = cargar("presupuesto", ruta, tmp_path / "d")
    assert resultado.formato == "ojos_municipal"
    assert _cuentas(resultado) == (3, 1, 1, 1)
    assert leer_rechazos(resultado) == [
        (4, "Municipio", "municipio 'Acapulco de Juarez' no existe en la entidad 20")
    ]


# --- Partición: clasificaciones y ámbitos conviven ------------------------------------------


def test_clasificaciones_y_ambitos_conviven_en_el_almacen(tmp_path):
    raiz = tmp_path / "d"
    cog = ["Oaxaca,2018,COGTOT,Total del Gasto,2000,1800,x"]
    cargar("presupuesto", _ojos(tmp_path, "cog.csv", cog), raiz)
    ca = ["Oaxaca,2018,CATOT,TOTAL DEL GASTO,2000,1800,x"]
    encabezado_ca = "Estado,Año,Código,Dependencia,Aprobado,Devengado,Observaciones"
    cargar("presupuesto", _ojos(tmp_path, "ca.csv", ca, encabezado_ca), raiz)
    municipal = ["Oaxaca de Juarez,2018,COGTOT,Total del Gasto,300,320,x"]
    cargar("presupuesto", _ojos(tmp_path, "mun.csv", municipal, ENCABEZADO_MUNICIPAL), raiz)
    shcp = [
        ["CICLO", "ID_ENTIDAD_FEDERATIVA", "DESC_PP", "MONTO_APROBADO"],
        ["2018", "20", "Uniformes", "7"],
    ]
    cargar("presupuesto", escribir_csv(tmp_path, "shcp.csv", shcp), raiz)
    columnas = ["clasificacion", "cvegeo", "codigo", "aprobado"]
    assert sorted(valores(_capa(raiz), columnas), key=str) == sorted(
        [
            ["objeto_gasto", None, "COGTOT", 2000.0],
            ["administrativa", None, "CATOT", 2000.0],
            ["objeto_gasto", "20067", "COGTOT", 300.0],
            ["programa", None, None, 7.0],
        ],
        key=str,
    )
    # volver a cargar el estatal por objeto del gasto reemplaza solo esas filas
    cog = ["Oaxaca,2018,COGTOT,Total del Gasto,2500,1800,x"]
    cargar("presupuesto", _ojos(tmp_path, "cog.csv", cog), raiz)
    tabla = _capa(raiz)
    assert len(tabla) == 4
    estatal = tabla[(tabla["codigo"] == "COGTOT") & tabla["cvegeo"].isna()]
    assert estatal["aprobado"].tolist() == [2500.0]


# --- Archivo de presupuesto aprobado y fecha de corte ---------------------------------------


def test_archivo_aprobado_por_nombre_vacia_el_devengado(tmp_path):
    """El nombre dice «aprobado»: el año en que el devengado copia el aprobado no es gasto."""
    lineas = [
        "Oaxaca,2019,COG01,Servicios Personales,100,120,x",
        "Oaxaca,2019,COGTOT,Total del Gasto,300,300,x",
        "Oaxaca,2020,COG01,Servicios Personales,100,100,x",
        "Oaxaca,2020,COGTOT,Total del Gasto,300,300,x",
        "Oaxaca,2020,COG02,Materiales,-,-,x",
    ]
    ruta = _ojos(tmp_path, "COG Estatal 2020 aprobado.csv", lineas)
    resultado = cargar("presupuesto", ruta, tmp_path / "d")
    assert _cuentas(resultado) == (5, 5, 0, 0)
    assert resultado.avisos == [f"{AVISO_APROBADO} (2020)"]
    assert AVISO_APROBADO == (
        "archivo de presupuesto aprobado: el devengado repite el aprobado y no se usa como ejercido"
    )
    assert valores(_capa(tmp_path / "d"), ["anio", "codigo", "aprobado", "devengado"]) == [
        [2019, "COG01", 100.0, 120.0],
        [2019, "COGTOT", 300.0, 300.0],
        [2020, "COG01", 100.0, None],
        [2020, "COGTOT", 300.0, None],
        [2020, "COG02", None, None],
    ]


def test_anio_cerrado_con_devengado_igual_sin_aprobado_en_el_nombre_se_conserva(tmp_path):
    lineas = ["Oaxaca,2020,COGTOT,Total del Gasto,300,300,x"]
    resultado = cargar("presupuesto", _ojos(tmp_path, "cog.csv", lineas), tmp_path / "d")
    assert resultado.avisos == []
    assert _capa(tmp_path / "d")["devengado"].tolist() == [300.0]


def test_anio_en_curso_con_devengado_igual_es_aprobado_y_no_sale_en_tiempo(tmp_path):
    """Un año que no ha cerrado con devengado = aprobado: se vacía el devengado, la fecha de
    corte es hoy (no el 31 de diciembre) y el semáforo no sale verde «en tiempo»."""
    anio = HOY.year
    lineas = [
        f"Oaxaca,{anio},COG01,Servicios Personales,100,100,x",
        f"Oaxaca,{anio},COGTOT,Total del Gasto,300,300,x",
    ]
    resultado = cargar("presupuesto", _ojos(tmp_path, "cog.csv", lineas), tmp_path / "d")
    assert resultado.avisos == [f"{AVISO_APROBADO} ({anio})"]
    assert resultado.fecha_corte == HOY.isoformat()
    tabla = _capa(tmp_path / "d")
    assert tabla["devengado"].isna().all()
    assert {f.date() for f in tabla["fecha_corte"]} == {HOY}
    lineas_semaforo = tabla_presupuesto(Almacen(tmp_path / "d").version())
    assert set(lineas_semaforo["semaforo_gasto"]) == {"gris"}
    assert set(lineas_semaforo["etiqueta_gasto"]) == {"sin dato"}


def test_anio_en_curso_con_gasto_real_avisa_que_no_hay_fecha_de_corte(tmp_path):
    anio = HOY.year
    lineas = [f"Oaxaca,{anio},COGTOT,Total del Gasto,300,120,x"]
    resultado = cargar("presupuesto", _ojos(tmp_path, "cog.csv", lineas), tmp_path / "d")
    assert resultado.avisos == [
        f"cog.csv no dice la fecha de corte de {anio}, que no ha cerrado: se usa la de hoy "
        f"({HOY.isoformat()})"
    ]
    assert _capa(tmp_path / "d")["devengado"].tolist() == [120.0]


def test_trimestre_en_el_nombre_da_la_fecha_de_corte(tmp_path):
    lineas = [
        "Oaxaca,2024,COGTOT,Total del Gasto,300,310,x",
        "Oaxaca,2025,COGTOT,Total del Gasto,300,120,x",
    ]
    ruta = _ojos(tmp_path, "COG Estatal 2025 2T.csv", lineas)
    resultado = cargar("presupuesto", ruta, tmp_path / "d")
    assert resultado.fecha_corte == "2025-06-30" and resultado.avisos == []
    cortes = [str(f.date()) for f in _capa(tmp_path / "d")["fecha_corte"]]
    assert cortes == ["2024-12-31", "2025-06-30"]
