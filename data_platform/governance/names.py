"""Person names anywhere in a sentence, not only after a cue.

A candidate is a run of capitalised words (hyphenated ones, initials, ALL-CAPS surnames of a
signature block) joined by the particles of multi-part surnames (van, de, von, del, van der, en
van, ...), perhaps after a title (Dr., Dipl.-Ing., Sig.ra, Mme, Dña., mevrouw, ...) or in the
"Surname, Given" order. Only the name is marked, never the title. Words before the first known
name word ("Nota de Miguel ...", "Hola Estrella") are cut off and read as context. It is a name
when it is not all common words, not a street named after someone ("rue Victor Hugo"), and:

- a title stands before it (a name of one or two words, or ending in a known surname); or
- a known given name is followed by one more word that is not a common word ("Peter Green"),
  or by more words ending in a known surname ("Maja Mercedes Hornig", "Miguel Múñiz y Anguita");
- an initial is followed by a surname ("A. Dovara", "F. von der Keudel");
- a known given name stands next to an ALL-CAPS or known surname ("GAUTHIER Patrick");
- it is "Surname, Given" with a known given name; or
- a greeting, a name word or a verb people put names after comes just before it ("Hola
  Estrella", "I spoke with Peter", "Mijn collega Zansi Pall", a sign-off "- James").

The gazetteer is the union of the given names and surnames of Faker's person providers for 26
European and American locales (lists compiled from national statistics and kept by the Faker
project): about 8,000 given names and 10,000 surnames, lower-cased.
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Callable

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

# Latin-script locales whose person providers feed the gazetteer.
GAZETTEER_LOCALES = (
    "en_US", "en_GB", "en_IE", "en_CA", "en_AU", "de_DE", "de_AT", "de_CH", "fr_FR", "fr_CH", "fr_CA",
    "es_ES", "es_MX", "it_IT", "nl_NL", "nl_BE", "pt_PT", "pt_BR", "sv_SE", "da_DK", "fi_FI", "pl_PL",
    "cs_CZ", "ro_RO", "hu_HU", "tr_TR",
)  # fmt: skip
TITLES = (
    r"Dr\.?|Dra\.?|Prof\.?|Pr\.?|Dipl\.-[\p{L}]+\.?|Ing\.?|Mag\.?|Herr|Frau|Hr\.|Fr\.|Mr\.?|Mrs\.?|Ms\.?|"
    r"Mx\.?|Miss|Sir|Dame|Sig\.ra|Sig\.na|Sig\.|[Ss]ignor|[Ss]ignora|Dott\.ssa|Dott\.|Avv\.|Geom\.|Rag\.|"
    r"Mme\.?|Mlle\.?|Monsieur|Madame|M\.|Sr\.|Sra\.|Srta\.|[Ss]eñor|[Ss]eñora|D\.|Dña\.|Don|Doña|"
    r"[Dd]hr\.|[Mm]evr\.|[Mm]w\.|[Mm]evrouw|[Mm]eneer|[Mm]ijnheer|[Dd]e heer|[Hh]eer|[Ii]r\.|[Dd]rs\.|mr\."
)
PARTICLES = (
    r"van der|van den|van de|van het|von der|von und zu|de la|de los|de las|del|della|delle|dei|"
    r"degli|van|von|vom|zum|zur|zu|auch|de|di|da|dos|das|do|du|des|le|la|ter|ten|den|der|y|e|en|'t|op|"
    r"in 't"
)
PARTICLE_WORDS = frozenset(PARTICLES.replace("|", " ").split())
LOWER_PARTICLES = frozenset(
    ("de", "del", "della", "di", "da", "van", "von", "du", "des", "la", "le", "y", "e", "en")
)
# Latin letters written out as classes: with Unicode's \p{Lu}/\p{L} the regex engine leaves its
# fast automaton, and name matching ran at 1.2 MB/s instead of about 10. Latin-1 and Latin
# Extended-A cover the names of the European locales; other scripts are not matched here.
UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ"
LETTER = "A-Za-zÀ-ÖØ-öø-ÿĀ-ſ'’"
# A word of letters starting with a capital (hyphenated, ALL-CAPS or mixed: "Smith-Simpson",
# "GAUTHIER", "McDonald", "PhD"), or an initial ("J.", "Hans-H."): degrees are trimmed later.
WORD = rf"(?:[{UPPER}]\.|[{UPPER}][{LETTER}]*(?:-(?:[{UPPER}]\.|[{UPPER}][{LETTER}]*))*)"
PARTICLE = rf"(?:(?:{PARTICLES}|Van der|Van den|Van de|Van|Von|De|Di|Da|Del|Della|La|Le|Ter|Ten) )"
# A middle initial may come without its dot ("Szabina J Gelencsér"), a particle with an
# apostrophe ("Clémence d'Jean").
# Up to eight words: two names joined by "y" or "en" are cut apart later (_split_conjoined).
NAME_SEQUENCE = rf"{WORD}(?: (?:[{UPPER}] )?{PARTICLE}*(?:[dD]['’])?{WORD}){{0,7}}"
# "Surname, Given" as forms and account holders write it, particles included ("Werl-Arnsberg,
# van, Yfke", "de los Dávila Pi, José María").
INVERTED = rf"{PARTICLE}*{WORD}(?: {WORD}){{0,2}}, (?:(?:{PARTICLES}), )?{WORD}(?: {WORD})?"
# Words right before a name that make it one: greetings, name words, verbs people put names
# after, the speaker or colleague words of transcripts and notes, a dash sign-off.
NAME_CUES = (
    r"(?i)(?:(?:^|[^\p{L}])(?:hi|hello|hey|dear|thanks|thank you|cheers|regards|ciao|hallo|liebe[rs]?|"
    r"geehrte[rs]?|bonjour|cher|chère|salut|hola|estimad[oa]|querid[oa]|gentile|caro|cara|beste|hoi|"
    r"geachte|dag|name(?: is)?|named|called|i am|i'm|this is|it's|spoke (?:with|to)|talked to|"
    r"speak to|ask for|signed|cc|soy|sono|ich bin|je suis|"
    r"ik ben|c'est|weer|di nuovo|otra vez|sprach mit|gesprochen mit|parlé avec|hablé con|"
    r"parlato con|gesproken met|collega|colleague|kollege|kollegin|collègue|compañer[oa]|agent|"
    r"conseiller|conseillère|berater|beraterin|asesor|asesora|consulente|"
    r"agente|operatore|medewerker|notiz von|nota de|nota di|note from|notitie van|holder|inhaber|"
    r"titulaire|titular|intestatario|houder|note by|written by|signed by|"
    # thanks and sign-offs of the seven languages
    r"merci|danke|gracias|grazie|bedankt|dank u|dank je|faithfully|sincerely|best wishes|"
    r"grüßen|grüße|gruß|cordialement|bien à vous|atentamente|saludos|un saludo|saluti|"
    r"groet|groeten|hallo,? met|"
    # who a case was passed to, who checked it ("forwarded your complaint to", "vérifié par")
    r"(?:forwarded|transferred|escalated|passed|handed over|assigned|referred|sent)(?: \p{L}+){0,3} to|"
    r"(?:weitergeleitet|übergeben|eskaliert|gesendet)(?: \p{L}+){0,3} an|"
    r"(?:transféré|transmis|escaladé|envoyé)(?: \p{L}+){0,3} à|"
    r"(?:reenviado|transferido|escalado|enviado|remitido)(?: \p{L}+){0,3} a|"
    r"(?:inoltrato|trasferito|girato|inviato|passato)(?: \p{L}+){0,3} a|"
    r"(?:doorgestuurd|overgedragen|geëscaleerd|gestuurd)(?: \p{L}+){0,3} naar|"
    r"(?:verified|checked|approved|handled|confirmed|answered) by|"
    r"(?:geprüft|verifiziert|bestätigt|bearbeitet) von|(?:vérifié|validé|approuvé|traité) par|"
    r"(?:verificado|comprobado|aprobado|atendido) por|(?:verificato|controllato|approvato|gestito) da|"
    r"(?:gecontroleerd|geverifieerd|goedgekeurd|behandeld) door|"
    # whose words these are, who to contact
    r"according to|laut|selon|según|secondo|volgens|contact person|ansprechpartner(?:in)?|"
    r"interlocuteur|referente|contactpersoon|geschäftsführer(?:in)?|managing director|ceo)"
    r"\s*[,:]?\s*[„“\"']?|(?:^|\n)\s*[-–—]\s*|"
    # the names in a list of people ("Attendees: Carole Smith, Timothy Hart and ...")
    r"(?:attendees|participants|participantes|teilnehmer|deelnemers|asistentes|partecipanti)\s*:"
    r"(?:[^\n]*(?:,|\band|\bund|\bet|\by|\be|\ben))?\s*)$"
)
# "I am" and its kin come before states as often as before names ("I am Sorry", "C'est
# Parfait"): a cue only for a name some list knows, or for two words.
SELF_INTRO = r"(?i)(?:^|[^\p{L}])(?:i am|i'm|this is|it's|soy|sono|ich bin|je suis|ik ben|c'est)\s*[,:]?\s*$"
# A role word and a colon: a speaker label, not a cue for the next word.
SPEAKER_COLON = (
    r"(?i)(?:agent|agente|operatore|medewerker|conseiller|conseillère|berater|beraterin|asesor|"
    r"asesora|consulente|caller|anrufer|appelant|beller|cliente|client|kunde|klant|customer)\s*:\s*$"
)
# Words and marks before a name that make a known given name or surname one, but not just any
# capitalised words (a company "from Acme Home Services"): prepositions, list separators, a
# sign-off dash after a sentence.
WEAK_NAME_CUES = (
    r"(?i)(?:(?:^|[^\p{L}])(?:by|with|and|par|avec|et|por|con|door|met|mit|"
    r"und|verified by|vérifié par|verificado por|verificato da|geprüft von|gecontroleerd door|"
    r"nom|nombre|nome|naam|name|asistentes|participants|partecipanti|teilnehmer|deelnemers)"
    r"\s*[,:]?\s*|[.?!]\s*[-–—]\s*)$"
)
# Street and firm words Faker's lists lack: abbreviations, and the words firms are named with.
STREET_AND_FIRM_WORDS = """
    u. ul. str. St. Rd. Ave. Av. Blvd. Ln. Pl. Sq. St Rd Ave Blvd Ln Sq
    Investments Associates Partners Holdings Orchestra Foundation Institute University Hotel
    Research Lines Labs Systems Solutions Technologies Services Consulting Bank Insurance
    Airlines Motors Pharma Capital Ventures Media Studios Logistics
"""
# A word ending in one of these is a street ("Beerninckstraat", "Königsallee"); no surname does.
COMPOUND_STREET_ENDINGS = (
    r"(?:straat|straße|strasse|gasse|laan|plein|gracht|allee|platz|vej|gatan|vägen|utca|ulica)$"
)
# Words before a place: a lone given name after one is a town ("to Charlotte", "de Vigo").
PLACE_WORDS = (
    r"in|to|from|at|near|via|de|desde|en|hacia|a|à|au|vers|nach|aus|bei|in der|naar|uit|bij|"
    r"da|di|per|verso|office in|büro in|bureau de|oficina de|ufficio di|kantoor in"
)
# Street words: the name after one is a street's ("rue Victor Hugo", "Via Garibaldi").
STREET_BEFORE = (
    r"(?i)(?:^|[^\p{L}])(?:rue|rua|travessa|avenue|av\.|boulevard|bd|place|quai|impasse|allée|via|viale|piazza|corso|largo|calle|"
    r"avenida|paseo|plaza|ronda|straße|strasse|str\.|weg|platz|allee|gasse|straat|laan|plein|gracht|"
    r"street|st\.|road|rd\.|square|lane|drive|hotel|restaurant|caffè|café|santa|san|saint|st)"
    r"\s+(?:(?:de|del|de la|di|della|dei|degli|delle|dello|du|des|van|von|der)\s+)*$"
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Titles and degrees: never the name a title stands before ("Herr Dipl.-Ing. Korut").
TITLE_AND_DEGREE_WORDS = _words(
    """
    mr mrs ms mx dr dra prof pr sir madam dipl ing herr frau hr fr miss dame sig signor signora
    dott avv geom rag mme mlle sr sra srta don doña dña dhr mevr mw mevrouw meneer mijnheer ir drs
    phd msc bsc mba esq jr md llm meng beng ba ma mag
    """
)
# Articles, pronouns, conjunctions and the like of the seven languages: never a name, not even
# after a title ("Sir Or Madam").
FUNCTION_WORDS = _words(
    """
    the a an and or but if in on at to for of with from by as is it this that these those
    we you they he she i my our your his her their me us them who what when where why how
    can could will would may might must shall should do does did not no yes ok okay also
    der die das den dem des ein eine einen im am um und oder aber ich wir sie er es mein
    le la les un une des du au aux et ou mais je nous vous il elle ils mon ma mes
    el los las una unos unas y o pero yo nosotros usted mi mis su sus del al
    il lo gli uno una e o ma io noi lei mio mia suo sua dei della
    alla allo alle agli ai al nella nello nelle negli nel dalla dallo dalle dagli dai dal
    sulla sullo sulle sugli sui sul per con tra fra
    het een en of maar ik wij u mijn uw zijn haar
    """
)
# Capitalised words common in support text (greetings, articles, months, weekdays, company and
# product words, in the seven languages) that never make a name on their own.
NOT_NAMES = (
    _words(
        """
    hi hello hey dear thanks thank regards best kind yours sincerely cheers please welcome
    hallo liebe lieber liebes sehr geehrte geehrter guten tag morgen abend viele grüße gruß
    bonjour bonsoir cher chère salut merci cordialement madame monsieur
    hola estimado estimada querido querida buenos buenas días saludos gracias atentamente
    ciao gentile caro cara buongiorno buonasera grazie saluti cordiali distinti
    hoi beste geachte dag goedemorgen goedemiddag groeten bedankt vriendelijke met
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    januar februar märz mai juni juli oktober dezember janvier février mars avril juin juillet
    août septembre octobre novembre décembre enero febrero marzo abril mayo junio julio agosto
    septiembre octubre noviembre diciembre gennaio febbraio aprile maggio giugno luglio
    settembre ottobre dicembre januari februari maart mei augustus
    monday tuesday wednesday thursday friday saturday sunday today tomorrow yesterday
    montag dienstag mittwoch donnerstag freitag samstag sonntag heute
    lundi mardi mercredi jeudi vendredi samedi dimanche aujourd'hui demain
    lunes martes miércoles jueves viernes sábado domingo hoy mañana
    lunedì martedì mercoledì giovedì venerdì sabato domenica oggi domani
    maandag dinsdag woensdag donderdag vrijdag zaterdag zondag vandaag morgen
    service support team customer customers client clients manager sales billing account
    order orders invoice payment delivery shipping office department help desk center centre
    kundenservice kundendienst abteilung servizio clienti assistenza servicio atención
    klantenservice afdeling équipe
    street road avenue lane drive square park hill mount north south east west new old general
    bank card phone email mail online app website account iban bic vat pin gmbh srl sarl ltd
    inc llc bv nv ag spa sa
    all everyone there here questions question subject re fwd note numero número cliente spoke
    kollege kollegin collega colleague collègue compañero compañera nachbar nachbarin vecina vecino
    voisin voisine vicino vicina buurman buurvrouw neighbour neighbor zusammen alle tous todos tutti
    allemaal everyone everybody folks guys team equipo équipe squadra damen herren dames heren
    signore signori señores señoras messieurs mesdames ladies gentlemen
    nota notiz notitie user answer agent agente operatore medewerker conseiller conseillère berater
    beraterin asesor asesora consulente kunde klant client caller beller anrufer appelant titular
    titulaire inhaber kontoinhaber rekeninghouder intestatario soy sono weer c'est name naam nom
    nombre nome calle via rue strasse straße straat avenida avenue plaza piazza paseo ronda corso
    viale room zimmer stanza chambre kamer habitación suite floor piso etage spett.le spettabile
    compostela
    english german french spanish italian dutch american british european chinese japanese
    indian canadian australian mexican brazilian russian polish turkish swiss austrian belgian
    irish scottish welsh greek portuguese swedish danish norwegian finnish african asian
    """
    )
    | FUNCTION_WORDS
    | TITLE_AND_DEGREE_WORDS
)
# Given names that are also common words or places ("Mark", "Grace", "Paris"): a name only
# before a known surname ("Mark Hendrix", "Guy Dubois"), or after a title or cue.
AMBIGUOUS_GIVEN = _words(
    """
    will mark bill rose hope grace joy faith sunny summer winter autumn spring art ray guy
    china jordan paris sydney florence victoria georgia virginia carolina madison austin dallas
    santiago mia
    """
)
NOT_NAMES |= AMBIGUOUS_GIVEN
# Titles written as capitalised words, which may stand inside a run of them ("Then Sir
# Gawaine", "Poor Miss Murdstone"): the name starts after the last one.
TITLE_WORDS = _words(
    """
    mr mrs ms mx dr prof sir dame miss herr frau monsieur madame signor signora don doña
    señor señora mevrouw meneer mijnheer
    """
)
TITLE_BEFORE = rf"(?:^|[^\p{{L}}])(?:{TITLES})[ \t]+$"


@functools.cache
def gazetteer() -> tuple[frozenset[str], frozenset[str]]:
    """Lower-cased given names and surnames from Faker's person providers, without the common
    words."""
    given, surnames = _faker_names()
    return frozenset(given - NOT_NAMES), frozenset(surnames - NOT_NAMES)


@functools.cache
def _faker_names() -> tuple[frozenset[str], frozenset[str]]:
    """Every lower-cased given name and surname of Faker's person providers."""
    given: set[str] = set()
    surnames: set[str] = set()
    for locale in GAZETTEER_LOCALES:
        try:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        except ImportError:
            continue
        for attribute in ("first_names", "first_names_male", "first_names_female"):
            given |= {name.lower() for name in getattr(provider, attribute, ())}
        surnames |= {name.lower() for name in getattr(provider, "last_names", ())}
    return frozenset(given), frozenset(surnames)


@functools.cache
def street_and_firm_words() -> frozenset[str]:
    """Words that, right after a run of capitalised words, make it a street ("Marina Fort Street",
    "Király u. 15", "Erzsébet tér") or a firm ("Russell Investments", "Becker GmbH"): the street
    and company suffixes of Faker's address and company providers, as those lists write them
    (capitalised or not), and the usual abbreviations."""
    words: set[str] = set()
    for locale in GAZETTEER_LOCALES:
        for kind, attributes in (
            ("address", ("street_suffixes", "street_suffixes_long", "street_suffixes_short")),
            ("company", ("company_suffixes",)),
        ):
            try:
                provider = importlib.import_module(f"faker.providers.{kind}.{locale}").Provider
            except ImportError:
                continue
            for attribute in attributes:
                for suffix in getattr(provider, attribute, ()):
                    words |= set(suffix.split())
    # "and Sons", "e Filhos", "- EI": only the words that name a firm or street themselves
    named = {
        w for w in words if len(w.strip(".-&")) >= 2 and w.lower() not in FUNCTION_WORDS | PARTICLE_WORDS
    }
    return frozenset(named | set(STREET_AND_FIRM_WORDS.split()))


@functools.cache
def word_list(name: str) -> pl.Series:
    """A word set as a Series, built once (``is_in`` with a set rebuilds it on every call)."""
    given, surnames = gazetteer()
    sets = {
        "given": given,
        "surnames": surnames,
        "any_surname": _faker_names()[1],
        "known": given | surnames,
        "known_or_ambiguous": given | surnames | AMBIGUOUS_GIVEN,
        "not_names": NOT_NAMES,
        "leading": NOT_NAMES | LOWER_PARTICLES,
        "leading_loose": (NOT_NAMES - AMBIGUOUS_GIVEN) | LOWER_PARTICLES,
        "lower_particles": LOWER_PARTICLES,
        "title_words": TITLE_WORDS,
        "function_or_title": FUNCTION_WORDS | TITLE_AND_DEGREE_WORDS,
        "function": FUNCTION_WORDS - PARTICLE_WORDS,
        "ambiguous_given": AMBIGUOUS_GIVEN,
        "street_or_firm": street_and_firm_words(),
    }
    # imploded: one list value, which is_in reads as the set to look in
    return pl.Series(name, sorted(sets[name]), dtype=pl.String).implode()


def _lowered_words() -> pl.Expr:
    """The candidate's capitalised words (particles left out), lower-cased, without marks."""
    return (
        pl.col("value")
        .str.extract_all(r"\p{Lu}[\p{L}'’.-]*")
        .list.eval(pl.element().str.to_lowercase().str.strip_chars("'’.-,"))
    )


def _per_word(lists: pl.Series, function: Callable[[pl.Series], pl.Series]) -> pl.Series:
    """``function`` applied to every word of every list at once, on one flat column, and the
    results put back into lists: set lookups inside ``list.eval`` run list by list, 10x slower."""
    array = lists.rechunk().to_arrow()
    offsets = pc.subtract(array.offsets, array.offsets[0])
    values = function(pl.Series(array.flatten())).rechunk().to_arrow()
    return pl.Series(pa.LargeListArray.from_arrays(offsets, values))


def _in(name: str) -> Callable[[pl.Series], pl.Series]:
    """Whether a word is in the word set ``name``, as 0/1 (lists of it have an arg_max)."""
    return lambda words: words.is_in(word_list(name)).cast(pl.UInt8)


def _function_or_initial(words: pl.Series) -> pl.Series:
    return (words.is_in(word_list("function")) | (words.str.len_chars() <= 1)).cast(pl.UInt8)


def _street_word(words: pl.Series) -> pl.Series:
    """A street or firm word as Faker's lists write it that no surname list knows."""
    word = words.str.strip_chars(",;:")
    known_surname = word.str.to_lowercase().is_in(word_list("any_surname"))
    return (word.is_in(word_list("street_or_firm")) & ~known_surname).cast(pl.UInt8)


def _leading_or_initial(words: pl.Series) -> pl.Series:
    return (words.is_in(word_list("leading")) | (words.str.len_chars() <= 1)).cast(pl.UInt8)


def _leading_run(flags: pl.Expr) -> pl.Expr:
    """How many 1s a list of 0/1 starts with."""
    whole = flags.list.min() == 1
    return pl.when(whole).then(flags.list.len()).otherwise(flags.list.arg_min()).cast(pl.Int64)


def _first_one(flags: pl.Expr) -> pl.Expr:
    """Index of the first 1 in a list of 0/1, or null."""
    return pl.when(flags.list.max() == 1).then(flags.list.arg_max()).cast(pl.Int64)


def _normalised(words: pl.Series) -> pl.Series:
    """Words lower-cased without marks; an initial ("A." of "A. Allen") reads as "·", not as
    the article "a"."""
    initial = words.str.contains(r"^\p{Lu}\.$")
    lowered = words.str.to_lowercase().str.strip_chars(",.:;'’")
    return pl.select(pl.when(initial).then(pl.lit("·")).otherwise(lowered)).to_series()


# "y", "e", "en" join surnames ("Múñiz y Anguita", "Jacobs en van der Strigt") and people ("Nadia
# van Goerle en Roos van Gent"): before an initial, a title or a known given name, two people.
CONJOINED = r" (?:y|e|en) (?:\p{Lu}\.|\p{Lu}\p{Ll}+)"


def _split_conjoined(found: pl.DataFrame) -> pl.DataFrame:
    """Candidates holding two names joined by a conjunction, cut into one candidate each (a
    loop over those few candidates only)."""
    joined = found["value"].str.contains(CONJOINED)
    if not joined.any():
        return found
    given = gazetteer()[0] | AMBIGUOUS_GIVEN
    titles = TITLE_WORDS | TITLE_AND_DEGREE_WORDS
    parts = []
    for row in found.filter(joined).iter_rows(named=True):
        value, cuts = row["value"], [0]
        words = value.split(" ")
        position = 0
        for index, word in enumerate(words[:-1]):
            position += len(word) + 1
            following = words[index + 1]
            starts_name = (
                re.fullmatch(r"\w\.", following) is not None
                or following.lower().strip(".") in titles
                or following.lower() in given
            )
            if index > 0 and word in ("y", "e", "en") and starts_name:
                cuts.append(position)
        parts += _cut(row, cuts)
    return pl.concat([found.filter(~joined), pl.DataFrame(parts, schema=found.schema)]).sort("row", "start")


def _cut(row: dict, cuts: list[int]) -> list[dict]:
    """``row`` cut at the character offsets ``cuts`` of its value, the conjunction before each
    cut left out ("Nadia van Goerle", "Roos van Gent")."""
    value, pieces = row["value"], []
    bounds = [*cuts, len(value) + 1]
    for start, next_start in zip(bounds, bounds[1:], strict=False):
        text = value[start : next_start - 1]
        if start != bounds[-2]:
            text = text.rsplit(" ", 1)[0]  # the conjunction goes to the next part's context
        offset = len(value[:start].encode())
        pieces.append(
            {
                **row,
                "value": text,
                "start": row["start"] + start,
                "end": row["start"] + start + len(text),
                "byte_start": row["byte_start"] + offset,
                "byte_end": row["byte_start"] + offset + len(text.encode()),
                "before": (row["before"] + value[:start])[-32:],
                "after": (value[start + len(text) :] + row["after"])[:12],
            }
        )
    return pieces


# Every word the cue patterns hold: the last word before a name must be one of them (or a
# dash, or a list label must be near) for the costly end-anchored cue pattern to be tried.
CUE_WORDS = frozenset(re.findall(r"[a-zà-ÿäöüß']+", NAME_CUES.lower()))
LAST_WORD = r"([\p{L}']+)[^\p{L}]*$"
LIST_LABEL = r"(?i)attendees|participants|participantes|teilnehmer|deelnemers|asistentes|partecipanti"


def cue_before(texts: pl.Series) -> pl.Series:
    """Which ``texts`` (the context before a candidate) end in a name cue (``NAME_CUES``)."""
    worth = _may_end_in_cue(texts) | texts.str.contains(LIST_LABEL)
    rows = np.flatnonzero(worth.to_numpy())
    cued = np.zeros(texts.len(), dtype=bool)
    cued[rows] = texts.gather(rows).str.contains(NAME_CUES).fill_null(False).to_numpy()
    return pl.Series(cued)


def screen_names(found: pl.DataFrame, texts: pl.Series) -> pl.Series:
    """The candidates ``trim_names`` may keep, judged from the characters just before them
    (``near``): most candidates are one capitalised word ("The", "Transfer"), and a common one is
    a name only after a title, one no list knows only after a title or a cue. A word cut by the
    edge of ``near``, or a list label anywhere in the text, keeps the candidate."""
    word, undecided = _lone_unknown_word(found["value"], found["near"])
    may_be_cued = (
        _may_end_in_cue(found["near"])
        | found["near"].str.contains(r"^[\p{L}']+[^\p{L}]*$")  # its last word may be cut
        | texts.str.contains(LIST_LABEL).gather(found["row"])
    )
    return ~undecided | (~word.is_in(word_list("not_names")) & may_be_cued)


def _may_end_in_cue(texts: pl.Series) -> pl.Series:
    """Whether ``texts`` end in a word the cue patterns hold or a dash: the cheap test before
    ``NAME_CUES`` itself."""
    last_word = texts.str.extract(LAST_WORD).str.to_lowercase()
    return last_word.is_in(list(CUE_WORDS)).fill_null(False) | texts.str.contains(r"[-–—]\s*$")


def _lone_unknown_word(values: pl.Series, before: pl.Series) -> tuple[pl.Series, pl.Series]:
    """Each candidate's first word lower-cased without marks, and whether the candidate is one
    word no list knows with no title ``before`` it: a name only if a cue says so."""
    word = values.str.to_lowercase().str.strip_chars(",.:;'’")
    undecided = (
        ~values.str.contains(" ")
        & ~word.is_in(word_list("known_or_ambiguous"))
        & ~before.str.contains(TITLE_BEFORE)
    )
    return word, undecided


def _cue_inside(frame: pl.DataFrame) -> pl.Series:
    """How many words at the start of a run are a cue for the name after them, when the cue is
    capitalised into the run ("Verificato da Xandrelo", "Mein Kollege Brask"): up to three."""
    lead = np.zeros(frame.height, dtype=np.int64)
    words = frame["_words"]
    for k in (1, 2, 3):
        prefix = frame["before"] + words.list.head(k).list.join(" ") + " "
        longer = (words.list.len() > k).to_numpy()
        lead = np.where(longer & cue_before(prefix).to_numpy(), k, lead)
    return pl.Series("_cue_lead", lead)


def trim_names(found: pl.DataFrame) -> pl.DataFrame:
    """Cut a candidate down to the name: common words (and then particles) at its start ("Dear
    Anna Weber") and at its end ("... Customer Service") are dropped, and so are the words before
    its first known given name when its first word is no known name ("Nota de Miguel ...",
    "Operatore Fausto", "Verificato da Federica"); the dropped start joins the context before.
    Two names joined by "y", "e" or "en" are cut apart first."""
    found = _split_conjoined(found)
    # Most candidates are one capitalised word ("The", "Friday"): a common one is a name only
    # after a title, one no list knows only after a title or a cue ("Hallo Inga").
    word, undecided = _lone_unknown_word(found["value"], found["before"])
    # only an uncommon word is worth the cue pattern
    rows = np.flatnonzero((undecided & ~word.is_in(word_list("not_names"))).to_numpy())
    cued = np.zeros(found.height, dtype=bool)
    cued[rows] = cue_before(found["before"].gather(rows)).to_numpy()
    found = found.filter(~undecided | pl.Series(cued))
    split = found["value"].str.split(" ")
    lowered = _per_word(split, _normalised)
    frame = found.with_columns(
        _words=split,
        # an ambiguous given name is never cut from the start ("Mark Hendrix", "Hoi Carolina")
        _loose_flags=_per_word(lowered, _in("leading_loose")),
        # at the end also a lone initial: "B." of a degree "B.A."
        _tail_flags=_per_word(lowered, _leading_or_initial),
        # after a title only function words and initials end it ("Mrs. Sarah Hill")
        _titled_tail_flags=_per_word(lowered, _function_or_initial),
        _given_flags=_per_word(lowered, _in("given")),
        _title_flags=_per_word(lowered, _in("title_words")),
        _function_flags=_per_word(lowered, _in("function")),
        _first_known=lowered.list.first().is_in(word_list("known")),
        # "A. Allen": an initial before the given name is part of the name
        _initial_first=lowered.list.first() == "·",
    )
    frame = frame.with_columns(_cue_inside(frame))
    words = pl.col("_words")
    count = words.list.len().cast(pl.Int64)
    frame = frame.with_columns(
        _count=count,
        _lead_common=_leading_run(pl.col("_loose_flags")),
        _tail=_leading_run(pl.col("_tail_flags").list.reverse()),
        _titled_tail=_leading_run(pl.col("_titled_tail_flags").list.reverse()),
        _given_at=_first_one(pl.col("_given_flags")),
        # after the last title inside the run ("Then Sir Gawaine")
        _title_at=count - 1 - _first_one(pl.col("_title_flags").list.reverse()),
    )
    inner_title = pl.col("_title_at").is_not_null() & (pl.col("_title_at") < pl.col("_count") - 1)
    # ... or all of it after a title before it, whatever its words ("Mr. Mark Twain", "Mrs. Hill")
    titled_before = pl.col("before").str.contains(TITLE_BEFORE)
    frame = frame.with_columns(
        _lead=pl.when(inner_title)
        .then(pl.col("_title_at") + 1)
        .when(titled_before)
        .then(0)
        .when(
            ~pl.col("_first_known")
            & pl.col("_given_at").is_not_null()
            & ~pl.col("_initial_first")
            # "Werl-Arnsberg, van, Yfke": the surname of the "Surname, Given" order stays
            & ~pl.col("value").str.contains(", ")
        )
        .then(pl.max_horizontal("_lead_common", "_given_at", "_cue_lead"))
        .otherwise(pl.max_horizontal("_lead_common", "_cue_lead"))
    )
    # After a title the name is the word after it, common or not ("Mrs. Hill"), and the words
    # up to the next function word ("Mr Tulliver Shows His Weakness", a chapter heading).
    common_after_first = _first_one(pl.col("_function_flags").list.slice(pl.col("_lead") + 1)) + 1
    untitled_keep = (pl.col("_count") - pl.col("_lead") - pl.col("_tail")).clip(lower_bound=0)
    frame = frame.with_columns(
        _keep=pl.when(inner_title | titled_before)
        .then(
            pl.min_horizontal(
                (pl.col("_count") - pl.col("_lead") - pl.col("_titled_tail")).clip(lower_bound=1),
                common_after_first,
            )
        )
        .otherwise(untitled_keep)
    )
    frame = frame.with_columns(
        _prefix=pl.when(pl.col("_lead") > 0)
        .then(words.list.head(pl.col("_lead")).list.join(" ") + " ")
        .otherwise(pl.lit("")),
        _name=words.list.slice(pl.col("_lead"), pl.col("_keep")).list.join(" ").str.strip_chars(" ,"),
        _suffix=pl.when(pl.col("_lead") + pl.col("_keep") < pl.col("_count"))
        .then(" " + words.list.slice(pl.col("_lead") + pl.col("_keep")).list.join(" "))
        .otherwise(pl.lit("")),
    )
    chars, size = pl.col("_prefix").str.len_chars(), pl.col("_prefix").str.len_bytes()
    return (
        frame.with_columns(
            start=pl.col("start") + chars,
            byte_start=pl.col("byte_start") + size,
            end=pl.col("start") + chars + pl.col("_name").str.len_chars(),
            byte_end=pl.col("byte_start") + size + pl.col("_name").str.len_bytes(),
            before=(pl.col("before") + pl.col("_prefix")).str.slice(-64),
            after=(pl.col("_suffix") + pl.col("after")).str.slice(0, 40),
            value=pl.col("_name"),
        )
        .filter(pl.col("value").str.contains(r"\p{Lu}"))
        .select(found.columns)
    )


def names_ok(found: pl.DataFrame) -> pl.Series:
    """Which candidates of ``NAME_SEQUENCE`` or ``INVERTED`` (after ``trim_names``) are person names (see the
    module docstring)."""
    given, surnames = word_list("given"), word_list("surnames")
    lowered = found.select(_lowered_words()).to_series()
    frame = found.with_columns(
        _words=lowered,
        _given_flags=_per_word(lowered, _in("given")),
        _surname_flags=_per_word(lowered, _in("surnames")),
        _common_flags=_per_word(lowered, _in("not_names")),
        _last_parts=_per_word(lowered.list.last().str.split("-"), _in("surnames")),
        _street_words=_per_word(found["value"].str.split(" "), _street_word),
        _cued=cue_before(found["before"]),
    )
    words = pl.col("_words")
    count = words.list.len()
    first, last = words.list.first(), words.list.last()
    rest = words.list.slice(1)
    surname_last = last.is_in(surnames) | (pl.col("_last_parts").list.max() == 1)
    second = words.list.get(1, null_on_oob=True)
    # a second word that is common, of two letters ("Charlotte, GA") or a model ("A-Class") is no
    # surname
    second_common = (
        second.is_in(word_list("not_names"))
        | (second.str.len_chars() <= 2)
        | second.str.contains(r"^\p{L}-|[0-9]")
    ).fill_null(True)
    # an initial glued to what comes before it ("RABONL2U. De") is the end of an identifier
    initial_first = pl.col("value").str.contains(r"^\p{Lu}\.") & ~pl.col("before").str.contains(
        r"[\p{L}\p{N}]\.?$"
    )
    allcaps = pl.col("value").str.contains(r"(?-u:\b)\p{Lu}{3,}(?-u:\b)")
    given_any = pl.col("_given_flags").list.max() == 1
    surname_any = pl.col("_surname_flags").list.max() == 1
    titled = pl.col("before").str.contains(TITLE_BEFORE) & ~first.is_in(word_list("function_or_title"))
    checks = frame.select(
        common=pl.col("_common_flags").list.min() == 1,
        # cut out of a longer word ("Phone" of "iPhone", a Greek or Cyrillic name)
        glued=pl.col("after").str.contains(r"^[!@#&+_]?[\p{L}\p{N}]")
        | pl.col("before").str.contains(r"[\p{L}\p{N}]$"),
        street=pl.col("before").str.contains(STREET_BEFORE)
        # the third of three surnames naming a firm ("Hawkins, Richardson and Santana"), or
        # after a postcode ("03751 Gerrit Achterberghove")
        | pl.col("before").str.contains(r"\p{Lu}\p{Ll}+, \p{Lu}\p{Ll}+,? (?:and|&|und|et|y|e|en) $")
        | pl.col("before").str.contains(r"(?:^|\s)[0-9]{4,5}\s+$")
        # a town before the date of a letter ("Nancy, le 28.03.2024", "Jena, den 23.")
        | pl.col("after").str.contains(
            r"^, (?:(?:le|den|el|il|am|on|op) [0-9]|[0-9]{1,2}[./-][0-9]{1,2}[./-])"
        )
        # "Clark, Romero and Hall", "Thomas and Sons"
        | pl.col("value").str.contains(", ")
        & pl.col("after").str.contains(r"^,? (?:and|&|und|et|y|e|en) \p{Lu}")
        | pl.col("after").str.contains(r"^ (?:and|&) (?:Sons|Co\b)"),
        # a street or firm word after it ("Marina Fort Street", "Becker GmbH"), or as its own
        # last word where no surname list knows it ("Monika Union", "Russell Investments"; not
        # "Peter Green"), unless a title says person ("Mrs. Hill", "Mrs. Sarah Hill")
        street_end=pl.col("after")
        .str.extract(r"^ ([^\s,]+)")
        .is_in(word_list("street_or_firm"))
        .fill_null(False)
        # (any word after the first: "Kent Street Apt")
        | (pl.col("_street_words").list.slice(1).list.max() == 1).fill_null(False)
        | last.str.contains(COMPOUND_STREET_ENDINGS),
        titled=titled & (count <= 4),
        # a longer name ends in a surname ("Maja Mercedes Hornig"; not "Aurora Smart Plug")
        given_surname=first.is_in(given) & (((count == 2) & ~second_common) | ((count >= 3) & surname_last))
        | first.is_in(word_list("ambiguous_given")) & (count >= 2) & surname_last,
        initial=initial_first & (count >= 2) & ~last.is_in(word_list("not_names")),
        caps_or_known=(count >= 2) & given_any & (allcaps | first.is_in(surnames)) & ~rest.list.len().eq(0),
        inverted=pl.col("value").str.contains(r", ")
        & pl.col("value").str.extract(r", (?:\p{Ll}+, )?(\p{L}+)").str.to_lowercase().is_in(given)
        # not the end of one name and the start of the next in a list ("Joey van Gemert, Tamara")
        & ~pl.col("before").str.contains(r"\p{Lu}\p{Ll}+ (?:\p{Ll}+ ){0,2}$"),
        # after a greeting, a verb or a role word even a name no list knows ("Hallo Inga",
        # "Verificato da Fausto", "Conseiller Charles :")
        # (a role word and a colon is a speaker label: the word after it starts what was said,
        # "Agent: Darf ich ...", unless a list knows the word; so is "I am" before a state)
        cued=pl.col("_cued")
        & (
            given_any
            | surname_any
            | (count >= 2)
            | ~pl.col("before").str.contains(SPEAKER_COLON)
            & ~pl.col("before").str.contains(SELF_INTRO)
            # a word written as a name is written, not an acronym ("sent to PSC 7951")
            & pl.col("value").str.contains(r"^\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?$")
        ),
        # the display name of an address ("Van: Emir Honing <emir@...>", "cc: Anthony R. Jones <")
        addressed=(count >= 2) & pl.col("after").str.contains(r"^,? ?<[^\s@<>]+@"),
        single_given=(count == 1)
        & first.is_in(given)
        # not the last word of a title in Title Case ("But Secretly Love")
        & ~pl.col("before").str.contains(r"\p{Lu}\p{Ll}+ $")
        & (first.str.len_chars() >= 3)
        & ~allcaps
        # a place, not a person: after a postcode or a word of place, before a state code or a
        # postcode ("32919 Jena", "in Savannah", "Charlotte, IL", "Charlotte (34187")
        & ~pl.col("before").str.contains(r"[0-9]{4,5}\s*$|(?i:(?:^|\s)(?:" + PLACE_WORDS + r"))\s+$")
        & ~pl.col("after").str.contains(r"^(?:,?\s*\p{Lu}{2}(?:[^\p{L}]|$)|\s*\(?[0-9]{4,5})"),
        weakly_cued=(
            (
                pl.col("before").str.contains(WEAK_NAME_CUES)
                | (pl.col("before").str.contains(r",\s*$") & (count >= 2))
            )
            & (given_any | surname_any)
            & (count <= 3)
        ),
    )
    # a title makes even common words a name ("Mrs. Hill", "Mr. Madison")
    accepted = (
        ~checks["street"]
        & ~checks["glued"]
        & (
            checks["titled"]
            | ~checks["common"]
            & ~checks["street_end"]
            & (
                checks["given_surname"]
                | checks["initial"]
                | checks["caps_or_known"]
                | checks["inverted"]
                | checks["cued"]
                | checks["addressed"]
                | checks["weakly_cued"]
                | checks["single_given"]
            )
        )
    )
    return accepted.fill_null(False)


# A name typed in lower case after a speaker or name label: "Customer: edwin johnson, my number",
# "name on the account: marie reid". Only a known given name starts it.
LOWER_NAME_AFTER_LABEL = (
    r"((?i:(?:customer|cliente|client|klant|kunde|caller|beller|anrufer|appelant|name on the account|"
    r"account holder|name|naam|nombre|nom|nome)) ?: ?(?:(?i:yes|ja|oui|sí|si),? )?)"
    r"(\p{Ll}[\p{Ll}'’-]+(?: \p{Ll}[\p{Ll}'’-]+| \p{Ll}\.?){1,3})"
)


def lower_name_ok(found: pl.DataFrame) -> pl.Series:
    """A lower-case name after a label: its first word is a known given name and no word is a
    common one."""
    given = word_list("given")
    words = found["value"].str.split(" ")
    common = _per_word(words, _in("not_names")).list.max() == 1
    return (words.list.first().is_in(given) & ~common).fill_null(False)
