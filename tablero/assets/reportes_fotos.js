/* Campo de fotos de los formularios de reporte de las fichas (obras, escuelas).
 *
 * Dash no tiene un <input type="file"> que se envíe con un formulario HTML normal: la
 * ficha marca su lugar con data-campo-fotos="<id>" y aquí se crea el campo (name="fotos",
 * varias fotos JPEG, PNG o WebP). El servidor valida todo de nuevo (tamaño, formato, hasta 3).
 */
(function () {
    "use strict";
    var MAXIMO = 3;

    function completar() {
        var lugares = document.querySelectorAll("[data-campo-fotos]");
        for (var i = 0; i < lugares.length; i++) {
            var lugar = lugares[i];
            if (lugar.querySelector("input[type=file]")) { continue; }
            var campo = document.createElement("input");
            campo.type = "file";
            campo.name = "fotos";
            campo.multiple = true;
            campo.accept = "image/jpeg,image/png,image/webp";
            campo.id = lugar.getAttribute("data-campo-fotos");
            campo.addEventListener("change", function (evento) {
                var elegido = evento.target;
                var aviso = elegido.parentNode.querySelector(".campo-fotos__aviso");
                if (!aviso) {
                    aviso = document.createElement("p");
                    aviso.className = "campo-fotos__aviso";
                    aviso.setAttribute("role", "status");
                    elegido.parentNode.appendChild(aviso);
                }
                if (elegido.files.length > MAXIMO) {
                    elegido.setCustomValidity("Elija hasta " + MAXIMO + " fotos.");
                    aviso.textContent = "Eligió " + elegido.files.length + " fotos; el máximo es " + MAXIMO + ".";
                } else {
                    elegido.setCustomValidity("");
                    aviso.textContent = elegido.files.length ? elegido.files.length + " foto(s) elegida(s)." : "";
                }
            });
            lugar.appendChild(campo);
        }
    }

    new MutationObserver(completar).observe(document.documentElement, {childList: true, subtree: true});
    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", completar);
    } else {
        completar();
    }
})();
