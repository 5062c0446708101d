"""English templates (en_US and en_GB; a few are limited to one of them)."""

from __future__ import annotations

from .base import T

PII = (
    T(
        "chat",
        "Hi, this is {P1:full}. I ordered a {PRODUCT} on {DATE} (order {ORDER}) and it still hasn't "
        "arrived. You can reach me on {PHONE}.",
    ),
    T(
        "chat",
        "{P1:given} here again - my new mobile is {PHONE:mobile}, the old one ({PHONE}) doesn't work "
        "anymore.",
    ),
    T(
        "email",
        "Dear {P1:formal},\n\nThank you for your patience. I have forwarded your complaint to "
        "{P3:full} in our billing team, who will call you back on {PHONE} before {WEEKDAY}.\n\nKind "
        "regards,\n{P2:sig}\nCustomer Service\n{COMPANY}",
    ),
    T(
        "ticket_note",
        "Customer called from {PHONE} at {TIME}. Spoke with {P1:full}; account holder is "
        "{P2:formal}. Refund of {AMOUNT} approved, ref {TICKET}.",
    ),
    T(
        "call_transcript",
        "Agent: Can I take your full name, please?\nCaller: Yes, it's {P1:full}.\nAgent: "
        "And the best number to reach you?\nCaller: {PHONE}\nAgent: Thanks. And the e-mail "
        "on the account?\nCaller: {EMAIL:P1}",
    ),
    T(
        "cc_header",
        "From: {P1:full} <{EMAIL:P1}>\nTo: Customer Service <{EMAIL:role}>\ncc: {P2:full}; "
        "{P3:full} <{EMAIL:P3}>\nSubject: Invoice {INVOICE} - wrong amount\n\nHello, the invoice "
        "shows {AMOUNT} but my plan costs {AMOUNT}.",
    ),
    T(
        "signature",
        "Best regards,\n\n{P2:sig}\nSenior Account Manager | {COMPANY}\nT: {PHONE:land}\nM: "
        "{PHONE:mobile}\nE: {EMAIL:P2}",
    ),
    T(
        "address_block",
        "{P1:addr}\n{ADDRESS:block}\n\n{DATE}\n\nRe: your order {ORDER}\n\nDear {P1:formal},\n"
        "we are sorry that your {PRODUCT} arrived damaged.",
    ),
    T("payment", "Please refund the {AMOUNT} to my account: IBAN {IBAN}, account holder {P1:full}. Thanks!"),
    T(
        "payment",
        "Bank details for the direct debit\nAccount holder: {P1:surname_first}\nIBAN: {IBAN:wrap}\n"
        "BIC: {BIC}\nMandate date: {DATE}",
    ),
    T(
        "payment",
        "I was charged twice on my card {CARD} on {DATE}. Could you check? The two amounts were "
        "{AMOUNT} and {AMOUNT}. - {P1:given}",
    ),
    T(
        "security_log",
        "Login attempts from {IP} and {IP:v6} were blocked at {TIMESTAMP}. The account belongs "
        "to {P1:full} ({EMAIL:P1}); app version {VERSION}.",
    ),
    T(
        "ticket_note",
        "For the W-9 we need the SSN of the account holder. {P1:full} gave {SSN} over the phone "
        "on {DATE}; please verify before {WEEKDAY}.",
        "en_US",
    ),
    T(
        "form",
        "Name: {P1:surname_first}\nSSN: {SSN}\nPhone: {PHONE}\nEmail: {EMAIL:P1}\nZIP: {POSTCODE}\n"
        "Employer EIN: {VAT}",
        "en_US",
    ),
    T(
        "contact_list",
        "Contacts for the site visit on {DATE}:\n- {P1:full}, {PHONE}\n- {P2:formal} "
        "({PHONE:mobile})\n- {P3:initial} - {EMAIL:P3}",
    ),
    T(
        "sms",
        "Hi {P1:given}, your {COMPANY} engineer will arrive between {TIME} and {TIME}. Questions? Text "
        "{PHONE:mobile}.",
    ),
    T("chat", "{PHONE} - that's the number to call me on, not the one in my profile. Ticket {TICKET}."),
    T("email", "My colleague {P2:full} (tel. {PHONE}) handles all deliveries to our {CITY} office, {ROOM}."),
    T(
        "ticket_note",
        "Escalated to {P2:full}. {P1:formal} called twice about {TICKET}; promised a callback "
        "on {DATE}. Forwarded to {P3:full}.",
    ),
    T(
        "call_transcript",
        "[{TIME}] Agent {P2:given}: Thanks for calling {COMPANY}, who am I speaking with?\n"
        "[{TIME}] Customer: {P1:lower}, my number is {PHONE} and my email is {EMAIL:P1}",
    ),
    T(
        "email",
        "Hello,\nplease change my e-mail address from {EMAIL} to {EMAIL:P1}. My customer number is "
        "{CUSTNO}.\nThanks, {P1:full}",
    ),
    T(
        "form",
        "Name: {P1:full}\nE-mail: {EMAIL:P1}\nPhone: {PHONE}\nIBAN: {IBAN}\nIP: {IP}\nSubmitted: {TIMESTAMP}",
    ),
    T("chat", "ok so it's {EMAIL:P1}; and the phone is {PHONE}!! pls call before {TIME}"),
    T(
        "ticket_note",
        "Card {MASKED} declined at checkout; the customer then gave {CARD} instead. Verified by "
        "{P2:given} at {TIME}, order {ORDER}.",
    ),
    T(
        "call_transcript",
        "Caller gave {P1:full} as the account holder and {P3:full} as the second contact ({PHONE}).",
    ),
    T(
        "letter",
        "Dear Sir or Madam,\n\nI am writing about invoice {INVOICE}. I paid {AMOUNT} by bank "
        "transfer from {IBAN} on {DATE}, yet I received a reminder.\n\nYours faithfully,\n{P1:sig}\n"
        "{ADDRESS:block}\n{PHONE}",
    ),
    T(
        "payment",
        "Please pay into our account, sort code {SORTCODE}, or by IBAN {IBAN}. Reference: "
        "{INVOICE}. Any questions, ask for {P2:formal} on {PHONE:land}.",
        "en_GB",
    ),
    T(
        "email",
        "Hi {P1:given},\n\nwe could not collect {AMOUNT} from IBAN {IBAN:wrap} on {DATE}. Please "
        "check your details or call us on {PHONE}.",
    ),
    T(
        "ticket_note",
        "Note from {P2:full}: {P1:formal} wants all letters sent to {ADDRESS} from {MONTH} onwards.",
    ),
    T(
        "cc_header",
        "Forwarded to {P2:full} and {P3:full}.\n---------- Original message ----------\nFrom: "
        "{EMAIL}\nSent: {TIMESTAMP}\nIP: {IP}\n\nwhere is my parcel?? {REF}",
    ),
    T("ticket_note", "The parcel was signed for by a neighbour ({P3:full}) at {TIME}, tracking {TRACKING}."),
    T(
        "letter",
        "Dear {P1:formal},\nyour contract {CUSTNO} ends on {DATE}. To renew, call us on {PHONE} "
        "({WEEKDAY} to {WEEKDAY}, {TIME}-{TIME}) or write to {EMAIL:role}.",
    ),
    T("ticket_note", "{P1:full} called. Wants a callback on {PHONE} after {TIME}, re {REF}."),
    T(
        "security_log",
        "Version {VERSION} of the app crashes for {P1:full} on a {PRODUCT}; logs attached, "
        "device IP {IP:v6}, router {IP:v4}.",
    ),
    T(
        "call_transcript",
        "Hi, I'm {P1:full}, SSN {SSN}, calling about the {AMOUNT} charge on my card {CARD}.",
        "en_US",
    ),
    T(
        "chat",
        "my social is {SSN} and the card was opened in {MONTH} {YEAR}. name on the account: {P1:lower}",
        "en_US",
    ),
    T(
        "letter",
        "Re: 1099 correction for {P1:formal}\n\nThe TIN on file ({SSN}) does not match the IRS "
        "record. Please confirm it by calling {PHONE:land} or reply to {EMAIL:role}.",
        "en_US",
    ),
    T(
        "chat",
        "i spoke with {P2:given} yesterday and {P3:full} today, neither of them could help. my number: "
        "{PHONE}",
    ),
    T(
        "signature",
        "Thanks,\n{P2:given}\n\n--\n{P2:sig} | Support Lead\n{COMPANY} | {ADDRESS}\nDirect: "
        "{PHONE:land} | Mobile: {PHONE:mobile}",
    ),
    T("contact_list", "Attendees: {P1:full}, {P2:full} and {P3:formal}. Dial-in: {PHONE:land}, PIN {YEAR}#."),
)

NEGATIVE = (
    T(
        "email",
        "Hi team, order {ORDER} was shipped on {DATE}, tracking number {TRACKING}. Total {AMOUNT} incl. VAT.",
    ),
    T(
        "ticket_note",
        "Ticket {TICKET}: app version {VERSION} crashes on the {PRODUCT} after the {MONTH} "
        "update. Build {HEX}.",
    ),
    T(
        "letter",
        "Invoice {INVOICE} dated {DATE} for {AMOUNT} is due on {DATE}. Please quote customer no. "
        "{CUSTNO} with your payment.",
    ),
    T(
        "email",
        "Dear Team,\nthe parcel to {CITY} ({POSTCODE}) has been stuck in the depot since {WEEKDAY}. "
        "Tracking: {TRACKING}.\nKind regards,\nCustomer Service",
    ),
    T(
        "security_log",
        "[{TIMESTAMP}] status=delivered item={SKU} qty=2 price={AMOUNT} discount={PERCENT} trace={HEX}",
    ),
    T(
        "email",
        "Your {PRODUCT} (serial {SERIAL}) is under warranty until {MONTH} {YEAR}. Firmware {VERSION} "
        "fixes the charging issue.",
    ),
    T("sms", "The delivery to {ROOM}, {STREET} is scheduled for {DATE} between {TIME} and {TIME}."),
    T(
        "payment",
        "Payment of {AMOUNT} received by card {MASKED} on {DATE}. Reference {ORDER}. Thank you for "
        "shopping with {COMPANY}!",
    ),
    T(
        "address_block",
        "Delivery address: {ADDRESS}. Delivery slot: {WEEKDAY} {TIME}-{TIME}. Please leave it "
        "with reception.",
    ),
    T("chat", "You can track the repair at {URL} - status as of {TIMESTAMP}: waiting for parts ({SKU})."),
    T(
        "signature",
        "Our company details: {COMPANY}, VAT {VAT}, BIC {BIC}. Customer Service is open {WEEKDAY} "
        "to {WEEKDAY}, {TIME}-{TIME}.",
    ),
    T("chat", "EAN {EAN} / item {SKU} is back in stock in {CITY}: {PERCENT} off until {DATE}."),
    T(
        "chat",
        "Hi Customer Service, my {PRODUCT} from {COMPANY} stopped charging. I bought it in {MONTH} "
        "{YEAR} for {AMOUNT}, {REF}.",
    ),
    T(
        "ticket_note",
        "Case {TICKET} merged into {TICKET}. SLA breached by 2h; priority raised to P2 at "
        "{TIMESTAMP} (rule {VERSION}).",
    ),
    T(
        "payment",
        "Refund of {AMOUNT} sent to sort code {SORTCODE} on {DATE}; allow 3-5 working days. {REF}.",
        "en_GB",
    ),
    T(
        "email",
        "Dear Team, may I ask why order {ORDER} from {MONTH} shows {PERCENT} tax? In {MONTH} it was "
        "{AMOUNT} less. Regards, a customer in {CITY}",
    ),
    T(
        "form",
        "Company EIN {VAT}, ZIP {POSTCODE}; wire ref {HEX}. Contact Customer Service for W-9 copies.",
        "en_US",
    ),
)
