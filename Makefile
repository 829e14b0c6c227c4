# Dos órdenes para empezar en una máquina nueva (ver README.md):
#   make tablero   instala y abre el tablero con los datos de ejemplo
#   make test      instala y corre todas las pruebas (unitarias y de navegador)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PUERTO ?= 8050

.PHONY: tablero test pruebas navegador instalar chromium benchmark

$(BIN)/activate: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[pruebas]"
	touch $(BIN)/activate

instalar: $(BIN)/activate

tablero: instalar
	$(BIN)/tablero --puerto $(PUERTO)

# axe-core 4 (npm) para las pruebas de accesibilidad; sin npm se usa el que trae
# axe-selenium-python (3.1).
AXE := $(VENV)/axe/package/axe.min.js

test: instalar chromium $(AXE)
	$(BIN)/python -m pytest
	SIGUE_AXE=$(abspath $(AXE)) $(BIN)/python -m pytest -m navegador

pruebas: instalar
	$(BIN)/python -m pytest

navegador: instalar chromium $(AXE)
	SIGUE_AXE=$(abspath $(AXE)) $(BIN)/python -m pytest -m navegador

$(AXE):
	mkdir -p $(VENV)/axe
	cd $(VENV)/axe && npm pack axe-core@4 --silent >/dev/null && tar xzf axe-core-*.tgz package/axe.min.js

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
