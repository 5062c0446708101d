"""Dutch templates (nl_NL)."""

from __future__ import annotations

from .base import T

PII = (
    T(
        "chat",
        "Hallo, met {P1:full}. Ik heb op {DATE} een {PRODUCT} besteld (bestelnummer {ORDER}) en die is "
        "nog steeds niet binnen. Ik ben bereikbaar op {PHONE}.",
    ),
    T(
        "chat",
        "Weer {P1:given} hier: mijn nieuwe mobiele nummer is {PHONE:mobile}, het oude ({PHONE}) werkt "
        "niet meer.",
    ),
    T(
        "email",
        "Beste klant,\n\nIk heb uw klacht doorgestuurd naar {P3:full} van de afdeling facturatie, die "
        "u vóór {WEEKDAY} terugbelt op {PHONE}.\n\nMet vriendelijke groet,\n{P2:sig}\nKlantenservice\n"
        "{COMPANY}",
    ),
    T(
        "ticket_note",
        "Klant belde om {TIME} vanaf {PHONE}. Gesproken met {P1:full}; contracthouder is "
        "{P2:formal}. Creditering van {AMOUNT} goedgekeurd, ticket {TICKET}.",
    ),
    T(
        "call_transcript",
        "Medewerker: Mag ik uw volledige naam?\nBeller: Ja, {P1:full}.\nMedewerker: En op "
        "welk nummer kunnen we u bereiken?\nBeller: {PHONE}\nMedewerker: Dank u. En het "
        "e-mailadres van het account?\nBeller: {EMAIL:P1}",
    ),
    T(
        "cc_header",
        "Van: {P1:full} <{EMAIL:P1}>\nAan: Klantenservice <{EMAIL:role}>\nCC: {P2:full}; "
        "{P3:full} <{EMAIL:P3}>\nOnderwerp: Factuur {INVOICE} – verkeerd bedrag\n\nGoedendag, op "
        "de factuur staat {AMOUNT} maar mijn abonnement kost {AMOUNT}.",
    ),
    T(
        "signature",
        "Met vriendelijke groet,\n\n{P2:sig}\nAccountmanager | {COMPANY}\nT {PHONE:land}\nM "
        "{PHONE:mobile}\nE {EMAIL:P2}",
    ),
    T(
        "address_block",
        "{P1:addr}\n{ADDRESS:block}\n\n{CITY}, {DATE}\n\nBetreft: uw bestelling {ORDER}\n\n"
        "Geachte {P1:formal},\nhet spijt ons dat uw {PRODUCT} beschadigd is aangekomen.",
    ),
    T(
        "payment",
        "Graag de {AMOUNT} terugstorten op mijn rekening: IBAN {IBAN}, t.n.v. {P1:full}. Alvast bedankt!",
    ),
    T(
        "payment",
        "Bankgegevens voor de SEPA-incasso\nRekeninghouder: {P1:surname_first}\nIBAN: {IBAN:wrap}\n"
        "BIC: {BIC}\nDatum machtiging: {DATE}",
    ),
    T(
        "payment",
        "Er is op {DATE} twee keer afgeschreven van mijn creditcard {CARD}, {AMOUNT} en {AMOUNT}. "
        "Kunnen jullie dat nakijken? – {P1:given}",
    ),
    T(
        "security_log",
        "Inlogpogingen vanaf {IP} en {IP:v6} zijn op {TIMESTAMP} geblokkeerd. Het account is "
        "van {P1:full} ({EMAIL:P1}); app-versie {VERSION}.",
    ),
    T(
        "contact_list",
        "Contactpersonen voor het bezoek op {DATE}:\n- {P1:full}, {PHONE}\n- {P2:formal} "
        "({PHONE:mobile})\n- {P3:initial} – {EMAIL:P3}",
    ),
    T(
        "sms",
        "Hoi {P1:given}, je monteur van {COMPANY} komt {WEEKDAY} tussen {TIME} en {TIME}. Vragen? Stuur "
        "een sms naar {PHONE:mobile}.",
    ),
    T(
        "chat",
        "{PHONE} – op dat nummer graag terugbellen, niet op het nummer in mijn profiel. Ticket {TICKET}.",
    ),
    T(
        "email",
        "Mijn collega {P2:full} (tel. {PHONE}) regelt alle leveringen voor ons kantoor in {CITY}, {ROOM}.",
    ),
    T(
        "ticket_note",
        "Geëscaleerd naar {P2:full}. {P1:formal} heeft twee keer gebeld over {TICKET}; "
        "terugbelafspraak op {DATE}. Doorgestuurd naar {P3:full}.",
    ),
    T(
        "call_transcript",
        "[{TIME}] Medewerker {P2:given}: {COMPANY}, goedemiddag, met wie spreek ik?\n"
        "[{TIME}] Klant: {P1:lower}, mijn nummer is {PHONE} en mijn mail {EMAIL:P1}",
    ),
    T(
        "email",
        "Hallo,\nwillen jullie mijn e-mailadres wijzigen van {EMAIL} naar {EMAIL:P1}? Mijn "
        "klantnummer is {CUSTNO}.\nBedankt, {P1:full}",
    ),
    T(
        "form",
        "Naam: {P1:full}\nE-mail: {EMAIL:P1}\nTelefoon: {PHONE}\nIBAN: {IBAN}\nIP-adres: {IP}\n"
        "Ontvangen: {TIMESTAMP}",
    ),
    T("chat", "ok dus de mail is {EMAIL:P1}; en tel {PHONE}!! graag voor {TIME} bellen"),
    T(
        "ticket_note",
        "Kaart {MASKED} geweigerd bij het afrekenen; klant gaf daarna {CARD} op. Gecontroleerd "
        "door {P2:given} om {TIME}, bestelling {ORDER}.",
    ),
    T(
        "call_transcript",
        "Beller noemde {P1:full} als rekeninghouder en {P3:full} als tweede contactpersoon ({PHONE}).",
    ),
    T(
        "letter",
        "Geachte heer/mevrouw,\n\nIk schrijf u over factuur {INVOICE}. Ik heb op {DATE} {AMOUNT} "
        "overgemaakt vanaf rekening {IBAN} en toch een aanmaning ontvangen.\n\nHoogachtend,\n"
        "{P1:sig}\n{ADDRESS:block}\n{PHONE}",
    ),
    T(
        "email",
        "Hoi {P1:given},\n\nwe konden op {DATE} geen {AMOUNT} incasseren van IBAN {IBAN:wrap}. "
        "Controleer je gegevens of bel ons op {PHONE}.",
    ),
    T(
        "ticket_note",
        "Notitie van {P2:full}: {P1:formal} wil vanaf {MONTH} alle post op {ADDRESS} ontvangen.",
    ),
    T(
        "cc_header",
        "Doorgestuurd naar {P2:full} en {P3:full}.\n-------- Oorspronkelijk bericht --------\n"
        "Van: {EMAIL}\nVerzonden: {TIMESTAMP}\nIP: {IP}\n\nwaar blijft mijn pakket?? {REF}",
    ),
    T(
        "ticket_note",
        "Het pakket is om {TIME} aangenomen door de buurvrouw ({P3:full}), track-and-trace {TRACKING}.",
    ),
    T(
        "letter",
        "Geachte {P1:formal},\nuw contract {CUSTNO} loopt af op {DATE}. Verlengen? Bel {PHONE} "
        "({WEEKDAY} t/m {WEEKDAY}, {TIME}-{TIME}) of mail naar {EMAIL:role}.",
    ),
    T("ticket_note", "{P1:full} heeft gebeld. Wil teruggebeld worden op {PHONE} na {TIME}, over {REF}."),
    T(
        "security_log",
        "Versie {VERSION} van de app crasht bij {P1:full} op een {PRODUCT}; logs bijgevoegd, "
        "IP van het apparaat {IP:v6}, modem {IP:v4}.",
    ),
    T(
        "chat",
        "ik heb gisteren met {P2:given} en vandaag met {P3:full} gesproken, niemand kon me helpen. "
        "mijn nummer: {PHONE}",
    ),
    T(
        "ticket_note",
        "Dossier in behandeling bij {P2:formal}. Klant: {P1:surname_first}, tel. {PHONE}, "
        "legitimatie gecontroleerd.",
    ),
    T("signature", "--\n{P2:sig}\nKlantenservice — {COMPANY}\nDirect: {PHONE:land}\n{ADDRESS}"),
    T(
        "contact_list",
        "Deelnemers: {P1:full}, {P2:full} en {P3:formal}. Inbellen: {PHONE:land}, pincode {YEAR}#.",
    ),
)

NEGATIVE = (
    T(
        "email",
        "Hallo, bestelling {ORDER} is op {DATE} verzonden, track-and-trace {TRACKING}. Totaal "
        "{AMOUNT} incl. btw.",
    ),
    T(
        "ticket_note",
        "Ticket {TICKET}: app-versie {VERSION} crasht op de {PRODUCT} sinds de update van "
        "{MONTH}. Build {HEX}.",
    ),
    T(
        "letter",
        "Factuur {INVOICE} van {DATE} over {AMOUNT} moet uiterlijk {DATE} betaald zijn. Vermeld "
        "klantnummer {CUSTNO} bij betaling.",
    ),
    T(
        "email",
        "Beste team,\nhet pakket voor {POSTCODE} {CITY} ligt sinds {WEEKDAY} stil in het depot. "
        "Track-and-trace: {TRACKING}.\nMet vriendelijke groet,\nKlantenservice",
    ),
    T(
        "security_log",
        "[{TIMESTAMP}] status=bezorgd artikel={SKU} aantal=2 prijs={AMOUNT} korting={PERCENT} trace={HEX}",
    ),
    T(
        "email",
        "Uw {PRODUCT} (serienummer {SERIAL}) heeft garantie tot {MONTH} {YEAR}. Firmware {VERSION} "
        "lost het laadprobleem op.",
    ),
    T("sms", "Levering op {STREET}, {ROOM} staat gepland op {DATE} tussen {TIME} en {TIME}."),
    T(
        "payment",
        "Betaling van {AMOUNT} ontvangen met kaart {MASKED} op {DATE}. Referentie {ORDER}. Bedankt "
        "voor uw aankoop bij {COMPANY}!",
    ),
    T(
        "address_block",
        "Afleveradres: {ADDRESS}. Tijdvak: {WEEKDAY} {TIME}-{TIME}. Graag afgeven bij de receptie.",
    ),
    T("chat", "Volg de reparatie via {URL} – status per {TIMESTAMP}: wacht op onderdeel ({SKU})."),
    T(
        "signature",
        "Onze gegevens: {COMPANY}, btw-nummer {VAT}, BIC {BIC}. De Klantenservice is open van "
        "{WEEKDAY} t/m {WEEKDAY}, {TIME}-{TIME}.",
    ),
    T("chat", "EAN {EAN} / artikelnr. {SKU} is weer op voorraad in {CITY}: {PERCENT} korting tot {DATE}."),
    T(
        "chat",
        "Hallo Klantenservice, mijn {PRODUCT} van {COMPANY} laadt niet meer op. Gekocht in {MONTH} "
        "{YEAR} voor {AMOUNT}, {REF}.",
    ),
    T(
        "ticket_note",
        "Zaak {TICKET} samengevoegd met {TICKET}. SLA met 2 uur overschreden; prioriteit "
        "verhoogd naar P2 op {TIMESTAMP} (regel {VERSION}).",
    ),
    T(
        "email",
        "Goedemiddag, waarom staat er bij bestelling {ORDER} uit {MONTH} {PERCENT} btw? In {MONTH} "
        "was het {AMOUNT} minder. Groeten uit {CITY}",
    ),
)
