"""Spanish templates (es_ES)."""

from __future__ import annotations

from .base import T

PII = (
    T(
        "chat",
        "Hola, soy {P1:full}. Pedí un {PRODUCT} el {DATE} (pedido {ORDER}) y todavía no ha llegado. Me "
        "podéis llamar al {PHONE}.",
    ),
    T(
        "chat",
        "Soy {P1:given} otra vez: mi nuevo móvil es el {PHONE:mobile}, el antiguo ({PHONE}) ya no funciona.",
    ),
    T(
        "email",
        "Estimado/a cliente:\n\nHe trasladado su reclamación a {P3:full}, del departamento de "
        "facturación, que le llamará al {PHONE} antes del {WEEKDAY}.\n\nUn saludo,\n{P2:sig}\n"
        "Atención al Cliente\n{COMPANY}",
    ),
    T(
        "ticket_note",
        "Cliente llamó desde el {PHONE} a las {TIME}. Hablé con {P1:full}; titular del "
        "contrato: {P2:formal}. Abono de {AMOUNT} aprobado, incidencia {TICKET}.",
    ),
    T(
        "call_transcript",
        "Agente: ¿Me puede decir su nombre completo?\nCliente: Sí, {P1:full}.\nAgente: ¿Y "
        "un teléfono de contacto?\nCliente: {PHONE}\nAgente: Gracias. ¿Y el correo de la "
        "cuenta?\nCliente: {EMAIL:P1}",
    ),
    T(
        "cc_header",
        "De: {P1:full} <{EMAIL:P1}>\nPara: Atención al Cliente <{EMAIL:role}>\nCC: {P2:full}; "
        "{P3:full} <{EMAIL:P3}>\nAsunto: Factura {INVOICE} – importe incorrecto\n\nBuenas, en la "
        "factura pone {AMOUNT} pero mi tarifa cuesta {AMOUNT}.",
    ),
    T(
        "signature",
        "Saludos cordiales,\n\n{P2:sig}\nGestor de cuentas | {COMPANY}\nTel.: {PHONE:land}\n"
        "Móvil: {PHONE:mobile}\nCorreo: {EMAIL:P2}",
    ),
    T(
        "address_block",
        "{P1:addr}\n{ADDRESS:block}\n\n{CITY}, {DATE}\n\nAsunto: su pedido {ORDER}\n\n"
        "Estimado/a {P1:formal}:\nlamentamos que su {PRODUCT} llegara dañado.",
    ),
    T("payment", "Por favor, devolvedme los {AMOUNT} a mi cuenta: IBAN {IBAN}, titular {P1:full}. ¡Gracias!"),
    T(
        "payment",
        "Datos bancarios para la domiciliación SEPA\nTitular: {P1:surname_first}\nIBAN: "
        "{IBAN:wrap}\nBIC: {BIC}\nFecha de firma: {DATE}",
    ),
    T(
        "payment",
        "Me han cobrado dos veces en la tarjeta {CARD} el {DATE}, {AMOUNT} y {AMOUNT}. ¿Lo podéis "
        "revisar? – {P1:given}",
    ),
    T(
        "security_log",
        "Intentos de acceso desde {IP} y {IP:v6} bloqueados el {TIMESTAMP}. La cuenta es de "
        "{P1:full} ({EMAIL:P1}); versión de la app {VERSION}.",
    ),
    T(
        "contact_list",
        "Contactos para la visita del {DATE}:\n- {P1:full}, {PHONE}\n- {P2:formal} "
        "({PHONE:mobile})\n- {P3:initial} – {EMAIL:P3}",
    ),
    T(
        "sms",
        "Hola {P1:given}, su técnico de {COMPANY} llegará el {WEEKDAY} entre las {TIME} y las {TIME}. "
        "¿Dudas? Escriba al {PHONE:mobile}.",
    ),
    T("chat", "{PHONE}: a ese número me tenéis que llamar, no al del perfil. Incidencia {TICKET}."),
    T(
        "email",
        "Mi compañero {P2:full} (tel. {PHONE}) se encarga de las entregas en nuestra oficina de "
        "{CITY}, {ROOM}.",
    ),
    T(
        "ticket_note",
        "Escalado a {P2:full}. {P1:formal} ha llamado dos veces por la incidencia {TICKET}; se "
        "le prometió una llamada el {DATE}. Reenviado a {P3:full}.",
    ),
    T(
        "call_transcript",
        "[{TIME}] Agente {P2:given}: {COMPANY}, buenos días, ¿con quién hablo?\n[{TIME}] "
        "Cliente: {P1:lower}, mi número es el {PHONE} y mi correo {EMAIL:P1}",
    ),
    T(
        "email",
        "Hola:\npor favor, cambiad mi correo de {EMAIL} a {EMAIL:P1}. Mi número de cliente es "
        "{CUSTNO}.\nGracias, {P1:full}",
    ),
    T(
        "form",
        "Nombre: {P1:full}\nCorreo: {EMAIL:P1}\nTeléfono: {PHONE}\nIBAN: {IBAN}\nIP: {IP}\nRecibido: "
        "{TIMESTAMP}",
    ),
    T("chat", "vale pues el correo es {EMAIL:P1}; y el tlf {PHONE}!! llamad antes de las {TIME} porfa"),
    T(
        "ticket_note",
        "Tarjeta {MASKED} rechazada en el pago; el cliente facilitó después la {CARD}. "
        "Verificado por {P2:given} a las {TIME}, pedido {ORDER}.",
    ),
    T(
        "call_transcript",
        "El cliente indicó a {P1:full} como titular y a {P3:full} como segundo contacto ({PHONE}).",
    ),
    T(
        "letter",
        "Muy señores míos:\n\nLes escribo en relación con la factura {INVOICE}. Pagué {AMOUNT} por "
        "transferencia desde la cuenta {IBAN} el {DATE} y aun así he recibido un recordatorio.\n\n"
        "Atentamente,\n{P1:sig}\n{ADDRESS:block}\n{PHONE}",
    ),
    T(
        "email",
        "Hola {P1:given}:\n\nno hemos podido cobrar {AMOUNT} en el IBAN {IBAN:wrap} el {DATE}. Revise "
        "sus datos o llámenos al {PHONE}.",
    ),
    T(
        "ticket_note",
        "Nota de {P2:full}: {P1:formal} quiere recibir todas las cartas en {ADDRESS} a partir de {MONTH}.",
    ),
    T(
        "cc_header",
        "Reenviado a {P2:full} y {P3:full}.\n-------- Mensaje original --------\nDe: {EMAIL}\n"
        "Enviado: {TIMESTAMP}\nIP: {IP}\n\n¿¿dónde está mi paquete?? {REF}",
    ),
    T(
        "ticket_note",
        "El paquete lo recogió una vecina ({P3:full}) a las {TIME}, número de seguimiento {TRACKING}.",
    ),
    T(
        "letter",
        "Estimado/a {P1:formal}:\nsu contrato {CUSTNO} finaliza el {DATE}. Para renovarlo llame al "
        "{PHONE} (de {WEEKDAY} a {WEEKDAY}, {TIME}-{TIME}) o escriba a {EMAIL:role}.",
    ),
    T(
        "ticket_note",
        "{P1:full} ha llamado. Pide que le llamen al {PHONE} después de las {TIME}, sobre {REF}.",
    ),
    T(
        "security_log",
        "La versión {VERSION} de la app se le cierra a {P1:full} en un {PRODUCT}; adjunto "
        "logs, IP del dispositivo {IP:v6}, router {IP:v4}.",
    ),
    T("chat", "ayer hablé con {P2:given} y hoy con {P3:full} y nadie me ha ayudado. mi número: {PHONE}"),
    T("ticket_note", "Atendido por {P2:formal}. Cliente: {P1:surname_first}, DNI verificado, tel. {PHONE}."),
    T(
        "signature",
        "--\n{P2:sig}\nDepartamento de Atención al Cliente — {COMPANY}\nTeléfono directo: "
        "{PHONE:land}\n{ADDRESS}",
    ),
    T(
        "contact_list",
        "Asistentes: {P1:full}, {P2:full} y {P3:formal}. Acceso telefónico: {PHONE:land}, PIN {YEAR}#.",
    ),
)

NEGATIVE = (
    T(
        "email",
        "Hola, el pedido {ORDER} salió el {DATE}, número de seguimiento {TRACKING}. Total {AMOUNT} "
        "IVA incluido.",
    ),
    T(
        "ticket_note",
        "Incidencia {TICKET}: la versión {VERSION} de la app se cierra en el {PRODUCT} desde la "
        "actualización de {MONTH}. Build {HEX}.",
    ),
    T(
        "letter",
        "La factura {INVOICE} del {DATE} por {AMOUNT} vence el {DATE}. Indique el nº de cliente "
        "{CUSTNO} al pagar.",
    ),
    T(
        "email",
        "Hola equipo:\nel paquete para {POSTCODE} {CITY} está parado en el almacén desde el "
        "{WEEKDAY}. Seguimiento: {TRACKING}.\nUn saludo,\nAtención al Cliente",
    ),
    T(
        "security_log",
        "[{TIMESTAMP}] estado=entregado articulo={SKU} cant=2 precio={AMOUNT} "
        "descuento={PERCENT} traza={HEX}",
    ),
    T(
        "email",
        "Su {PRODUCT} (número de serie {SERIAL}) tiene garantía hasta {MONTH} de {YEAR}. El firmware "
        "{VERSION} corrige el fallo de carga.",
    ),
    T("sms", "La entrega en {STREET}, {ROOM} está prevista para el {DATE} entre las {TIME} y las {TIME}."),
    T(
        "payment",
        "Pago de {AMOUNT} recibido con la tarjeta {MASKED} el {DATE}. Referencia {ORDER}. ¡Gracias "
        "por comprar en {COMPANY}!",
    ),
    T(
        "address_block",
        "Dirección de entrega: {ADDRESS}. Franja: {WEEKDAY} {TIME}-{TIME}. Dejar en conserjería.",
    ),
    T("chat", "Puede seguir la reparación en {URL}; estado a {TIMESTAMP}: pendiente de pieza ({SKU})."),
    T(
        "signature",
        "Nuestros datos: {COMPANY}, NIF-IVA {VAT}, BIC {BIC}. Atención al Cliente abre de "
        "{WEEKDAY} a {WEEKDAY}, de {TIME} a {TIME}.",
    ),
    T(
        "chat",
        "EAN {EAN} / ref. {SKU} vuelve a estar disponible en {CITY}: {PERCENT} de descuento hasta el {DATE}.",
    ),
    T(
        "chat",
        "Hola Atención al Cliente, mi {PRODUCT} de {COMPANY} ya no carga. Lo compré en {MONTH} de "
        "{YEAR} por {AMOUNT}, {REF}.",
    ),
    T(
        "ticket_note",
        "Caso {TICKET} fusionado con {TICKET}. SLA superado en 2 h; prioridad subida a P2 el "
        "{TIMESTAMP} (regla {VERSION}).",
    ),
    T(
        "email",
        "Buenas, ¿por qué el pedido {ORDER} de {MONTH} lleva un {PERCENT} de IVA? En {MONTH} eran "
        "{AMOUNT} menos. Saludos desde {CITY}",
    ),
)
