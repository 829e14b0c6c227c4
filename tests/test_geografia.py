"""Geografía: la cobertura simplificada se guarda en la caché y se reutiliza."""

import shapely
from geopandas.testing import assert_geodataframe_equal

from ingesta import geografia
from ingesta.geografia import Municipios, municipios


def _nuevos() -> Municipios:
    """Municipios sin nada calculado todavía (las propiedades se guardan por instancia)."""
    m = municipios()
    return Municipios(estado=m.estado, lcc=m.lcc)


def test_la_simplificacion_se_calcula_una_vez_y_se_lee_de_la_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SIGUE_CACHE", str(tmp_path))
    llamadas = []
    original = shapely.coverage_simplify

    def contar(*args, **kwargs):
        llamadas.append(args[1])
        return original(*args, **kwargs)

    monkeypatch.setattr(shapely, "coverage_simplify", contar)
    primera = _nuevos().simplificados
    assert llamadas == [geografia.TOLERANCIA_SIMPLIFICACION_M]
    archivos = list((tmp_path / "geografia").iterdir())
    assert [a.suffix for a in archivos] == [".parquet"]
    assert archivos[0].name.startswith("municipios-20-")

    def prohibida(*args, **kwargs):
        raise AssertionError("no debía volver a simplificar")

    monkeypatch.setattr(shapely, "coverage_simplify", prohibida)
    segunda = _nuevos().simplificados
    assert_geodataframe_equal(segunda, primera, check_less_precise=False)
    assert list(shapely.to_wkb(segunda.geometry.values)) == list(
        shapely.to_wkb(primera.geometry.values)
    )
    assert segunda.crs.to_epsg() == 4326


def test_la_clave_cambia_con_la_tolerancia_y_una_cache_danada_se_recalcula(tmp_path, monkeypatch):
    monkeypatch.setenv("SIGUE_CACHE", str(tmp_path))
    m = _nuevos()
    esperado = m._simplificar()
    ruta = tmp_path / "geografia" / f"municipios-{m.estado}-{m._huella}.parquet"
    ruta.parent.mkdir(parents=True)
    ruta.write_bytes(b"no es parquet")
    assert_geodataframe_equal(m.simplificados, esperado, check_less_precise=False)
    assert ruta.read_bytes()[:4] == b"PAR1"  # se reescribió con la cobertura buena

    monkeypatch.setattr(geografia, "TOLERANCIA_SIMPLIFICACION_M", 800)
    assert _nuevos()._huella != m._huella
    monkeypatch.setattr(geografia, "TOLERANCIA_SIMPLIFICACION_M", 400)
    monkeypatch.setattr(geografia, "DECIMALES_MAPA", 4)
    assert _nuevos()._huella != m._huella


def test_sin_permiso_de_escritura_en_la_cache_igual_simplifica(tmp_path, monkeypatch):
    bloqueo = tmp_path / "archivo"
    bloqueo.write_text("x")
    monkeypatch.setenv("SIGUE_CACHE", str(bloqueo))  # un archivo: no se puede crear la carpeta
    simplificados = _nuevos().simplificados
    assert len(simplificados) == len(municipios().lcc)


def test_la_reproyeccion_se_guarda_en_la_cache_con_las_mismas_coordenadas(tmp_path, monkeypatch):
    monkeypatch.setenv("SIGUE_CACHE", str(tmp_path))
    m = municipios()
    # Lo que da reproyectar en el momento (sin caché): la referencia exacta.
    esperado = m.lcc.to_crs(4326)
    reproyecciones = []
    original = type(m.lcc).to_crs

    def contar(self, *args, **kwargs):
        reproyecciones.append(args or kwargs)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(type(m.lcc), "to_crs", contar)
    primera = _nuevos().completos
    assert len(reproyecciones) == 1
    nombres = [a.name for a in (tmp_path / "geografia").iterdir()]
    assert len(nombres) == 1 and nombres[0].startswith("completos-20-")
    segunda = _nuevos().completos
    assert len(reproyecciones) == 1  # la segunda vez se leyó de la caché
    for gdf in (primera, segunda):
        assert_geodataframe_equal(gdf, esperado, check_less_precise=False)
        assert list(shapely.to_wkb(gdf.geometry.values)) == list(
            shapely.to_wkb(esperado.geometry.values)
        )
        assert gdf.crs.to_epsg() == 4326
    # Otra versión de PROJ (u otra geometría de origen) es otra entrada de la caché.
    import pyproj

    monkeypatch.setattr(pyproj, "proj_version_str", "0.0.0")
    assert len(_nuevos().completos) == len(m.lcc)
    assert len(reproyecciones) == 2
