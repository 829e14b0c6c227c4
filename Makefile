# Dos órdenes para empezar en una máquina nueva (ver README.md):
#   make tablero   instala y abre el tablero con los datos de ejemplo
#   make test      instala y corre todas las pruebas (unitarias y de navegador)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PUERTO ?= 8050

.PHONY: tablero test pruebas navegador instalar chromium axe benchmark test-postgresql plotly-parcial primera-carga

$(BIN)/activate: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[pruebas]"
	touch $(BIN)/activate

instalar: $(BIN)/activate

tablero: instalar
	$(BIN)/tablero --puerto $(PUERTO)

# axe-core 4 (npm) para las pruebas de accesibilidad.
AXE := $(VENV)/axe/package/axe.min.js

# La suite rápida corre en dos procesos (addopts); fuzz, instancias (dos servidores en
# subprocesos), navegador (puerto fijo de dash_duo) y PostgreSQL (una base compartida) en
# uno solo: -n 0. La suite rápida apaga el complemento de pytest de dash[testing] (addopts):
# las de navegador lo encienden con -p dash.testing.plugin.
test: instalar chromium axe
	$(BIN)/python -m pytest
	$(BIN)/python -m pytest -m fuzz -n 0
	$(BIN)/python -m pytest -m instancias -n 0
	$(AXE_ENTORNO) $(BIN)/python -m pytest -p dash.testing.plugin -m navegador -n 0

pruebas: instalar
	$(BIN)/python -m pytest

navegador: instalar chromium axe
	$(AXE_ENTORNO) $(BIN)/python -m pytest -p dash.testing.plugin -m navegador -n 0

# Con npm se baja axe-core 4 una vez; sin npm se usa el que trae axe-selenium-python.
AXE_ENTORNO = SIGUE_AXE=$$([ -f $(AXE) ] && echo $(abspath $(AXE)))
axe:
	@if [ ! -f $(AXE) ] && command -v npm >/dev/null; then \
		mkdir -p $(VENV)/axe && cd $(VENV)/axe && npm pack axe-core@4 --silent >/dev/null && tar xzf axe-core-*.tgz package/axe.min.js; \
	fi

# Chromium y su driver de Debian para las pruebas en navegador sin pantalla.
chromium:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
		if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
		else \
			echo "Las pruebas de navegador necesitan chromium y chromedriver: sudo apt-get install chromium chromium-driver"; exit 1; \
		fi; \
	fi

benchmark: instalar
	$(BIN)/python benchmarks/padron.py
	$(BIN)/python benchmarks/geografia.py
	$(BIN)/python benchmarks/indicadores.py
	$(BIN)/python benchmarks/reales.py

# Las pruebas de reportes contra un PostgreSQL real en 127.0.0.1 (Debian; como root instala
# y arranca el servidor si hace falta). Usa la base sigue_pruebas, que se vuelve a crear.
PG_URL ?= postgresql://sigue:sigue@127.0.0.1:5432/sigue_pruebas
test-postgresql: instalar
	@if [ "$$(id -u)" = "0" ]; then \
		command -v pg_ctlcluster >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null); \
		version=$$(ls /etc/postgresql | sort -V | tail -1); \
		[ -n "$$version" ] || pg_createcluster $$(ls /usr/lib/postgresql | sort -V | tail -1) main; \
		version=$$(ls /etc/postgresql | sort -V | tail -1); \
		pg_ctlcluster $$version main start 2>/dev/null || true; \
		for i in 1 2 3 4 5 6 7 8 9 10; do su postgres -c "pg_isready -q -h 127.0.0.1" && break; sleep 1; done; \
		su postgres -c "psql -q -c \"DROP DATABASE IF EXISTS sigue_pruebas\"" ; \
		su postgres -c "psql -q -c \"DO \\\$$\\\$$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='sigue') THEN CREATE ROLE sigue LOGIN PASSWORD 'sigue'; END IF; END\\\$$\\\$$\"" ; \
		su postgres -c "psql -q -c \"CREATE DATABASE sigue_pruebas OWNER sigue\"" ; \
	fi
	DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest -n 0 tests/test_reportes.py tests/test_reportes_*.py
	DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest -n 0 -m instancias tests/test_varias_instancias.py

# El bundle parcial de plotly.js (solo las trazas de scripts/plotly_parcial/trazas.json) que
# sirve el tablero: queda en tablero/vendor/ (en el repositorio; el tablero no necesita npm).
# Necesita Node.js y npm; las versiones están fijas en package-lock.json.
plotly-parcial:
	cd scripts/plotly_parcial && npm ci --no-audit --no-fund --ignore-scripts && node construir.mjs

# Peso de la primera carga de / y tiempos en un teléfono lento (Chromium sin pantalla).
primera-carga: instalar chromium
	$(BIN)/python benchmarks/primera_carga.py
