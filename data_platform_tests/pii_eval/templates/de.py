"""German templates (de_DE)."""

from __future__ import annotations

from .base import T

PII = (
    T(
        "chat",
        "Hallo, hier ist {P1:full}. Ich habe am {DATE} einen {PRODUCT} bestellt (Bestellnummer "
        "{ORDER}), der immer noch nicht da ist. Erreichbar bin ich unter {PHONE}.",
    ),
    T(
        "chat",
        "{P1:given} nochmal – meine neue Handynummer ist {PHONE:mobile}, die alte ({PHONE}) geht nicht mehr.",
    ),
    T(
        "email",
        "Sehr geehrte Damen und Herren,\n\nich habe Ihre Beschwerde an {P3:full} aus der Buchhaltung "
        "weitergeleitet. Sie werden bis {WEEKDAY} unter {PHONE} zurückgerufen.\n\nMit freundlichen "
        "Grüßen\n{P2:sig}\nKundenservice\n{COMPANY}",
    ),
    T(
        "ticket_note",
        "Kunde rief um {TIME} von {PHONE} an. Gesprochen mit {P1:full}; Vertragsinhaber ist "
        "{P2:formal}. Gutschrift über {AMOUNT} genehmigt, Ticket {TICKET}.",
    ),
    T(
        "call_transcript",
        "Agent: Darf ich Ihren vollständigen Namen haben?\nAnrufer: Ja, {P1:full}.\nAgent: "
        "Unter welcher Nummer erreichen wir Sie?\nAnrufer: {PHONE}\nAgent: Danke. Und die "
        "E-Mail-Adresse zum Konto?\nAnrufer: {EMAIL:P1}",
    ),
    T(
        "cc_header",
        "Von: {P1:full} <{EMAIL:P1}>\nAn: Kundenservice <{EMAIL:role}>\nCc: {P2:full}; {P3:full} "
        "<{EMAIL:P3}>\nBetreff: Rechnung {INVOICE} – falscher Betrag\n\nGuten Tag, auf der "
        "Rechnung stehen {AMOUNT}, mein Tarif kostet aber {AMOUNT}.",
    ),
    T(
        "signature",
        "Mit freundlichen Grüßen\n\n{P2:sig}\nKey Account Management | {COMPANY}\nTel.: "
        "{PHONE:land}\nMobil: {PHONE:mobile}\nE-Mail: {EMAIL:P2}",
    ),
    T(
        "address_block",
        "{P1:addr}\n{ADDRESS:block}\n\n{CITY}, den {DATE}\n\nIhre Bestellung {ORDER}\n\nGuten "
        "Tag {P1:formal},\nes tut uns leid, dass Ihr {PRODUCT} beschädigt angekommen ist.",
    ),
    T(
        "payment",
        "Bitte erstatten Sie die {AMOUNT} auf mein Konto: IBAN {IBAN}, Kontoinhaber {P1:full}. Danke!",
    ),
    T(
        "payment",
        "Bankverbindung für das SEPA-Lastschriftmandat\nKontoinhaber: {P1:surname_first}\nIBAN: "
        "{IBAN:wrap}\nBIC: {BIC}\nDatum: {DATE}",
    ),
    T(
        "payment",
        "Meine Kreditkarte {CARD} wurde am {DATE} doppelt belastet, einmal {AMOUNT} und einmal "
        "{AMOUNT}. Können Sie das prüfen? – {P1:given}",
    ),
    T(
        "security_log",
        "Anmeldeversuche von {IP} und {IP:v6} wurden am {TIMESTAMP} blockiert. Das Konto "
        "gehört {P1:full} ({EMAIL:P1}); App-Version {VERSION}.",
    ),
    T(
        "contact_list",
        "Ansprechpartner für den Termin am {DATE}:\n- {P1:full}, {PHONE}\n- {P2:formal} "
        "({PHONE:mobile})\n- {P3:initial} – {EMAIL:P3}",
    ),
    T(
        "sms",
        "Hallo {P1:given}, Ihr Techniker von {COMPANY} kommt am {WEEKDAY} zwischen {TIME} und {TIME}. "
        "Fragen? SMS an {PHONE:mobile}.",
    ),
    T(
        "chat",
        "{PHONE} – unter der Nummer bitte zurückrufen, nicht unter der aus dem Profil. Ticket {TICKET}.",
    ),
    T(
        "email",
        "Mein Kollege {P2:full} (Tel. {PHONE}) kümmert sich um alle Lieferungen an unser Büro in "
        "{CITY}, {ROOM}.",
    ),
    T(
        "ticket_note",
        "Eskaliert an {P2:full}. {P1:formal} hat zweimal wegen {TICKET} angerufen; Rückruf für "
        "den {DATE} zugesagt. Weitergeleitet an {P3:full}.",
    ),
    T(
        "call_transcript",
        "[{TIME}] Agent {P2:given}: {COMPANY}, guten Tag, mit wem spreche ich?\n[{TIME}] "
        "Kunde: {P1:lower}, meine Nummer ist {PHONE} und meine Mail {EMAIL:P1}",
    ),
    T(
        "email",
        "Hallo,\nbitte ändern Sie meine E-Mail-Adresse von {EMAIL} auf {EMAIL:P1}. Meine Kundennummer "
        "lautet {CUSTNO}.\nDanke, {P1:full}",
    ),
    T(
        "form",
        "Name: {P1:full}\nE-Mail: {EMAIL:P1}\nTelefon: {PHONE}\nIBAN: {IBAN}\nIP-Adresse: {IP}\n"
        "Eingegangen: {TIMESTAMP}",
    ),
    T("chat", "ok also die mail ist {EMAIL:P1}; telefon {PHONE}!! bitte vor {TIME} anrufen"),
    T(
        "ticket_note",
        "Karte {MASKED} an der Kasse abgelehnt; Kunde hat dann {CARD} angegeben. Geprüft von "
        "{P2:given} um {TIME}, Bestellung {ORDER}.",
    ),
    T(
        "call_transcript",
        "Anrufer nannte {P1:full} als Kontoinhaber und {P3:full} als zweiten Ansprechpartner ({PHONE}).",
    ),
    T(
        "letter",
        "Sehr geehrte Damen und Herren,\n\nich beziehe mich auf die Rechnung {INVOICE}. Ich habe am "
        "{DATE} {AMOUNT} von meinem Konto {IBAN} überwiesen und trotzdem eine Mahnung erhalten.\n\n"
        "Mit freundlichen Grüßen\n{P1:sig}\n{ADDRESS:block}\n{PHONE}",
    ),
    T(
        "email",
        "Hallo {P1:given},\n\nleider konnten wir {AMOUNT} am {DATE} nicht von der IBAN {IBAN:wrap} "
        "einziehen. Bitte prüfen Sie Ihre Angaben oder rufen Sie uns an: {PHONE}.",
    ),
    T("ticket_note", "Notiz von {P2:full}: {P1:formal} möchte ab {MONTH} alle Briefe an {ADDRESS} erhalten."),
    T(
        "cc_header",
        "Weitergeleitet an {P2:full} und {P3:full}.\n-------- Ursprüngliche Nachricht --------\n"
        "Von: {EMAIL}\nGesendet: {TIMESTAMP}\nIP: {IP}\n\nwo bleibt mein paket?? {REF}",
    ),
    T(
        "ticket_note",
        "Das Paket wurde um {TIME} von einer Nachbarin ({P3:full}) angenommen, Sendungsnummer {TRACKING}.",
    ),
    T(
        "letter",
        "Guten Tag {P1:formal},\nIhr Vertrag {CUSTNO} endet am {DATE}. Zur Verlängerung rufen Sie "
        "uns unter {PHONE} an ({WEEKDAY} bis {WEEKDAY}, {TIME}–{TIME}) oder schreiben Sie an "
        "{EMAIL:role}.",
    ),
    T("ticket_note", "{P1:full} hat angerufen. Bittet um Rückruf unter {PHONE} nach {TIME}, betrifft {REF}."),
    T(
        "security_log",
        "Version {VERSION} der App stürzt bei {P1:full} auf einem {PRODUCT} ab; Logs anbei, "
        "Geräte-IP {IP:v6}, Router {IP:v4}.",
    ),
    T(
        "chat",
        "ich habe gestern mit {P2:given} und heute mit {P3:full} gesprochen, keiner konnte helfen. "
        "meine nummer: {PHONE}",
    ),
    T(
        "email",
        "Laut „{P2:full}“ aus der Filiale {CITY} ist die Ware am {DATE} eingegangen. Rückfragen gerne "
        "an {EMAIL:P2} oder {PHONE:land}.",
    ),
    T(
        "signature",
        "--\n{P2:sig}\nGeschäftsführer: {P3:full}\n{COMPANY}, {ADDRESS}\nUSt-IdNr. {VAT}\nTelefon "
        "{PHONE:land} · Fax {PHONE:land}",
    ),
    T(
        "contact_list",
        "Teilnehmer: {P1:full}, {P2:full} und {P3:formal}. Einwahl: {PHONE:land}, PIN {YEAR}#.",
    ),
)

NEGATIVE = (
    T(
        "email",
        "Hallo Team, Bestellung {ORDER} wurde am {DATE} verschickt, Sendungsnummer {TRACKING}. "
        "Gesamtbetrag {AMOUNT} inkl. MwSt.",
    ),
    T(
        "ticket_note",
        "Ticket {TICKET}: App-Version {VERSION} stürzt auf dem {PRODUCT} nach dem Update im "
        "{MONTH} ab. Build {HEX}.",
    ),
    T(
        "letter",
        "Rechnung {INVOICE} vom {DATE} über {AMOUNT} ist fällig am {DATE}. Bitte geben Sie bei "
        "Zahlung die Kundennummer {CUSTNO} an.",
    ),
    T(
        "email",
        "Liebes Team,\ndas Paket nach {POSTCODE} {CITY} liegt seit {WEEKDAY} im Depot. "
        "Sendungsnummer: {TRACKING}.\nViele Grüße\nKundenservice",
    ),
    T(
        "security_log",
        "[{TIMESTAMP}] status=zugestellt artikel={SKU} menge=2 preis={AMOUNT} rabatt={PERCENT} trace={HEX}",
    ),
    T(
        "email",
        "Ihr {PRODUCT} (Seriennummer {SERIAL}) hat Garantie bis {MONTH} {YEAR}. Firmware {VERSION} "
        "behebt das Ladeproblem.",
    ),
    T("sms", "Lieferung an {ROOM}, {STREET} ist für den {DATE} zwischen {TIME} und {TIME} geplant."),
    T(
        "payment",
        "Zahlung über {AMOUNT} mit Karte {MASKED} am {DATE} erhalten. Referenz {ORDER}. Danke für "
        "Ihren Einkauf bei {COMPANY}!",
    ),
    T(
        "address_block",
        "Lieferadresse: {ADDRESS}. Zeitfenster: {WEEKDAY} {TIME}–{TIME}. Bitte am Empfang abgeben.",
    ),
    T(
        "chat",
        "Den Reparaturstatus finden Sie unter {URL} – Stand {TIMESTAMP}: wartet auf Ersatzteil ({SKU}).",
    ),
    T(
        "signature",
        "Unsere Firmendaten: {COMPANY}, USt-IdNr. {VAT}, BIC {BIC}. Der Kundenservice ist "
        "{WEEKDAY} bis {WEEKDAY} von {TIME} bis {TIME} erreichbar.",
    ),
    T("chat", "EAN {EAN} / Art.-Nr. {SKU} ist in {CITY} wieder vorrätig: {PERCENT} Rabatt bis {DATE}."),
    T(
        "chat",
        "Hallo Kundenservice, mein {PRODUCT} von {COMPANY} lädt nicht mehr. Gekauft im {MONTH} {YEAR} "
        "für {AMOUNT}, {REF}.",
    ),
    T(
        "ticket_note",
        "Fall {TICKET} mit {TICKET} zusammengeführt. SLA um 2 Std. überschritten; Priorität am "
        "{TIMESTAMP} auf P2 erhöht (Regel {VERSION}).",
    ),
    T(
        "email",
        "Sehr geehrte Damen und Herren, warum zeigt Bestellung {ORDER} aus dem {MONTH} {PERCENT} "
        "MwSt.? Im {MONTH} waren es {AMOUNT} weniger. Gruß aus {CITY}",
    ),
    T(
        "ticket_note",
        "Reklamation: Dr. Oetker Ristorante Pizza Margherita, MHD {DATE}, Charge {SERIAL}, "
        "gekauft bei Kaufland {CITY}. Erstattung {AMOUNT} per Gutschein.",
    ),
    T(
        "letter",
        "Zählerstand vom {DATE}: {YEAR} kWh, Zählernummer {SERIAL}, neuer Abschlag {AMOUNT} ab {MONTH}.",
    ),
)
