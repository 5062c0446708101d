"""Italian templates (it_IT)."""

from __future__ import annotations

from .base import T

PII = (
    T(
        "chat",
        "Buongiorno, sono {P1:full}. Ho ordinato un {PRODUCT} il {DATE} (ordine {ORDER}) e non è "
        "ancora arrivato. Potete chiamarmi al {PHONE}.",
    ),
    T(
        "chat",
        "Sono di nuovo {P1:given}: il mio nuovo cellulare è {PHONE:mobile}, il vecchio ({PHONE}) non "
        "funziona più.",
    ),
    T(
        "email",
        "Gentile cliente,\n\nho inoltrato il suo reclamo a {P3:full} dell'ufficio fatturazione, che "
        "la richiamerà al {PHONE} entro {WEEKDAY}.\n\nCordiali saluti,\n{P2:sig}\nServizio Clienti\n"
        "{COMPANY}",
    ),
    T(
        "ticket_note",
        "Il cliente ha chiamato dal {PHONE} alle {TIME}. Parlato con {P1:full}; intestatario "
        "del contratto: {P2:formal}. Rimborso di {AMOUNT} approvato, ticket {TICKET}.",
    ),
    T(
        "call_transcript",
        "Operatore: Mi può dire nome e cognome?\nCliente: Sì, {P1:full}.\nOperatore: E un "
        "numero per ricontattarla?\nCliente: {PHONE}\nOperatore: Grazie. E l'indirizzo "
        "e-mail dell'account?\nCliente: {EMAIL:P1}",
    ),
    T(
        "cc_header",
        "Da: {P1:full} <{EMAIL:P1}>\nA: Servizio Clienti <{EMAIL:role}>\nCc: {P2:full}; {P3:full} "
        "<{EMAIL:P3}>\nOggetto: Fattura {INVOICE} – importo errato\n\nSalve, in fattura c'è "
        "scritto {AMOUNT} ma la mia offerta costa {AMOUNT}.",
    ),
    T(
        "signature",
        "Distinti saluti,\n\n{P2:sig}\nKey Account Manager | {COMPANY}\nTel. {PHONE:land}\nCell. "
        "{PHONE:mobile}\nE-mail: {EMAIL:P2}",
    ),
    T(
        "address_block",
        "Alla cortese attenzione di\n{P1:addr}\n{ADDRESS:block}\n\n{CITY}, {DATE}\n\nOggetto: "
        "il suo ordine {ORDER}\n\nGentile {P1:formal},\nci dispiace che il suo {PRODUCT} sia "
        "arrivato danneggiato.",
    ),
    T(
        "payment",
        "Vi prego di rimborsare i {AMOUNT} sul mio conto: IBAN {IBAN}, intestato a {P1:full}. Grazie!",
    ),
    T(
        "payment",
        "Coordinate bancarie per l'addebito SEPA\nIntestatario: {P1:surname_first}\nIBAN: "
        "{IBAN:wrap}\nBIC: {BIC}\nData mandato: {DATE}",
    ),
    T(
        "payment",
        "Mi avete addebitato due volte sulla carta {CARD} il {DATE}, {AMOUNT} e {AMOUNT}. Potete "
        "controllare? – {P1:given}",
    ),
    T(
        "security_log",
        "Tentativi di accesso da {IP} e {IP:v6} bloccati il {TIMESTAMP}. L'account è di "
        "{P1:full} ({EMAIL:P1}); versione app {VERSION}.",
    ),
    T(
        "contact_list",
        "Referenti per il sopralluogo del {DATE}:\n- {P1:full}, {PHONE}\n- {P2:formal} "
        "({PHONE:mobile})\n- {P3:initial} – {EMAIL:P3}",
    ),
    T(
        "sms",
        "Gentile {P1:given}, il tecnico {COMPANY} arriverà {WEEKDAY} tra le {TIME} e le {TIME}. "
        "Domande? Scrivi al {PHONE:mobile}.",
    ),
    T("chat", "{PHONE}: richiamatemi a questo numero, non a quello del profilo. Ticket {TICKET}."),
    T(
        "email",
        "Il mio collega {P2:full} (tel. {PHONE}) segue tutte le consegne per la nostra sede di "
        "{CITY}, {ROOM}.",
    ),
    T(
        "ticket_note",
        "Inoltrato a {P2:full}. {P1:formal} ha chiamato due volte per il ticket {TICKET}; "
        "promessa richiamata il {DATE}. Girato a {P3:full}.",
    ),
    T(
        "call_transcript",
        "[{TIME}] Operatore {P2:given}: {COMPANY}, buongiorno, con chi parlo?\n[{TIME}] "
        "Cliente: {P1:lower}, il mio numero è {PHONE} e la mail {EMAIL:P1}",
    ),
    T(
        "email",
        "Salve,\nvi chiedo di sostituire il mio indirizzo {EMAIL} con {EMAIL:P1}. Il mio codice "
        "cliente è {CUSTNO}.\nGrazie, {P1:full}",
    ),
    T(
        "form",
        "Nome e cognome: {P1:full}\nE-mail: {EMAIL:P1}\nTelefono: {PHONE}\nIBAN: {IBAN}\nIndirizzo IP: "
        "{IP}\nRicevuto: {TIMESTAMP}",
    ),
    T("chat", "ok allora la mail è {EMAIL:P1}; il cell {PHONE}!! chiamate prima delle {TIME} per favore"),
    T(
        "ticket_note",
        "Carta {MASKED} rifiutata al pagamento; il cliente ha poi fornito la {CARD}. Verificato "
        "da {P2:given} alle {TIME}, ordine {ORDER}.",
    ),
    T(
        "call_transcript",
        "Il chiamante ha indicato {P1:full} come intestatario e {P3:full} come secondo referente ({PHONE}).",
    ),
    T(
        "letter",
        "Spett.le {COMPANY},\n\nvi scrivo in merito alla fattura {INVOICE}. Ho pagato {AMOUNT} con "
        "bonifico dal conto {IBAN} il {DATE}, ma ho ricevuto comunque un sollecito.\n\nDistinti "
        "saluti\n{P1:sig}\n{ADDRESS:block}\n{PHONE}",
    ),
    T(
        "email",
        "Gentile {P1:given},\n\nnon siamo riusciti ad addebitare {AMOUNT} sull'IBAN {IBAN:wrap} il "
        "{DATE}. Verifichi i suoi dati o ci chiami al {PHONE}.",
    ),
    T(
        "ticket_note",
        "Nota di {P2:full}: {P1:formal} vuole ricevere tutta la corrispondenza in {ADDRESS} da {MONTH}.",
    ),
    T(
        "cc_header",
        "Inoltrato a {P2:full} e {P3:full}.\n-------- Messaggio originale --------\nDa: {EMAIL}\n"
        "Inviato: {TIMESTAMP}\nIP: {IP}\n\ndov'è il mio pacco?? {REF}",
    ),
    T(
        "ticket_note",
        "Il pacco è stato ritirato da una vicina ({P3:full}) alle {TIME}, codice di tracciamento {TRACKING}.",
    ),
    T(
        "letter",
        "Gentile {P1:formal},\nil suo contratto {CUSTNO} scade il {DATE}. Per rinnovarlo chiami il "
        "{PHONE} (da {WEEKDAY} a {WEEKDAY}, {TIME}-{TIME}) o scriva a {EMAIL:role}.",
    ),
    T(
        "ticket_note",
        "{P1:full} ha chiamato. Chiede di essere richiamato/a al {PHONE} dopo le {TIME}, riguardo {REF}.",
    ),
    T(
        "security_log",
        "La versione {VERSION} dell'app va in crash a {P1:full} su un {PRODUCT}; log allegati, "
        "IP del dispositivo {IP:v6}, modem {IP:v4}.",
    ),
    T(
        "chat",
        "ieri ho parlato con {P2:given} e oggi con {P3:full}, nessuno mi ha aiutato. il mio numero: {PHONE}",
    ),
    T(
        "ticket_note",
        "Pratica presa in carico da {P2:formal}. Cliente: {P1:surname_first}, tel. {PHONE}, "
        "documento verificato.",
    ),
    T("signature", "--\n{P2:sig}\nUfficio Assistenza — {COMPANY}\nTel. diretto {PHONE:land}\n{ADDRESS}"),
    T(
        "contact_list",
        "Partecipanti: {P1:full}, {P2:full} e {P3:formal}. Numero di accesso: {PHONE:land}, PIN {YEAR}#.",
    ),
)

NEGATIVE = (
    T(
        "email",
        "Buongiorno, l'ordine {ORDER} è stato spedito il {DATE}, codice di tracciamento {TRACKING}. "
        "Totale {AMOUNT} IVA inclusa.",
    ),
    T(
        "ticket_note",
        "Ticket {TICKET}: la versione {VERSION} dell'app va in crash sul {PRODUCT} dopo "
        "l'aggiornamento di {MONTH}. Build {HEX}.",
    ),
    T(
        "letter",
        "La fattura {INVOICE} del {DATE} di {AMOUNT} scade il {DATE}. Indicare il codice cliente "
        "{CUSTNO} nel pagamento.",
    ),
    T(
        "email",
        "Ciao a tutti,\nil pacco per {POSTCODE} {CITY} è fermo in deposito da {WEEKDAY}. "
        "Tracciamento: {TRACKING}.\nCordiali saluti,\nServizio Clienti",
    ),
    T(
        "security_log",
        "[{TIMESTAMP}] stato=consegnato articolo={SKU} qta=2 prezzo={AMOUNT} sconto={PERCENT} trace={HEX}",
    ),
    T(
        "email",
        "Il suo {PRODUCT} (numero di serie {SERIAL}) è in garanzia fino a {MONTH} {YEAR}. Il firmware "
        "{VERSION} risolve il problema di ricarica.",
    ),
    T("sms", "La consegna in {STREET}, {ROOM} è prevista il {DATE} tra le {TIME} e le {TIME}."),
    T(
        "payment",
        "Pagamento di {AMOUNT} ricevuto con carta {MASKED} il {DATE}. Riferimento {ORDER}. Grazie "
        "per aver acquistato da {COMPANY}!",
    ),
    T(
        "address_block",
        "Indirizzo di consegna: {ADDRESS}. Fascia oraria: {WEEKDAY} {TIME}-{TIME}. Lasciare in portineria.",
    ),
    T("chat", "Può seguire la riparazione su {URL} – stato al {TIMESTAMP}: in attesa del ricambio ({SKU})."),
    T(
        "signature",
        "I nostri dati: {COMPANY}, P.IVA {VAT}, BIC {BIC}. Il Servizio Clienti è aperto da "
        "{WEEKDAY} a {WEEKDAY}, dalle {TIME} alle {TIME}.",
    ),
    T(
        "chat",
        "EAN {EAN} / cod. art. {SKU} di nuovo disponibile a {CITY}: sconto del {PERCENT} fino al {DATE}.",
    ),
    T(
        "chat",
        "Salve Servizio Clienti, il mio {PRODUCT} di {COMPANY} non si ricarica più. Acquistato a "
        "{MONTH} {YEAR} per {AMOUNT}, {REF}.",
    ),
    T(
        "ticket_note",
        "Pratica {TICKET} unita alla {TICKET}. SLA superato di 2 ore; priorità alzata a P2 il "
        "{TIMESTAMP} (regola {VERSION}).",
    ),
    T(
        "email",
        "Salve, perché l'ordine {ORDER} di {MONTH} riporta IVA al {PERCENT}? A {MONTH} erano {AMOUNT} "
        "in meno. Saluti da {CITY}",
    ),
)
