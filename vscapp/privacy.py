"""Personal data in what people type: the app records activities, never people.

One checker for every free-text field (notes, case references, reasons, comments, CSV rows,
CLI options). It looks for eight kinds of personal data and names the first one it finds, so
the person typing knows what to take out. It errs on the side of refusing: a refused note is
rewritten in a minute, a stored name cannot be taken back from backups and audit entries.

Flask-light: flask_babel's lazy_gettext for the messages, nothing else of Flask. Numbers are
checked by their checksums (python-stdnum for national register, BIS and IBAN numbers;
Google's phonenumbers for phone numbers), first names come from the dictionary that the
gender-guesser package ships (data file only: see `first_names`).
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.metadata import distribution
from itertools import pairwise

import phonenumbers
from flask_babel import lazy_gettext as _l
from stdnum import iban
from stdnum.be import bis, nn, vat


@dataclass(frozen=True)
class Kind:
    code: str
    message: object  # a lazy string, translated when shown


EMAIL = Kind("email", _l("This looks like an e-mail address: describe the activity, "
                         "not the person."))
ONLINE_ACCOUNT = Kind("online_account", _l("This looks like a social-media account: describe "
                                           "the activity, not the person."))
BANK_ACCOUNT = Kind("bank_account", _l("This looks like a bank account number: describe the "
                                       "activity, not the person."))
NATIONAL_NUMBER = Kind("national_number", _l("This looks like a national register or BIS "
                                             "number: describe the activity, not the person."))
PHONE = Kind("phone", _l("This looks like a phone number: describe the activity, not the "
                         "person."))
BIRTH_DATE = Kind("birth_date", _l("This looks like a date of birth: describe the activity, "
                                   "not the person."))
ADDRESS = Kind("address", _l("This looks like a street address: describe the activity, not "
                             "the person."))
NAME = Kind("name", _l("This looks like a person's name: describe the activity, not the "
                       "person."))
KINDS = (EMAIL, ONLINE_ACCOUNT, BANK_ACCOUNT, NATIONAL_NUMBER, PHONE, BIRTH_DATE, ADDRESS, NAME)

CASE_REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9/_-]{0,29}")
CASE_REF_SHAPE = _l("Use letters, digits, '-', '_' or '/' only, 30 at most, no spaces.")


# Control characters but tab and line breaks: no note holds one on purpose (PostgreSQL refuses
# NUL in text; the others hide what a text says). Free text is refused for them here too.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_CHARACTER = _l("The text holds an invisible control character: type it again without "
                       "pasting, or remove it.")


def personal_data_in(text):
    """The message naming the personal data `text` seems to hold, or None; the one check of
    every free text, so it also refuses control characters."""
    if text and CONTROL.search(text):
        return CONTROL_CHARACTER
    kind = find_personal_data(text)
    return kind.message if kind else None


def case_ref_problem(value):
    """Why a case reference is not an opaque code, or None when it is one."""
    if not value:
        return None
    if not CASE_REF.fullmatch(value):
        return CASE_REF_SHAPE
    kind = find_personal_data(value) or (NAME if _name_in_code(value) else None)
    return kind.message if kind else None


def find_personal_data(text, today=None):
    """The first kind of personal data found in `text`, or None.

    `today` fixes the date that tells a birth date from an activity date (tests pin it); the
    server's date will do otherwise (vscapp.clock's Brussels date needs Flask, and a day does
    not matter against ten years).
    """
    if not text or text.isspace():
        return None
    text = _normalised(text)
    return next((kind for kind in _kinds_found(text, today or date.today()) if kind), None)


def _kinds_found(text, today):
    """Each kind in turn, surest and cheapest first; a generator, so it stops at the first.
    Patterns that ignore case run on the lower-cased text: Python's re is many times slower
    with IGNORECASE."""
    lowered = text.lower()
    yield has_email(lowered) and EMAIL
    yield has_online_account(lowered) and ONLINE_ACCOUNT
    digits = NON_DIGIT.sub("", text)
    if len(digits) >= 8:  # every number below has 8 digits at least: most notes skip them
        yield has_iban(text.upper()) and BANK_ACCOUNT
        numbers = [NUMBER_GROUP.findall(run) for run in DIGIT_RUN.findall(text)]
        yield any(_is_national_number(groups) for groups in numbers) and NATIONAL_NUMBER
        yield any(_is_old_bank_account(groups) for groups in numbers) and BANK_ACCOUNT
        yield has_phone_number(text) and PHONE
    if digits:  # a birth date or an address has some
        yield has_birth_date(lowered, today) and BIRTH_DATE
        yield has_street_address(text, lowered) and ADDRESS
    yield has_person_name(text) and NAME


# Zero-width characters and the soft hyphen hide nothing from a reader but split a pattern.
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))


def _normalised(text):
    """Full-width and compatibility forms folded (＠ to @, ０ to 0), invisible marks removed."""
    return unicodedata.normalize("NFKC", text).translate(INVISIBLE)


def _folded(word):
    """Lower case without accents, so that "Saïd", "Said" and "SAID" look up alike."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("’", "'")


def _words(text):
    """A set of folded words from a text of words separated by spaces."""
    return frozenset(map(_folded, text.split()))


# E-mail addresses, also written to dodge a filter: "m.b [at] gmail [dot] com", "(at)",
# " at " with " dot ", "@" between spaces. Run on the lower-cased text.
_AT = (r"(?:\s*@\s*|\s*[\[({<]\s*(?:at|@|arobase|apenstaartje)\s*[\])}>]\s*"
       r"|\s+(?:at|arobase|apenstaartje)\s+)")
_DOT = r"(?:\s*\.\s*|\s*[\[({<]\s*(?:dot|punt|point)\s*[\])}>]\s*|\s+(?:dot|punt|point)\s+)"
EMAIL_ADDRESS = re.compile(rf"(?<![\w.+-])[\w][\w.+-]*{_AT}[a-z0-9-]+(?:{_DOT}[a-z0-9-]+)*?"
                           rf"{_DOT}[a-z]{{2,24}}(?![\w-])")
HANDLE = re.compile(r"(?<![\w.@])@[a-z0-9_][a-z0-9_.]{2,}")
AT_WORD = re.compile(r"@|\b(?:at|arobase|apenstaartje)\b")


def has_email(lowered):
    return AT_WORD.search(lowered) is not None and EMAIL_ADDRESS.search(lowered) is not None


def has_online_account(lowered):
    """An @handle of Instagram, X, TikTok...: it names a person as well as an address does."""
    return "@" in lowered and HANDLE.search(lowered) is not None


# Numbers: runs of digit groups separated by one dot, dash, slash, underscore or spaces, as
# people write national numbers (85.07.30-033.28, 850730 033 28) and account numbers.
NON_DIGIT = re.compile(r"\D+")
DIGIT_RUN = re.compile(r"(?<!\d)\d+(?:(?:[ \t]*[./_-][ \t]*|[ \t]+)\d+)*")
NUMBER_GROUP = re.compile(r"\d+")
IBAN_START = re.compile(r"(?<![A-Z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){10,32}")


def _stretches(groups, length):
    """The digits of each run of consecutive groups that adds up to `length` digits."""
    for start in range(len(groups)):
        digits = ""
        for group in groups[start:]:
            digits += group
            if len(digits) >= length:
                if len(digits) == length:
                    yield digits
                break


def _is_national_number(groups):
    """A national register number or a BIS number, with a valid birth date and check digits."""
    return any(nn.is_valid(d) or bis.is_valid(d) for d in _stretches(groups, 11))


def _is_old_bank_account(groups):
    """A Belgian account number of before IBAN (539-0075470-34), by its mod-97 check."""
    if [len(g) for g in groups] not in ([3, 7, 2], [12]):
        return False
    digits = "".join(groups)
    return (int(digits[:10]) % 97 or 97) == int(digits[10:])


def has_iban(upper):
    """An IBAN of any country, with or without spaces, by its length and check digits."""
    for match in IBAN_START.finditer(upper):
        compact = match.group().replace(" ", "")
        # The run may go on into the next word: try every length an IBAN can have.
        if any(iban.is_valid(compact[:n], check_country=False)
               for n in range(15, len(compact) + 1)):
            return True
    return False


# Dates of birth.
MONTH_NUMBERS = {name: number for number, names in enumerate((
    "januari jan janvier janv", "februari feb febr février fevrier févr fevr", "maart mrt mars",
    "april apr avril avr", "mei mai", "juni jun juin", "juli jul juillet juil",
    "augustus aug août aout", "september sep sept septembre", "oktober okt octobre oct",
    "november nov novembre", "december dec décembre decembre déc"), start=1)
    for name in names.split()}
_MONTHS = sorted(MONTH_NUMBERS, key=len, reverse=True)  # longest first: "sept", "sep"
_MONTH = "(?:" + "|".join(_MONTHS) + r")\b\.?"
FULL_DATE = re.compile(
    r"(?<!\d)(?:(?P<d>\d{1,2})\s*(?P<sep>[./-])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*"
    r"(?P<y>\d{4}|\d{2})|(?P<iso_y>\d{4})-(?P<iso_m>\d{1,2})-(?P<iso_d>\d{1,2})"
    rf"|(?P<w_d>\d{{1,2}})(?:e|er|ste|de)?\s+(?P<w_m>{_MONTH})\s*(?P<w_y>\d{{4}}))(?!\d)")
BIRTH_WORD = (r"(?:\bgeboren\b|\bgeb\b\.?|\bgeboortedatum\b|\bgeboortejaar\b|\bné(?:e|\(e\))?"
              r"(?!\w)|\bnaissance\b|\bdob\b|\bd\.o\.b\b\.?|\bborn\b|(?<![\w°])°)")
BIRTH_HINT = re.compile(r"geb|né|naissance|dob|d\.o\.b|born|°")
BIRTH = re.compile(
    BIRTH_WORD + r"[\s:,]*(?:[^\W\d]+[\s:,]+){0,4}?"
    rf"(?:\d{{1,2}}\s*[./-]\s*\d{{1,2}}|\d{{1,2}}(?:e|er|ste|de)?\s+{_MONTH}|(?:19|20)\d\d\b)")
# A law, decree or ruling is cited with its date: "wet van 5 augustus 1992", "loi du ...".
LEGAL_CITATION = re.compile(
    r"\b(?:wet|wetten|loi|lois|kb|k\.b|ar|a\.r|arrêté|besluit|decreet|décret|ordonnantie|"
    r"ordonnance|omzendbrief|circulaire|richtlijn|directive|verordening|règlement|reglement|"
    r"verdrag|traité|convention|arrest|arrêt|vonnis|jugement|akkoord|accord|protocol|protocole)"
    r"\b[^.;\n]{0,30}$")
ADULT_AGE = 10  # years: what a prevention team meets are people this old at the least


def has_birth_date(lowered, today):
    """A date of birth in the lower-cased text, decided so that the dates of activities pass.

    Refused: (1) a date or a year written with a birth word before it, a few words apart at
    most: "geboren", "geb.", "geboortedatum", "°", "né(e) le", "naissance", "DOB", "born"
    ("° 12/03/1998", "geboren op 12 maart 1998", "née à Tanger en 1998"); "°" right after a
    letter or digit is "n°" or degrees and does not count. (2) A full date (day, month, year)
    at least ten years before today, unless a law, decree or ruling is cited just before it
    ("wet van 5 augustus 1992"): the app records activities from 2000 on and notes speak of
    recent ones, while people a prevention team follows are older than ten.
    Passed: dates without a year ("sessie van 12/03"), recent full dates, years alone
    ("sinds 2019") and ages.
    """
    if BIRTH_HINT.search(lowered) and BIRTH.search(lowered):
        return True
    for match in FULL_DATE.finditer(lowered):
        born = _date_of(match, today)
        if born and _years_between(born, today) >= ADULT_AGE and not LEGAL_CITATION.search(
                lowered, max(0, match.start() - 60), match.start()):
            return True
    return False


def _date_of(match, today):
    """The date a FULL_DATE match writes, or None when it is no calendar date."""
    if match["w_m"]:
        day, month, year = match["w_d"], MONTH_NUMBERS[match["w_m"].rstrip(".")], match["w_y"]
    elif match["iso_y"]:
        day, month, year = match["iso_d"], match["iso_m"], match["iso_y"]
    else:
        day, month, year = match["d"], match["m"], match["y"]
    year = int(year)
    if year < 100:  # two digits: the latest year that is not in the future
        year += 2000 if year <= today.year % 100 else 1900
    try:
        return date(year, int(month), int(day))
    except ValueError:
        return None


def _years_between(earlier, later):
    return later.year - earlier.year - ((later.month, later.day) < (earlier.month, earlier.day))


# Phone numbers.
POSSIBLE = phonenumbers.Leniency.POSSIBLE
# Where phonenumbers looks: runs of 8 digits or more, with the separators people write.
PHONE_RUN = re.compile(r"(?:\+|(?<!\d)00)?\(?\d(?:[ \t./()-]{0,3}\d){7,}")
FILE_NUMBER = re.compile(r"/\s*(?:19|20)\d\d$")


def has_phone_number(text):
    """A phone number as Belgians write it (0470 12 34 56, +32 470 12 34 56, 02/123.45.67,
    470123456) or an international one.

    phonenumbers finds the candidates. One written with a leading 0, 00 or + is a phone
    number if it has a possible length (an unallocated range is still somebody's number to
    the writer); one without needs to be a valid Belgian number, so that amounts and counts
    pass. Not phone numbers: a Belgian enterprise number (0403.170.701, an organisation), a
    file number with its year (012345/2023) and a date (left to the birth-date check).
    """
    matches = (match for run in PHONE_RUN.findall(text)
               for match in phonenumbers.PhoneNumberMatcher(run, "BE", leniency=POSSIBLE))
    for match in matches:
        raw, digits = match.raw_string, NON_DIGIT.sub("", match.raw_string)
        if len(digits) < 8 or FILE_NUMBER.search(raw) or FULL_DATE.fullmatch(raw):
            continue
        if raw.startswith(("+", "0")):
            if not _is_enterprise_number(raw, digits) \
                    and phonenumbers.is_possible_number(match.number):
                return True
        elif phonenumbers.is_valid_number(match.number):
            return True
    return False


ENTERPRISE_NUMBER = re.compile(r"[01]\d{3}\.\d{3}\.\d{3}")


def _is_enterprise_number(raw, digits):
    """A Belgian enterprise number, by its check digits: written 0403.170.701 (a mobile
    number has the same digits, but not in that writing) or not like a mobile number."""
    return len(digits) == 10 and vat.is_valid(digits) and (
        ENTERPRISE_NUMBER.fullmatch(raw) is not None or not digits.startswith("04"))


# Street addresses: a street word and a house number. A street word in lower case may be a
# common noun ("speelplein 3 keer", "onderweg 4 jongeren"): then any word in lower case after
# the number makes it a count, save "bus", "te", "à"... A street's name ("Kerkstraat 12 met
# zijn moeder") is a count only before a word that counts. Years ("Jobmarkt 2023"), dates
# and times are never house numbers.
_HOUSE_NUMBER = (r"(?!(?:19|20)\d\d(?!\d))\d{1,4}(?:\s?[a-wyzA-WYZ](?!\w))?(?![\d%])"
                 r"(?!\s*[./:]\s*\d)")
_AFTER_COMMON_NOUN = r"(?!\s+(?!(?:bus|bte|boîte|boite|te|à|a|in|en)\b)[a-zà-ÿ])"
_AFTER_STREET_NAME = (
    r"(?!\s*(?i:keer|maal|x|jongeren|leerlingen|deelnemers|personen|mensen|sessies|kinderen|"
    r"ouders|bezoekers|contacten|fois|jeunes|élèves|participants|personnes|séances|enfants|"
    r"parents|visiteurs|contacts|uur|u|min|minuten|minutes|heures|h|km|m|euro|eur|€)(?!\w))")
_NL_STREETS = "straat|laan|steenweg|plein|dreef|lei|kaai|weg|dijk|kade|markt|singel|vest|baan|" \
              "gracht|hof|square"
NL_STREET = re.compile(
    rf"\b[^\W\d_][\w'’-]*?(?:{_NL_STREETS})\s*,?\s*{_HOUSE_NUMBER}{_AFTER_COMMON_NOUN}"
    # a name, capitalised: Ninoofsesteenweg 12, Gentse Steenweg 44
    rf"|\b(?:[A-ZÀ-ÖØ-Þ][\w'’-]*?(?i:{_NL_STREETS})|{_NL_STREETS.title()})"
    rf"\s*,?\s*{_HOUSE_NUMBER}{_AFTER_STREET_NAME}")
_PARTICLE = r"(?:de|du|des|la|le|les|l'|l’|d'|d’|aux|au|et|van|der|den|ter|het)"
FR_STREET = re.compile(
    r"\b(?i:rue|avenue|av\.|chaussée|chee|chée|boulevard|bd|bld|place|pl\.|quai|square|impasse|"
    r"allée|clos|drève|chemin|sentier|parvis|rampe|galerie|passage|rond-point|cité)\s+"
    rf"(?:{_PARTICLE}\s*)*(?:[A-ZÀ-ÖØ-Þ][\w'’-]*\.?,?\s+(?:{_PARTICLE}\s*)*){{1,5}}"
    + _HOUSE_NUMBER + _AFTER_STREET_NAME)
# Run on the lower-cased text, before the patterns above (which need the capitals).
STREET_HINT = re.compile(
    rf"(?:{_NL_STREETS})\s*,?\s*\d|\b(?:rue|avenue|av|chaussée|chee|chée|boulevard|bd|bld|place|"
    r"pl|quai|square|impasse|allée|clos|drève|chemin|sentier|parvis|rampe|galerie|passage|"
    r"rond-point|cité)\b")


def has_street_address(text, lowered):
    return STREET_HINT.search(lowered) is not None and (
        NL_STREET.search(text) is not None or FR_STREET.search(text) is not None)


# Names: a common first name followed by a capitalised word or an initial.
WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
SURNAME_PARTICLES = _words(
    "van de der den ter te het vanden vander le la du des d' d’ el al ben bin ibn ould")
# A first name in the name of a place or an institution is no person: "Athénée Royal Serge
# Creuz", "Institut Marie Haps", "avenue Jean Dubrucq".
PLACE_WORDS = _words("""
    school basisschool secundaire athénée lycée institut instituut collège
    école académie hôpital ziekenhuis kliniek clinique stichting fondation
    fonds centrum centre maison huis zaal salle parc park station gare metro métro rue avenue
    straat laan boulevard place plein square prix prijs campus stade stadion sporthal complexe
    project projet vzw asbl bibliotheek bibliothèque musée museum kerk église moskee
    mosquée sint saint sainte st ste
""")
PLACE_ENDINGS = ("school", "ziekenhuis", "instituut", "centrum", "zaal", "park", "plein",
                 "straat", "laan", "huis", "kerk", "moskee", "college", "academie")
# Words that the dictionary holds as first names but that Dutch and French notes use as
# ordinary words, places or subjects, at a sentence's start or in a title.
NOT_NAMES = _words("""
    aard age al alle amour ange arcade argentine asse assen avril ban barbe beau beer bel ben
    beste blanche bonne brand brune burg cannelle cas cerise cher christ colombe con constance
    constant cor corne cos dan demi dette devis dik do don door dor elle el enkel espérance fee
    femme fer fidèle file fini finie fleur flip foto franc france free gard gent germ han har
    harmonie hun innocent islam jeu jihad jolie kamer kas kick kok koop koord kor lama lame lei
    lek line linie lot loup maan maart mar marine mark mat max meisje mesure mie mine mir
    modeste neige non olive oral oude pal parfait per perle pie pomme prudence prudent prune
    raid rail ram ramadan rand reine rem ris rijk ru sad salam sas slim tache take tan titel
    to ton uk victoire vries wil wille wilt zwaan paris china india bas boy broer dinant
    elles ideal job lois mari noel onder peer roman urbain
""")
TITLES = _words("""
    mevrouw mevr mw meneer mijnheer dhr heer madame mme monsieur mr mademoiselle mlle m
""")
# What follows a title without naming anyone: "Madame la Ministre", "Mijnheer de Burgemeester".
FUNCTIONS = _words("""
    minister ministre burgemeester bourgmestre schepen echevin voorzitter president presidente
    directeur directrice procureur commissaire gouverneur rechter juge consul ambassadeur
    secretaris secretaire
""")
# Frequent in Brussels today and missing from the 2008 dictionary (added by the team).
MORE_FIRST_NAMES = _words("""
    rayan rayane soufiane zineb hajar soumaya othmane ilias ilyes yanis nassim wassim rania
    ranya nour noor aya chaimae chaima hiba ikram oumaima oussama abdelkader abdellatif
    abdelhamid abderrahim abdessamad merveille exaucé glodi nore saïd ayse mohamad mouhamed
    mohammad grace
""")


# Columns of nam_dict.txt (0 is the first after the name, at character 30) and the least
# frequency (1 to D, hexadecimal, logarithmic) for a name to count as common here.
NAME_COLUMNS = {7: 1, 8: 1, 10: 2, 46: 1, 47: 1, 36: 3, 31: 3, 27: 3, 23: 4}
# France, Belgium, the Netherlands, Turkey, Arabia/Persia, Albania, Kosovo, Romania, Poland


@cache
def first_names():
    """Folded first names common in Belgium, with those of its largest immigrant groups.

    Read from gender-guesser's data file (Jörg Michael's "nam_dict.txt", GNU FDL 1.2 or later,
    shipped inside the package and read in place: no network, none of the package's GPL code
    imported): about 8,000 names with MORE_FIRST_NAMES, less NOT_NAMES.
    """
    path = distribution("gender-guesser").locate_file("gender_guesser/data/nam_dict.txt")
    names = set(MORE_FIRST_NAMES)
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if line[0] in "#=":
                continue
            frequencies = line[30:85].ljust(55)
            if any(frequencies[column] != " " and int(frequencies[column], 16) >= least
                   for column, least in NAME_COLUMNS.items()):
                name = line.split()[1]
                names.update(_folded(name.replace("+", sep)) for sep in ("", " ", "-"))
    return frozenset(names - NOT_NAMES)


def _is_first_name(word):
    """Whether a capitalised word of a note is a first name: "Mohamed", "Marie-Jeanne",
    "JAN" (capitals: four letters at least, so that acronyms pass)."""
    if not word[0].isupper() or (word.isupper() and len(word) < 4):
        return False
    folded = _folded(word)
    names = first_names()
    return folded in names or ("-" in folded and all(p in names for p in folded.split("-")))


def has_person_name(text):
    """A person named in a note. Three forms, particles allowed before the surname:
    a first name then a capitalised word or an initial ("Mohamed B.", "Jan Peeters", "Fatima
    El A.", "Pieter van den Berg"); a surname in capitals then a first name ("PEETERS Jan");
    a title then a surname ("Mevrouw Peeters", "M. Dupont"; not "Madame la Ministre").
    A place or an institution named after a person is no person: "Athénée Royal Serge Creuz",
    "avenue Jean Dubrucq", "Marie Curie school", "de Marie Curieschool".
    """
    matches = list(WORD.finditer(text))
    words = [m.group() for m in matches]
    gaps = [text[a.end():b.start()] for a, b in pairwise(matches)]
    return any(_names_someone(words, gaps, i) for i in range(len(words)))


def _names_someone(words, gaps, i):
    word = words[i]
    if not word[0].isupper():
        return False
    if _folded(word) in TITLES and (word != "M" or gaps[i:i + 1] == [". "]):
        surname = _surname_after(words, gaps, i, dot=True)
        return surname is not None and _folded(words[surname]) not in FUNCTIONS
    if not _is_first_name(word) or _is_place(words[max(0, i - 2):i]):
        return False
    if i > 0 and gaps[i - 1].isspace() and words[i - 1].isupper() and len(words[i - 1]) > 2:
        return True  # PEETERS Jan
    surname = _surname_after(words, gaps, i)
    return surname is not None and not _is_place(words[surname:surname + 2])


def _is_place(words):
    """Whether one of these words names a place or an institution, or ends like one."""
    folded = [_folded(word).rpartition("'")[2] for word in words]  # l'Athénée: athenee
    return any(word in PLACE_WORDS or word.endswith(PLACE_ENDINGS) for word in folded)


def _surname_after(words, gaps, i, dot=False):
    """Where the capitalised word or initial after words[i] is, or None; with `dot`, words[i]
    may end with one (an abbreviated title: "Dhr. Janssens")."""
    for j in range(i + 1, len(words)):
        gap = gaps[j - 1].replace(".", " ", 1) if dot and j == i + 1 else gaps[j - 1]
        if not gap.isspace():
            return None  # punctuation between: "Karim. Daarna", "Marie, CSIL"
        if words[j][0].isupper():
            return j
        if _folded(words[j]) not in SURNAME_PARTICLES:
            return None
    return None


CODE_PART = re.compile(r"[^\W\d_]+")


def _name_in_code(value):
    """A first name in a case reference, whatever its case: "MOHAMED-B-1998", "jan-peeters".
    Three-letter names count only before another word, so that "JAN-2023" passes."""
    parts = CODE_PART.findall(value)
    names = first_names()
    return any(_folded(part) in names and (len(part) >= 4 or following)
               for part, following in zip(parts, parts[1:] + [None], strict=False))
