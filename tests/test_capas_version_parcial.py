"""Una versión con una sola capa (p. ej. solo estacionamientos): ninguna capa falla."""

import capas
from ingesta.carga import cargar
from tests.conftest import escribir_csv


def test_cada_capa_del_registro_carga_con_una_version_parcial(tmp_path):
    filas = [
        ["ID", "LATITUD", "LONGITUD", "DIRECCION", "ESTADO"],
        ["E1", "17.0606", "-96.7266", "Centro", "bueno"],
    ]
    cargar("estacionamientos", escribir_csv(tmp_path, "e.csv", filas), tmp_path / "d")
    datos = capas.abrir(tmp_path / "d")
    filas_por_capa = {capa.nombre: len(capa.leer(datos)) for capa in capas.REGISTRO}
    assert filas_por_capa == {
        "municipios": 0, "escuelas": 0, "padron": 0, "presupuesto": 0, "obras": 0,
        "estacionamientos": 1, "programas": 0,
    }  # fmt: skip
    for capa in capas.REGISTRO:
        assert list(capa.leer(datos).columns[: len(capa.columnas)]) == list(capa.columnas)
    assert len(capas.tabla_estado(datos)) == 0
