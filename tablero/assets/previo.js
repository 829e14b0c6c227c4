// Quita la vista previa estática de las cifras (#sigue-previo, que el servidor pone en el HTML
// de / antes de #react-entry-point; ver tablero/previo.py) en cuanto Dash dibuja la página.
(function () {
    "use strict";
    var previo = document.getElementById("sigue-previo");
    var raiz = document.getElementById("react-entry-point");
    if (!previo || !raiz || !window.MutationObserver) {
        return;
    }
    var observador = new MutationObserver(function () {
        var pagina = document.getElementById("_pages_content");
        if (pagina && pagina.firstElementChild) {
            observador.disconnect();
            previo.remove();
        }
    });
    observador.observe(raiz, {childList: true, subtree: true});
})();
