"""French templates (fr_FR); French typography puts a space before ':' '?' '!' ';'."""

from __future__ import annotations

from .base import T

PII = (
    T(
        "chat",
        "Bonjour, ici {P1:full}. J'ai commandé un {PRODUCT} le {DATE} (commande {ORDER}) et je ne l'ai "
        "toujours pas reçu. Vous pouvez me joindre au {PHONE}.",
    ),
    T(
        "chat",
        "C'est encore {P1:given} : mon nouveau portable est le {PHONE:mobile}, l'ancien ({PHONE}) ne "
        "marche plus.",
    ),
    T(
        "email",
        "Madame, Monsieur,\n\nj'ai transmis votre réclamation à {P3:full} du service facturation, qui "
        "vous rappellera au {PHONE} avant {WEEKDAY}.\n\nCordialement,\n{P2:sig}\nService Client\n"
        "{COMPANY}",
    ),
    T(
        "ticket_note",
        "Client appelé depuis le {PHONE} à {TIME}. Échange avec {P1:full} ; titulaire du "
        "contrat : {P2:formal}. Remboursement de {AMOUNT} accordé, ticket {TICKET}.",
    ),
    T(
        "call_transcript",
        "Conseiller : Puis-je avoir votre nom complet ?\nAppelant : Oui, {P1:full}.\n"
        "Conseiller : Et un numéro où vous joindre ?\nAppelant : {PHONE}\nConseiller : "
        "Merci. Et l'adresse e-mail du compte ?\nAppelant : {EMAIL:P1}",
    ),
    T(
        "cc_header",
        "De : {P1:full} <{EMAIL:P1}>\nÀ : Service Client <{EMAIL:role}>\nCc : {P2:full} ; "
        "{P3:full} <{EMAIL:P3}>\nObjet : Facture {INVOICE} – montant erroné\n\nBonjour, la "
        "facture indique {AMOUNT} alors que mon forfait coûte {AMOUNT}.",
    ),
    T(
        "signature",
        "Bien cordialement,\n\n{P2:sig}\nResponsable grands comptes | {COMPANY}\nTél. : "
        "{PHONE:land}\nPortable : {PHONE:mobile}\nE-mail : {EMAIL:P2}",
    ),
    T(
        "address_block",
        "{P1:addr}\n{ADDRESS:block}\n\n{CITY}, le {DATE}\n\nObjet : votre commande {ORDER}\n\n"
        "Bonjour {P1:formal},\nnous sommes désolés que votre {PRODUCT} soit arrivé "
        "endommagé.",
    ),
    T(
        "payment",
        "Merci de rembourser les {AMOUNT} sur mon compte : IBAN {IBAN}, titulaire {P1:full}. Merci !",
    ),
    T(
        "payment",
        "Coordonnées bancaires pour le prélèvement SEPA\nTitulaire : {P1:surname_first}\nIBAN : "
        "{IBAN:wrap}\nBIC : {BIC}\nDate du mandat : {DATE}",
    ),
    T(
        "payment",
        "Ma carte {CARD} a été débitée deux fois le {DATE}, {AMOUNT} puis {AMOUNT}. Pouvez-vous "
        "vérifier ? – {P1:given}",
    ),
    T(
        "security_log",
        "Tentatives de connexion depuis {IP} et {IP:v6} bloquées le {TIMESTAMP}. Le compte "
        "appartient à {P1:full} ({EMAIL:P1}) ; version de l'appli {VERSION}.",
    ),
    T(
        "contact_list",
        "Contacts pour l'intervention du {DATE} :\n- {P1:full}, {PHONE}\n- {P2:formal} "
        "({PHONE:mobile})\n- {P3:initial} – {EMAIL:P3}",
    ),
    T(
        "sms",
        "Bonjour {P1:given}, votre technicien {COMPANY} passera {WEEKDAY} entre {TIME} et {TIME}. Une "
        "question ? SMS au {PHONE:mobile}.",
    ),
    T("chat", "{PHONE} : c'est à ce numéro qu'il faut me rappeler, pas celui du profil. Ticket {TICKET}."),
    T(
        "email",
        "Mon collègue {P2:full} (tél. {PHONE}) gère toutes les livraisons pour notre bureau de "
        "{CITY}, {ROOM}.",
    ),
    T(
        "ticket_note",
        "Escaladé à {P2:full}. {P1:formal} a appelé deux fois au sujet de {TICKET} ; rappel "
        "promis pour le {DATE}. Transféré à {P3:full}.",
    ),
    T(
        "call_transcript",
        "[{TIME}] Conseiller {P2:given} : {COMPANY} bonjour, à qui ai-je l'honneur ?\n"
        "[{TIME}] Client : {P1:lower}, mon numéro c'est le {PHONE} et mon mail {EMAIL:P1}",
    ),
    T(
        "email",
        "Bonjour,\nmerci de remplacer mon adresse e-mail {EMAIL} par {EMAIL:P1}. Mon numéro client "
        "est {CUSTNO}.\nMerci, {P1:full}",
    ),
    T(
        "form",
        "Nom : {P1:surname_first}\nE-mail : {EMAIL:P1}\nTéléphone : {PHONE}\nIBAN : {IBAN}\nAdresse IP "
        ": {IP}\nReçu le : {TIMESTAMP}",
    ),
    T("chat", "ok donc le mail c'est {EMAIL:P1} ; et le tel {PHONE} !! rappelez avant {TIME} svp"),
    T(
        "ticket_note",
        "Carte {MASKED} refusée au paiement ; le client a ensuite donné {CARD}. Vérifié par "
        "{P2:given} à {TIME}, commande {ORDER}.",
    ),
    T(
        "call_transcript",
        "L'appelant a indiqué {P1:full} comme titulaire et {P3:full} comme second contact ({PHONE}).",
    ),
    T(
        "letter",
        "Madame, Monsieur,\n\nje vous écris au sujet de la facture {INVOICE}. J'ai réglé {AMOUNT} "
        "par virement depuis le compte {IBAN} le {DATE}, et j'ai pourtant reçu une relance.\n\n"
        "Veuillez agréer mes salutations distinguées.\n{P1:sig}\n{ADDRESS:block}\n{PHONE}",
    ),
    T(
        "email",
        "Bonjour {P1:given},\n\nnous n'avons pas pu prélever {AMOUNT} sur l'IBAN {IBAN:wrap} le "
        "{DATE}. Merci de vérifier vos coordonnées ou de nous appeler au {PHONE}.",
    ),
    T(
        "ticket_note",
        "Note de {P2:full} : {P1:formal} souhaite recevoir tous les courriers au {ADDRESS} à "
        "partir de {MONTH}.",
    ),
    T(
        "cc_header",
        "Transféré à {P2:full} et {P3:full}.\n-------- Message d'origine --------\nDe : {EMAIL}\n"
        "Envoyé : {TIMESTAMP}\nIP : {IP}\n\nil est où mon colis ?? {REF}",
    ),
    T(
        "ticket_note",
        "Le colis a été réceptionné à {TIME} par une voisine (« {P3:full} »), numéro de suivi {TRACKING}.",
    ),
    T(
        "letter",
        "Bonjour {P1:formal},\nvotre contrat {CUSTNO} prend fin le {DATE}. Pour le renouveler, "
        "appelez le {PHONE} (du {WEEKDAY} au {WEEKDAY}, {TIME}-{TIME}) ou écrivez à {EMAIL:role}.",
    ),
    T("ticket_note", "{P1:full} a appelé. Souhaite être rappelé(e) au {PHONE} après {TIME}, concerne {REF}."),
    T(
        "security_log",
        "La version {VERSION} de l'appli plante chez {P1:full} sur un {PRODUCT} ; logs joints, "
        "IP de l'appareil {IP:v6}, box {IP:v4}.",
    ),
    T(
        "chat",
        "j'ai parlé avec {P2:given} hier et avec {P3:full} aujourd'hui, personne n'a pu m'aider. mon "
        "numéro : {PHONE}",
    ),
    T("chat", "Merci à {P2:formal} pour son aide ! Je recommande. — {P1:surname_first}, {CITY}"),
    T(
        "signature",
        "--\n{P2:sig}\nConseillère clientèle — {COMPANY}\nLigne directe : {PHONE:land}\n{ADDRESS}",
    ),
    T(
        "contact_list",
        "Participants : {P1:full}, {P2:full} et {P3:formal}. Numéro d'accès : {PHONE:land}, code {YEAR}#.",
    ),
)

NEGATIVE = (
    T(
        "email",
        "Bonjour, la commande {ORDER} a été expédiée le {DATE}, numéro de suivi {TRACKING}. Total "
        "{AMOUNT} TTC.",
    ),
    T(
        "ticket_note",
        "Ticket {TICKET} : la version {VERSION} de l'appli plante sur le {PRODUCT} depuis la "
        "mise à jour de {MONTH}. Build {HEX}.",
    ),
    T(
        "letter",
        "La facture {INVOICE} du {DATE} d'un montant de {AMOUNT} est à régler avant le {DATE}. Merci "
        "d'indiquer le n° client {CUSTNO}.",
    ),
    T(
        "email",
        "Bonjour l'équipe,\nle colis pour {POSTCODE} {CITY} est bloqué au dépôt depuis {WEEKDAY}. "
        "Suivi : {TRACKING}.\nCordialement,\nService Client",
    ),
    T(
        "security_log",
        "[{TIMESTAMP}] statut=livré article={SKU} qté=2 prix={AMOUNT} remise={PERCENT} trace={HEX}",
    ),
    T(
        "email",
        "Votre {PRODUCT} (n° de série {SERIAL}) est garanti jusqu'en {MONTH} {YEAR}. Le firmware "
        "{VERSION} corrige le problème de charge.",
    ),
    T("sms", "Livraison au {STREET}, {ROOM}, prévue le {DATE} entre {TIME} et {TIME}."),
    T(
        "payment",
        "Paiement de {AMOUNT} reçu par carte {MASKED} le {DATE}. Référence {ORDER}. Merci pour "
        "votre achat chez {COMPANY} !",
    ),
    T(
        "address_block",
        "Adresse de livraison : {ADDRESS}. Créneau : {WEEKDAY} {TIME}-{TIME}. Merci de déposer à l'accueil.",
    ),
    T("chat", "Suivez la réparation sur {URL} – état au {TIMESTAMP} : en attente de pièce ({SKU})."),
    T(
        "signature",
        "Nos coordonnées : {COMPANY}, TVA intracommunautaire {VAT}, BIC {BIC}. Le Service Client "
        "est ouvert du {WEEKDAY} au {WEEKDAY}, de {TIME} à {TIME}.",
    ),
    T("chat", "EAN {EAN} / réf. {SKU} de nouveau en stock à {CITY} : {PERCENT} de remise jusqu'au {DATE}."),
    T(
        "chat",
        "Bonjour le Service Client, mon {PRODUCT} de chez {COMPANY} ne charge plus. Acheté en {MONTH} "
        "{YEAR} pour {AMOUNT}, {REF}.",
    ),
    T(
        "ticket_note",
        "Dossier {TICKET} fusionné avec {TICKET}. SLA dépassé de 2 h ; priorité passée à P2 le "
        "{TIMESTAMP} (règle {VERSION}).",
    ),
    T(
        "email",
        "Madame, Monsieur, pourquoi la commande {ORDER} de {MONTH} affiche-t-elle {PERCENT} de TVA ? "
        "En {MONTH} c'était {AMOUNT} de moins. Salutations de {CITY}",
    ),
)
