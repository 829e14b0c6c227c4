"""``Almacen.version()`` e ``id_actual()`` leen el disco solo cuando el archivo cambió."""

from __future__ import annotations

import json
import os
import shutil
from unittest import mock

import pytest

from almacen import versiones
from almacen.errores import VersionNoEncontrada
from almacen.versiones import Almacen


def _version(raiz, id_version: str, fecha: str = "2026-01-01") -> None:
    carpeta = raiz / "versiones" / id_version
    carpeta.mkdir(parents=True)
    meta = {"id": id_version, "fecha": fecha, "capas": {}, "cargas": []}
    (carpeta / "version.json").write_text(json.dumps(meta), encoding="utf-8")


def _publicar(raiz, id_version: str) -> None:
    temporal = raiz / "ACTUAL.tmp"
    temporal.write_text(id_version + "\n", encoding="utf-8")
    os.replace(temporal, raiz / "ACTUAL")  # como el almacén: inodo nuevo


@pytest.fixture
def raiz(tmp_path):
    raiz = tmp_path / "datos"
    _version(raiz, "v0001")
    _publicar(raiz, "v0001")
    return raiz


def _contar_json():
    return mock.patch.object(versiones.json, "loads", side_effect=json.loads)


def test_el_version_json_se_lee_una_vez(raiz):
    with _contar_json() as leer:
        primera = Almacen(raiz).version()
        segunda = Almacen(raiz).version()  # otro Almacen, como en cada petición
        por_id = Almacen(raiz).version("v0001")
    assert primera.id == "v0001"
    assert primera is segunda is por_id
    assert leer.call_count == 1


def test_publicar_una_version_se_ve_en_la_siguiente_llamada(raiz):
    assert Almacen(raiz).version().id == "v0001"
    _version(raiz, "v0002", fecha="2026-02-01")
    with pytest.raises(VersionNoEncontrada):
        Almacen(raiz).version("v0002")  # todavía no publicada
    _publicar(raiz, "v0002")
    assert Almacen(raiz).id_actual() == "v0002"
    assert Almacen(raiz).version().meta["fecha"] == "2026-02-01"
    assert Almacen(raiz).version("v0001").id == "v0001"


def test_un_version_json_reescrito_o_borrado_se_vuelve_a_leer(raiz):
    assert Almacen(raiz).version().meta["fecha"] == "2026-01-01"
    archivo = raiz / "versiones" / "v0001" / "version.json"
    meta = json.loads(archivo.read_text(encoding="utf-8"))
    archivo.write_text(json.dumps({**meta, "fecha": "2026-01-15 corregida"}), encoding="utf-8")
    assert Almacen(raiz).version().meta["fecha"] == "2026-01-15 corregida"
    shutil.rmtree(raiz / "versiones" / "v0001")
    with pytest.raises(VersionNoEncontrada):
        Almacen(raiz).version()


def test_sin_actual_y_carpetas_distintas_no_se_mezclan(tmp_path, raiz):
    vacio = tmp_path / "vacio"
    vacio.mkdir()
    assert Almacen(vacio).id_actual() is None
    otra = tmp_path / "otra"
    _version(otra, "v0001", fecha="2025-12-31")
    _publicar(otra, "v0001")
    assert Almacen(raiz).version().meta["fecha"] == "2026-01-01"
    assert Almacen(otra).version().meta["fecha"] == "2025-12-31"
    (raiz / "ACTUAL").unlink()
    assert Almacen(raiz).id_actual() is None
