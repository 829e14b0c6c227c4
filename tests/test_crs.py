"""El CRS de los GeoParquet leídos con el atajo de :mod:`almacen.crs` es el mismo."""

from __future__ import annotations

import copy

import geopandas as gpd
import pyproj
import pytest
import shapely

from almacen import crs


@pytest.mark.parametrize("epsg", [4326, 6372])  # WGS84 (las capas) y la LCC del INEGI
def test_crs_leido_igual_con_y_sin_id(epsg):
    """Con los ``id`` de los miembros del datum, PROJ arma exactamente el mismo CRS."""
    # si geopandas ya no quita los id, sobra almacen.crs
    assert crs.QUITAR_ID_ORIGINAL is not None
    con_id = pyproj.CRS.from_epsg(epsg).to_json_dict()
    sin_id = copy.deepcopy(con_id)
    crs.QUITAR_ID_ORIGINAL(sin_id)
    a, b = pyproj.CRS.from_user_input(con_id), pyproj.CRS.from_user_input(sin_id)
    assert a.is_exact_same(b)
    assert (a.to_wkt(), a.to_json(), a.to_epsg()) == (b.to_wkt(), b.to_json(), epsg)


def test_geoparquet_leido_conserva_su_crs(tmp_path):
    ruta = tmp_path / "puntos.parquet"
    gpd.GeoDataFrame({"a": [1]}, geometry=[shapely.Point(-96.7, 17.1)], crs=4326).to_parquet(ruta)
    leido = gpd.read_parquet(ruta)
    assert leido.crs.is_exact_same(pyproj.CRS.from_epsg(4326))
    assert leido.crs.to_epsg() == 4326
