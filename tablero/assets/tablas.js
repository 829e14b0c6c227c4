// Funciones de las tablas (dash-ag-grid) del tablero: ver tablero/tablas.py.
window.dashAgGridFunctions = window.dashAgGridFunctions || {};

// En pantallas angostas deja visibles solo las columnas `visibles` y ajusta los anchos, para
// que la tabla quepa en el teléfono sin desplazarse a los lados.
window.dashAgGridFunctions.sigueColumnasSegunAncho = function (params, visibles, ancho) {
  const api = params.api;
  if (!api || api.isDestroyed()) return;
  const angosta = window.innerWidth < ancho;
  const mostrar = [];
  const ocultar = [];
  api.getColumns().forEach(function (columna) {
    const id = columna.getColId();
    const quiere = !angosta || visibles.indexOf(id) >= 0;
    if (quiere !== columna.isVisible()) (quiere ? mostrar : ocultar).push(id);
  });
  if (!mostrar.length && !ocultar.length) return;
  if (mostrar.length) api.setColumnsVisible(mostrar, true);
  if (ocultar.length) api.setColumnsVisible(ocultar, false);
  // El alto automático del encabezado cuenta también las columnas ocultas (sus títulos
  // largos, apretados): en el teléfono el encabezado usa el alto fijo (dos renglones).
  const columnas = api.getGridOption("defaultColDef") || {};
  if (columnas.autoHeaderHeight === angosta) {
    api.setGridOption("defaultColDef", Object.assign({}, columnas, {autoHeaderHeight: !angosta}));
  }
  api.sizeColumnsToFit();
  // y el contenedor del encabezado no se vuelve a medir solo: se le fija un alto y se suelta
  api.setGridOption("headerHeight", 48);
  api.setGridOption("headerHeight", undefined);
};
