"""The demo site's content, in Swedish.

The facts and figures come from the public pages this platform replaces (Kompetensverkstaden /
Vi blir fler – IKO, KVISK, the ESF project register and ESK Kronoberg); every sentence is written
for this demo. All people are invented and have example.org addresses.

Everything here is plain data. Pages are found again by ``slug`` under their parent, images by
``title``, snippets by ``name`` and users by ``username`` – so change those keys only together
with the database they describe, or ``load_demo`` will create a second copy.
"""

from datetime import date

from .stream import (
    choice,
    discussion,
    figure_list,
    heading,
    language_section,
    paragraph,
    reflection,
    resource_links,
    scale,
    section,
    stage,
    testimonials,
    timeline,
)

SITE_NAME = "Kompetensverkstaden"
SITE_URL = "http://127.0.0.1:8000/"
ADMIN_URL = "http://127.0.0.1:8000/admin/"
# Used only when no default Site exists; an existing one keeps its hostname and port.
SITE_HOSTNAME = "localhost"
SITE_PORT = 80

# --- Generated images ------------------------------------------------------------------------
# Key -> how to draw it. ``colours`` run from top left to bottom right; text is drawn in ``ink``.

IMAGES: dict[str, dict] = {
    "hero": {
        "title": "Kompetensverkstaden – toppbild",
        "alt": "Ordet Kompetensverkstaden och raden ”Interkulturell kompetens i din egen takt” "
        "i mörkblått mot en ljus bakgrund som går från havsblått till grönt.",
        "text": "Kompetensverkstaden",
        "subtitle": "Interkulturell kompetens i din egen takt",
        "colours": ("#d8ecf3", "#cfe8d5"),
    },
    "module": {
        "title": "Migration i Kalmar län – modulbild",
        "alt": "Rubriken ”Migration i Kalmar län – förr och nu” i mörkblått mot en bakgrund "
        "i ljust hav och sand.",
        "text": "Migration i Kalmar län",
        "subtitle": "förr och nu",
        "colours": ("#d6e6f5", "#f3ead7"),
    },
    "poster": {
        "title": "Föreläsning om migration i Kalmar län – affischbild",
        "alt": "Startbild för föreläsningsfilmen: ”Föreläsning – migration och möten i Kalmar "
        "län från medeltiden till i dag”.",
        "text": "Föreläsning",
        "subtitle": "Migration och möten i Kalmar län från medeltiden till i dag",
        "colours": ("#e3def2", "#d5e9ef"),
    },
    "project-iko": {
        "title": "Vi blir fler – IKO – projektbild",
        "alt": "Projektnamnet ”Vi blir fler – IKO” och ”Kalmar län 2017–2019” på ljusblå botten.",
        "text": "Vi blir fler – IKO",
        "subtitle": "Kalmar län 2017–2019",
        "colours": ("#dbeaf6", "#e6f2e2"),
    },
    "project-kvisk": {
        "title": "KVISK – projektbild",
        "alt": "Projektnamnet ”KVISK” och ”Kultur som väg till arbete” på varmgul botten.",
        "text": "KVISK",
        "subtitle": "Kultur som väg till arbete",
        "colours": ("#f6ead2", "#f0dfe6"),
    },
    "project-vimmerby": {
        "title": "Arbetsintegration kvinnor – projektbild",
        "alt": "Projektnamnet ”Arbetsintegration kvinnor” och ”Vimmerby 2016–2019” på ljusgrön "
        "botten.",
        "text": "Arbetsintegration kvinnor",
        "subtitle": "Vimmerby 2016–2019",
        "colours": ("#e2f0dc", "#f4eedb"),
    },
    "project-kinda": {
        "title": "Alla med – projektbild",
        "alt": "Projektnamnet ”Alla med – integrera med praktik” och ”Kinda, Söderköping och "
        "Motala” på ljusblå botten.",
        "text": "Alla med",
        "subtitle": "Integrera med praktik – Kinda, Söderköping och Motala",
        "colours": ("#dde7f7", "#e4f1ee"),
    },
    "project-esk": {
        "title": "ESK – Etableringssamverkan Kronoberg – projektbild",
        "alt": "Projektnamnet ”ESK – Etableringssamverkan Kronoberg” och ”Åtta kommuner "
        "2017–2021” på ljust grågrön botten.",
        "text": "Etableringssamverkan Kronoberg",
        "subtitle": "Åtta kommuner 2017–2021",
        "colours": ("#e4ece6", "#dfe6f2"),
    },
}

# Partner logos: small wordmarks with the organisation's name, see images.draw_logo.
PARTNERS: list[dict] = [
    {
        "name": "Landstinget i Sörmland",
        "url": "https://regionsormland.se",
        "colour": "#1f5d8c",
    },
    {
        "name": "Region Östergötland",
        "url": "https://www.regionostergotland.se",
        "colour": "#2e6b3f",
    },
    {
        "name": "Nyföretagarcentrum i Sörmland och Östergötland",
        "url": "https://www.nyforetagarcentrum.se",
        "colour": "#8c3b1f",
    },
    {
        "name": "Arbetsförmedlingen",
        "url": "https://arbetsformedlingen.se",
        "colour": "#233a6e",
    },
]

# --- People ----------------------------------------------------------------------------------
# Contact people (snippets), keyed for the projects below. All invented.

CONTACTS: dict[str, dict] = {
    "iko": {
        "name": "Lena Sandberg",
        "role": "Projektledare",
        "organisation": "Vi blir fler – IKO",
        "email": "lena.sandberg@example.org",
    },
    "kvisk-lead": {
        "name": "Nadia Karlsson",
        "role": "Projektledare",
        "organisation": "KVISK",
        "email": "nadia.karlsson@example.org",
    },
    "kvisk-sub": {
        "name": "Mats Engström",
        "role": "Delprojektledare med handledaransvar",
        "organisation": "KVISK",
        "email": "mats.engstrom@example.org",
    },
    "kvisk-coordinator": {
        "name": "Sofia Blom",
        "role": "Projektkoordinator",
        "organisation": "KVISK",
        "email": "sofia.blom@example.org",
    },
    "kvisk-nfc-sormland": {
        "name": "Helena Dahl",
        "role": "Rådgivare Nyföretagarcentrum Sörmland",
        "organisation": "Nyföretagarcentrum Sörmland",
        "email": "helena.dahl@example.org",
    },
    "kvisk-nfc-ostergotland": {
        "name": "Ingrid Falk",
        "role": "Rådgivare Nyföretagarcentrum Östergötland",
        "organisation": "Nyföretagarcentrum Östergötland",
        "email": "ingrid.falk@example.org",
    },
    "kvisk-culture": {
        "name": "Omar Haddad",
        "role": "Projektmedarbetare Kultursektorn",
        "organisation": "KVISK",
        "email": "omar.haddad@example.org",
    },
    "vimmerby": {
        "name": "Jenny Alm",
        "role": "Kontaktperson",
        "organisation": "Vimmerby kommun, Arbetsmarknadsenheten",
        "email": "jenny.alm@example.org",
    },
    "kinda": {
        "name": "Maja Ström",
        "role": "Kontaktperson",
        "organisation": "Kinda kommun, Arbetsmarknadsenheten",
        "email": "maja.strom@example.org",
    },
    "esk": {
        "name": "Daniel Ekberg",
        "role": "Kontaktperson",
        "organisation": "Etableringssamverkan Kronoberg",
        "email": "daniel.ekberg@example.org",
    },
}

# Demo users, one per role. The passwords are for a local demo machine only.
TRAINER_GROUP = "Utbildare"
COORDINATOR_GROUP = "Samordnare"  # made by kompetensverkstad's migration 0003
EDITORS_GROUP = "Editors"
MODERATORS_GROUP = "Moderators"

DEMO_USERS: list[dict] = [
    {
        "username": "larande",
        "password": "demo-larande",
        "role": "Lärande (kommunanställd)",
        "first_name": "Amina",
        "last_name": "Berg",
        "email": "larande@example.org",
        "groups": [],
        "municipality": "Västervik",
        "job_title": "Handläggare, försörjningsstöd",
    },
    {
        "username": "utbildare",
        "password": "demo-utbildare",
        "role": "Utbildare (gruppen Utbildare)",
        "first_name": "Jonas",
        "last_name": "Holm",
        "email": "utbildare@example.org",
        "groups": [TRAINER_GROUP],
        "municipality": "Kalmar",
        "job_title": "Utbildare i interkulturell kompetens",
    },
    {
        "username": "samordnare",
        "password": "demo-samordnare",
        "role": "Samordnare för Kalmar (rapporter, personal)",
        "first_name": "Lena",
        "last_name": "Sandberg",
        "email": "samordnare@example.org",
        "groups": [COORDINATOR_GROUP],
        # The municipalities whose reports and staff the coordinator answers for.
        "coordinates": ["Kalmar"],
    },
    {
        "username": "redaktor",
        "password": "demo-redaktor",
        "role": "Redaktör (Editors: skriver, skickar för granskning)",
        "first_name": "Eva",
        "last_name": "Nordin",
        "email": "redaktor@example.org",
        "groups": [EDITORS_GROUP],
    },
    {
        "username": "moderator",
        "password": "demo-moderator",
        "role": "Granskare (Moderators: godkänner och publicerar)",
        "first_name": "Karim",
        "last_name": "Saleh",
        "email": "moderator@example.org",
        "groups": [MODERATORS_GROUP],
    },
    {
        "username": "admin",
        "password": "demo-admin",
        "role": "Administratör (superanvändare)",
        "first_name": "Åsa",
        "last_name": "Wikström",
        "email": "admin@example.org",
        "groups": [],
        "superuser": True,
    },
]

# Municipalities the demo users belong to, for the completion reports per municipality.
MUNICIPALITIES: dict[str, str] = {"Västervik": "kalmar", "Kalmar": "kalmar"}

# --- Home page -------------------------------------------------------------------------------

HOME: dict = {
    "title": SITE_NAME,
    # Not "home": Wagtail's welcome page holds that slug until it is deleted.
    "slug": "kompetensverkstaden",
    "image": "hero",
    "intro": (
        "<p>Här bygger du som arbetar i kommun, region eller civilsamhälle din interkulturella "
        "kompetens – i din egen takt eller tillsammans med kollegor. Se en föreläsning om hur "
        "människor har flyttat till, från och inom Kalmar län genom århundradena, skriv din egen "
        "berättelse i ett arbetsblad och ta del av vad projektet Vi blir fler – IKO lärde sig.</p>"
    ),
    "body": [
        section(
            "Om Kompetensverkstaden",
            "<p>Kompetensverkstaden växte fram ur ESF-projektet Vi blir fler – IKO i Kalmar län "
            "(2017–2019). Materialet finns kvar här så att fler kan använda det nu när "
            "projekttiden är slut.</p>",
            "<p>Du kan gå igenom en modul på egen hand: föreläsning, arbetsblad och en artikel om "
            "projektets erfarenheter. Som utbildare kan du samla en grupp till en workshop och "
            "samtala om samma material. Det öppna materialet kan alla läsa utan att logga in; "
            "logga in när du vill spara dina svar och se hur långt du har kommit.</p>",
        ),
    ],
}

# --- Information pages -----------------------------------------------------------------------

CONTACT_EMAIL = "kompetensverkstaden@example.org"
ACCESSIBILITY_EMAIL = "tillganglighet@example.org"

STANDARD_PAGES: list[dict] = [
    {
        "title": "Om projektet",
        "slug": "om-projektet",
        "show_in_menus": True,
        "intro": (
            "Vi blir fler – IKO var ett projekt inom Europeiska socialfonden där aktörer i Kalmar "
            "län under 2017–2019 utvecklade sin interkulturella kompetens tillsammans."
        ),
        "body": [
            heading("Därför behövdes projektet"),
            paragraph(
                "<p>Det Sverige vi arbetar i i dag ser annorlunda ut än för tio år sedan, mycket "
                "tack vare migrationen. Kommuner, regioner och föreningar som arbetar med "
                "integration har fått nya uppdrag – och nya möjligheter. Med stöd från "
                "Europeiska socialfonden (ESF) drevs därför projektet Vi blir fler – IKO i "
                "Kalmar län från 2017 till 2019.</p>"
            ),
            heading("Vad står IKO för?"),
            paragraph(
                "<p>De tre bokstäverna sammanfattar vad projektet handlade om:</p>"
                "<ul><li><b>Integration</b> – att invånare som är nya i Sverige och de som har "
                "bott här länge blir en del av samma samhälle.</li>"
                "<li><b>Kompetens</b> – kunskap och färdigheter hos alla som i sitt arbete möter "
                "människor med olika bakgrund.</li>"
                "<li><b>Organisation</b> – arbetssätt och samverkan som håller även när "
                "projektet är slut.</li></ul>"
            ),
            section(
                "Målet: trygga medarbetare och ett respektfullt bemötande",
                "<p>Tanken var att du som möter invånare i ditt arbete ska bli tryggare i "
                "interkulturella möten – med ny kunskap, inspiration och verktyg som går att "
                "använda direkt.</p>",
                "<p>Interkulturell kompetens gör dig säkrare i yrkesrollen. Den invånare du möter "
                "får ett bemötande som bygger på kunskap och respekt, var i världen hen än har "
                "sina rötter. I utbildningarna stod samtalet i centrum: deltagarna lärde sig "
                "genom att dela erfarenheter och pröva sina tankar mot andras.</p>",
            ),
            section(
                "Därför finns Kompetensverkstaden",
                "<p>Ett projekt tar slut, men det som byggts upp ska leva vidare. Därför byggdes "
                "Kompetensverkstaden: för att resultaten ska finnas kvar och metoderna nå fler."
                "</p>",
                "<p>Här samlas föreläsningar, arbetsblad och erfarenheter från projektet. Alla "
                "kan läsa det öppna materialet, och utbildare kan använda det i egna workshoppar "
                "på arbetsplatsen. Nytt material publiceras av redaktörer direkt i "
                "Kompetensverkstaden, utan att någon utvecklare behövs.</p>",
            ),
            paragraph(
                f'<p>Frågor om Kompetensverkstaden? Skriv till <a href="mailto:{CONTACT_EMAIL}">'
                f"{CONTACT_EMAIL}</a>.</p>"
            ),
        ],
    },
    {
        "title": "Tillgänglighetsredogörelse",
        "slug": "tillganglighetsredogorelse",
        "show_in_menus": False,
        "intro": (
            "Så uppfyller Kompetensverkstaden kraven i lagen om tillgänglighet till digital "
            "offentlig service, de brister vi känner till och hur du meddelar oss när något inte "
            "fungerar för dig."
        ),
        # Laid out after DIGG's model statement (digg.se), with the same text in English below.
        "body": [
            paragraph(
                "<p>Kompetensverkstaden står bakom den här webbplatsen. Vi vill att så många som "
                "möjligt ska kunna använda den, oavsett funktionsförmåga. Den här redogörelsen "
                "beskriver hur webbplatsen uppfyller lagen (2018:1937) om tillgänglighet till "
                "digital offentlig service, vilka tillgänglighetsproblem vi känner till och hur "
                "du kan rapportera brister till oss så att vi kan åtgärda dem. Redogörelsen "
                "gäller webbplatsen och det som publiceras här: sidor, föreläsningsfilmer, "
                "arbetsblad och de PDF-filer som plattformen skapar.</p>"
                '<p>Redogörelsen finns också <a href="#en">på engelska</a> längre ned.</p>'
            ),
            heading("Hur tillgänglig är webbplatsen?"),
            paragraph(
                "<p>Vi vet att delar av webbplatsen inte är helt tillgängliga; de beskrivs under "
                "”Innehåll som inte är tillgängligt”. Det här är inbyggt från början:</p>"
                "<ul><li>Allt går att använda med enbart tangentbord, och en länk överst på "
                "varje sida leder direkt till innehållet.</li>"
                "<li>Sidorna har rubriker och landmärken som skärmläsare kan navigera efter.</li>"
                "<li>En bild kan inte sparas utan en alternativtext som beskriver den.</li>"
                "<li>Föreläsningarna har svensk textning, kapitel och en transkribering av hela "
                "innehållet.</li>"
                "<li>Formulärfälten har synliga etiketter. Felmeddelanden visas vid fältet och "
                "sammanfattas överst på sidan, och det du har skrivit finns kvar.</li>"
                "<li>Gränssnittet finns på svenska och engelska. Texterna som redaktörerna skriver "
                "är på svenska även i det engelska gränssnittet och är märkta som svenska, så "
                "att skärmläsare uttalar dem rätt.</li></ul>"
            ),
            heading("Vad kan du göra om du inte kan använda delar av webbplatsen?"),
            paragraph(
                "<p>Behöver du innehåll i ett annat format, till exempel ett arbetsblad i större "
                "stil eller en föreläsning som ljudfil? Skriv till "
                f'<a href="mailto:{ACCESSIBILITY_EMAIL}">{ACCESSIBILITY_EMAIL}</a>, så svarar '
                "vi normalt inom fem arbetsdagar.</p>"
            ),
            heading("Rapportera brister i webbplatsens tillgänglighet"),
            paragraph(
                "<p>Vi arbetar hela tiden med att förbättra tillgängligheten. Har du hittat ett "
                "problem som inte står här, eller tycker du att vi inte uppfyller lagens krav? "
                f'Berätta det för oss på <a href="mailto:{ACCESSIBILITY_EMAIL}">'
                f"{ACCESSIBILITY_EMAIL}</a>. Ange gärna vilken sida det gäller och vad som inte "
                "fungerar.</p>"
            ),
            heading("Tillsyn"),
            paragraph(
                "<p>Myndigheten för digital förvaltning (DIGG) har tillsyn över lagen om "
                "tillgänglighet till digital offentlig service. Om du inte är nöjd med hur vi "
                "har tagit hand om dina synpunkter kan du anmäla det till DIGG med "
                '<a href="https://www.digg.se/tdosanmalan">DIGG:s formulär för att anmäla '
                "digital service som inte är tillgänglig</a>.</p>"
            ),
            heading("Teknisk information om webbplatsens tillgänglighet"),
            paragraph(
                "<p>Webbplatsen är <b>delvis förenlig</b> med lagen om tillgänglighet till "
                "digital offentlig service (WCAG 2.1 nivå AA), på grund av de brister som "
                "beskrivs nedan.</p>"
            ),
            heading("Innehåll som inte är tillgängligt"),
            heading("Bristande förenlighet med lagkraven", "h3"),
            paragraph(
                "<ul><li>Föreläsningsfilmerna saknar syntolkning (WCAG 1.2.5). Det som visas i "
                "bild beskrivs i stället i transkriberingen under filmen.</li>"
                "<li>PDF-filerna som skapas från arbetsbladen och intygen är inte taggade för "
                "skärmläsare (WCAG 1.3.1). Samma innehåll finns alltid som vanlig webbsida.</li>"
                "<li>Redigeringsverktyget som redaktörerna använder bygger på Wagtail. Brister "
                "där åtgärdas i samarbete med Wagtail-projektet och kan ta längre tid.</li></ul>"
            ),
            heading("Oskäligt betungande anpassning", "h3"),
            paragraph("<p>Vi åberopar inte undantaget för oskäligt betungande anpassning.</p>"),
            heading("Så har vi testat webbplatsen"),
            paragraph(
                "<p>Sidorna testas automatiskt med verktyget axe i en riktig webbläsare varje "
                "gång koden ändras, på svenska och på engelska. Innan nytt material publiceras "
                "granskar redaktörerna det med tangentbord och skärmläsare. Den senaste "
                "bedömningen gjordes den 3 december 2026, och redogörelsen uppdaterades samma "
                "dag. Den ses över när plattformen får nya funktioner.</p>"
            ),
            language_section(
                "en",
                "Accessibility statement in English",
                "<p>Kompetensverkstaden is responsible for this website. We want as many people "
                "as possible to be able to use it, whatever their abilities. This statement "
                "describes how the website meets the Swedish Act on accessibility of digital "
                "public services (2018:1937), the accessibility problems we know of, and how you "
                "can report shortcomings to us so that we can fix them. It covers the website and "
                "what is published on it: pages, lecture videos, worksheets and the PDF files the "
                "platform creates.</p>"
                "<h3>How accessible is the website?</h3>"
                "<p>Parts of the website are not fully accessible; they are listed under "
                "“Content that is not accessible”. Built in from the start: everything can be "
                "used with a keyboard alone, with a link at the top of each page straight to the "
                "content; pages have headings and landmarks for screen readers; an image cannot "
                "be saved without an alternative text; lectures have Swedish captions, chapters "
                "and a full transcript; form fields have visible labels, and errors are shown by "
                "the field without losing what you wrote. The interface is available in Swedish "
                "and English. The texts editors write stay in Swedish in the English interface "
                "and are marked as Swedish, so that screen readers pronounce them correctly.</p>"
                "<h3>What can you do if you cannot use parts of the website?</h3>"
                "<p>If you need content in another format, for example a worksheet in larger "
                f'print or a lecture as an audio file, write to <a href="mailto:'
                f'{ACCESSIBILITY_EMAIL}">{ACCESSIBILITY_EMAIL}</a>. We normally answer within '
                "five working days.</p>"
                "<h3>Reporting accessibility problems</h3>"
                "<p>If you find a problem that is not described here, or think that we do not "
                f'meet the requirements of the law, tell us at <a href="mailto:'
                f'{ACCESSIBILITY_EMAIL}">{ACCESSIBILITY_EMAIL}</a>. Please say which page it '
                "concerns and what does not work.</p>"
                "<h3>Enforcement</h3>"
                "<p>The Agency for Digital Government (DIGG) supervises the Act on accessibility "
                "of digital public services. If you are not satisfied with how we have handled "
                'your feedback, you can report it to DIGG with <a href="https://www.digg.se/'
                'tdosanmalan" hreflang="sv">DIGG\'s form for reporting digital services that '
                "are not accessible</a> (in Swedish).</p>"
                "<h3>Technical information about the website's accessibility</h3>"
                "<p>The website is <b>partially compliant</b> with the Act on accessibility of "
                "digital public services (WCAG 2.1 level AA), because of the shortcomings "
                "described below.</p>"
                "<h3>Content that is not accessible</h3>"
                "<ul><li>The lecture videos have no audio description (WCAG 1.2.5). What is "
                "shown on screen is described in the transcript below the video instead.</li>"
                "<li>The PDF files made from worksheets and certificates are not tagged for "
                "screen readers (WCAG 1.3.1). The same content is always available as an "
                "ordinary web page.</li>"
                "<li>The editing tool the editors use is built on Wagtail. Shortcomings there "
                "are fixed together with the Wagtail project and may take longer.</li></ul>"
                "<p>We do not claim the exemption for disproportionate burden.</p>"
                "<h3>How we tested the website</h3>"
                "<p>Every page is tested automatically with the axe tool in a real browser each "
                "time the code changes, in Swedish and in English. Before new material is "
                "published, editors review it with a keyboard and a screen reader. The latest "
                "assessment was made on 3 December 2026, and this statement was updated the same "
                "day. It is reviewed when the platform gets new features.</p>",
            ),
        ],
    },
    {
        "title": "Cookies",
        "slug": "cookies",
        "show_in_menus": False,
        "intro": (
            "Kompetensverkstaden använder bara de kakor (cookies) som behövs för att webbplatsen "
            "ska fungera. Vi använder inga kakor för statistik, spårning eller marknadsföring."
        ),
        "body": [
            paragraph(
                "<p>En kaka är en liten textfil som en webbplats sparar i din webbläsare. Enligt "
                "lagen om elektronisk kommunikation ska du få veta vilka kakor vi använder och "
                "varför. Kakor som är nödvändiga för en tjänst du själv har bett om, som att "
                "logga in, behöver inget samtycke – och det är bara sådana vi använder.</p>"
            ),
            heading("Kakorna vi använder"),
            paragraph(
                "<ul><li><b>sessionid</b> – gör att webbplatsen känner igen dig när du har "
                "loggat in, så att du inte behöver logga in på varje sida. Den försvinner när "
                "du loggar ut och gäller annars i högst två veckor.</li>"
                "<li><b>csrftoken</b> – skyddar formulären mot förfalskade förfrågningar "
                "(CSRF), där en annan webbplats försöker skicka något i ditt namn. Kakan "
                "innehåller bara ett slumpat värde och sparas i ett år.</li>"
                "<li><b>messages</b> – kan sparas en kort stund för att visa en bekräftelse, "
                "till exempel att ditt utkast är sparat. Den tas bort när meddelandet har "
                "visats.</li></ul>"
                "<p>Språket väljer du i adressen – sidorna på engelska ligger under /en/ – så "
                "att byta språk sparar ingen kaka.</p>"
            ),
            heading("Webbläsarens lokala lagring"),
            paragraph(
                "<p>När du fyller i ett arbetsblad sparas svaren löpande hos oss. Bryts "
                "anslutningen läggs de svar som inte hann sparas tillfälligt i webbläsarens "
                "lokala lagring på din enhet och skickas när anslutningen fungerar igen. Därefter "
                "tas de bort från webbläsaren.</p>"
            ),
            heading("Om du vill ta bort kakor"),
            paragraph(
                "<p>Du kan när som helst radera kakor i webbläsarens inställningar. Om du "
                "blockerar de nödvändiga kakorna kan du fortfarande läsa det öppna materialet, "
                "men du kan inte logga in eller skicka formulär.</p>"
            ),
        ],
    },
]

# --- The module and its pages ----------------------------------------------------------------

MODULE: dict = {
    "title": "Migration i Kalmar län – förr och nu",
    "slug": "migration-i-kalmar-lan",
    "image": "module",
    "intro": (
        "Följ med på en resa genom Kalmar läns historia, från medeltidens handelsstad till i dag, "
        "och upptäck hur migration har format länet – och kanske också din egen familj."
    ),
    "audience": "Medarbetare i kommuner, regioner och organisationer som möter invånare med "
    "olika bakgrund",
    "outcomes": (
        "<ul><li>berätta om några perioder då människor flyttade till och från Kalmar län</li>"
        "<li>se din egen eller din familjs historia som en del av den större berättelsen om "
        "migration</li>"
        "<li>samtala om migration med kollegor på ett sätt som bygger förståelse</li>"
        "<li>använda det du har lärt dig när du möter invånare och kollegor med en annan "
        "bakgrund än din egen</li></ul>"
    ),
    # Each step names a page key (see the pages below) or, for a workshop, only a title.
    "steps": [
        {
            "kind": "lecture",
            "page": "lecture",
            "minutes": 25,
            "required": True,
            "description": "Se föreläsningen om migration och interkulturella möten i Kalmar "
            "län genom historien.",
        },
        {
            "kind": "worksheet",
            "page": "worksheet",
            "minutes": 45,
            "required": True,
            "description": "Skriv din egen berättelse med arbetsbladet, ensam eller tillsammans "
            "med kollegor.",
        },
        {
            "kind": "article",
            "page": "lessons",
            "minutes": 15,
            "required": True,
            "description": "Läs vad projektet Vi blir fler – IKO lärde sig och vad aktörerna "
            "säger om nyttan.",
        },
        {
            "kind": "workshop",
            "title": "Workshop: samtal i gruppen",
            "minutes": 90,
            "required": False,
            "description": "En utbildare leder ett samtal där ni delar era berättelser och "
            "pratar om vad de betyder för ert arbete.",
        },
    ],
}

LECTURE_SPEAKER = "Annika Strandberg"

LECTURE: dict = {
    "title": "Migration och interkulturella möten i Kalmar län",
    "slug": "forelasning-migration-i-kalmar-lan",
    "image": "poster",
    "video": {
        "title": "Föreläsning: migration och interkulturella möten i Kalmar län",
        "file": "iko-forelasning.webm",
        "duration": 60,
        "width": 320,
        "height": 180,
    },
    "intro": (
        f"Historikern {LECTURE_SPEAKER} berättar om människor som har kommit till, lämnat och "
        "mött varandra i Kalmar län, från medeltiden till vår tid. Det du ser är ett kortare "
        "klipp ur en 45 minuter lång föreläsning, inspelad i Västervik i mars 2019."
    ),
    "speaker": LECTURE_SPEAKER,
    "speaker_role": "Historiker, Kalmar läns museum",
    # Left empty: the demo film is a one-minute clip, and the player shows its length anyway.
    "duration_minutes": None,
    "recorded": "Mars 2019, Västervik",
    "chapters": [
        ("00:00", "Inledning: alla har en flytthistoria"),
        ("00:12", "Medeltiden: Kalmar som handelsstad"),
        ("00:25", "Glasbruk och utvandring"),
        ("00:38", "1900-talet: flykt och arbetskraftsinvandring"),
        ("00:50", "Den lilla historien i den stora"),
    ],
    "captions": """WEBVTT

1
00:00:00.000 --> 00:00:04.000
Välkomna! Människor har alltid
rört på sig.

2
00:00:04.000 --> 00:00:08.000
Kalmar län är inget undantag –
havet har varit en väg, inte en gräns.

3
00:00:08.000 --> 00:00:12.000
Fundera under tiden på var
din egen familj kommer ifrån.

4
00:00:12.000 --> 00:00:16.500
På medeltiden var Kalmar en viktig
handelsstad vid Östersjön.

5
00:00:16.500 --> 00:00:21.000
Många köpmän och hantverkare
talade lågtyska.

6
00:00:21.000 --> 00:00:25.000
År 1397 bildades unionen som
fått namn efter staden.

7
00:00:25.000 --> 00:00:29.500
Glasbruken hämtade skickliga
glasblåsare från andra länder.

8
00:00:29.500 --> 00:00:34.000
Samtidigt lämnade många länet
för att söka lyckan i Nordamerika,

9
00:00:34.000 --> 00:00:38.000
inte minst från Öland.

10
00:00:38.000 --> 00:00:42.000
Hösten 1944 flydde tusentals
människor över Östersjön.

11
00:00:42.000 --> 00:00:46.000
Efter kriget kom arbetskraft från
Finland och södra Europa.

12
00:00:46.000 --> 00:00:50.000
Senare har många sökt skydd här
undan krig och förföljelse.

13
00:00:50.000 --> 00:00:54.000
Den stora historien består
av många små.

14
00:00:54.000 --> 00:00:57.000
Vilken är din berättelse?

15
00:00:57.000 --> 00:01:00.000
Ta med frågan till arbetsbladet.
""",
    "transcript": (
        "<h3>Inledning: alla har en flytthistoria</h3>"
        "<p>Välkomna! När vi talar om migration låter det ofta som något nytt, något som hör "
        "just vår tid till. Men människor har alltid flyttat, och Kalmar län är inget undantag. "
        "Länet ligger vid Östersjön, och havet har genom historien varit en väg snarare än en "
        "gräns. I dag gör vi en resa genom några av de perioder då människor kom hit, lämnade "
        "länet eller möttes här. Fundera gärna under tiden på en fråga: var kommer min egen "
        "familj ifrån?</p>"
        "<h3>Medeltiden: Kalmar som handelsstad</h3>"
        "<p>Under medeltiden var Kalmar en av rikets viktigaste städer. Staden låg nära gränsen "
        "mot Danmark och var en knutpunkt för handeln över Östersjön. Många av köpmännen och "
        "hantverkarna talade lågtyska och hade sina rötter i de nordtyska handelsstäderna. På "
        "Kalmars gator hördes alltså flera språk, och borgarna behövde lära sig att leva och "
        "göra affärer med varandra. År 1397 samlades nordiska stormän i Kalmar, och unionen "
        "mellan Danmark, Norge och Sverige fick sitt namn efter staden: Kalmarunionen.</p>"
        "<h3>Glasbruk och utvandring</h3>"
        "<p>Under 1700- och 1800-talen växte glasbruken fram i skogarna i det som i dag kallas "
        "Glasriket, på båda sidor om gränsen mellan Kalmar och Kronobergs län. Bruken hämtade "
        "ofta skickliga glasblåsare från andra länder, och de förde med sig både hantverket och "
        "sina traditioner. Samtidigt gick en stor ström åt andra hållet. Under andra hälften av "
        "1800-talet var fattigdom och missväxt vanliga, och många i länet – inte minst på Öland "
        "– lämnade allt för att börja om i Nordamerika. Många familjer i länet har i dag "
        "släktingar på andra sidan Atlanten.</p>"
        "<h3>1900-talet: flykt och arbetskraftsinvandring</h3>"
        "<p>Under andra världskriget blev Östersjön en flyktväg. Hösten 1944 tog sig tusentals "
        "människor från Estland och Lettland över havet i små båtar till Sveriges östkust. "
        "Efter kriget behövde industrin arbetskraft, och från 1950-talet kom människor från "
        "Finland, Jugoslavien, Grekland och Italien för att arbeta i fabriker och verkstäder "
        "runt om i landet, också här. Från 1970-talet har många kommit hit för att söka skydd "
        "undan krig och förföljelse – från Chile, Iran, Irak, forna Jugoslavien och Somalia, "
        "och på senare år från bland annat Syrien och Afghanistan.</p>"
        "<h3>Den lilla historien i den stora</h3>"
        "<p>Den stora historien består av många små. Bakom varje siffra i statistiken finns en "
        "människa som lämnade något och började om någon annanstans: en piga som flyttade från "
        "Öland till Stockholm, en glasblåsare som kom långväga ifrån, en familj som flydde över "
        "havet. När vi berättar våra egna historier upptäcker vi ofta att vi har mer gemensamt "
        "än vi trodde, och det är en bra grund för ett respektfullt bemötande av både invånare "
        "och kollegor. Ta med er frågan till arbetsbladet: vilken är din berättelse?</p>"
    ),
}

WORKSHEET: dict = {
    "title": "Den lilla historien i den stora – din egen berättelse",
    "slug": "den-lilla-historien-i-den-stora",
    "purpose": (
        "Med den här aktiviteten får deltagarna syn på att migration är en del av allas historia "
        "– i släkten bakåt och i de egna livsvalen. Var och en reflekterar över sin egen "
        "berättelse och lär sig av hur andra ser på sina."
    ),
    "duration_minutes": 45,
    "group_size": "3–5 personer per grupp",
    "preparation": (
        "Se föreläsningen tillsammans, eller be deltagarna se den i förväg.\n"
        "Skriv ut det tomma arbetsbladet (PDF-länken överst på sidan) eller be deltagarna logga "
        "in och fylla i det på dator eller mobil.\n"
        "Ordna en plats där grupperna kan samtala ostört, och ha en klocka synlig."
    ),
    "stages": [
        stage(
            "Inledning",
            5,
            "Påminn om föreläsningen och om syftet. Säg tydligt att ingen behöver berätta mer "
            "än hen vill.",
        ),
        stage(
            "Egen reflektion",
            10,
            "Var och en fyller i tidslinjen och de första frågorna på egen hand.",
        ),
        stage(
            "Samtal i smågrupper",
            20,
            "Deltagarna berättar i tur och ordning om en händelse från sin tidslinje. De andra "
            "lyssnar utan att avbryta och ställer sedan nyfikna frågor.",
        ),
        stage(
            "Gemensam avslutning",
            10,
            "Samla hela gruppen. Vad överraskade er? Vad tar ni med er till arbetet?",
        ),
    ],
    "questions": [
        timeline(
            "Gör en tidslinje över flyttar i din familj, så långt bakåt som du känner till.",
            "Det kan vara en mor- eller farförälder som flyttade från landet till staden, en "
            "släkting som emigrerade eller din egen flytt för studier eller arbete.",
            period_label="År eller period",
            event_label="Vem flyttade, varifrån och vart?",
        ),
        choice(
            "Vilka skäl till att flytta finns i din familjs historia?",
            [
                "Arbete",
                "Kärlek eller familj",
                "Studier",
                "Krig eller förföljelse",
                "Fattigdom eller missväxt",
                "Äventyr och nyfikenhet",
                "Jag vet inte",
            ],
            "Välj alla som stämmer.",
            multiple=True,
        ),
        choice(
            "Vilken period i länets migrationshistoria kände du minst till före föreläsningen?",
            [
                "Medeltidens handelsstad",
                "Glasbrukens hantverkare",
                "Utvandringen till Nordamerika",
                "Flykten över Östersjön 1944",
                "Arbetskraftsinvandringen efter kriget",
                "Flyktingmottagandet på senare år",
            ],
            required=False,
        ),
        scale(
            "Hur väl kände du till din egen familjs flytthistoria innan du började?",
            "Inte alls",
            "Mycket väl",
        ),
        reflection(
            "Välj en händelse från din tidslinje och berätta mer om den. Hur tror du att den "
            "påverkade personen – och dig?",
            "Skriv så mycket eller lite du vill. Bara du ser dina svar, om du inte själv väljer "
            "att dela dem.",
        ),
        discussion(
            "<p>Berätta för varandra om en händelse från era tidslinjer. Vad har era berättelser "
            "gemensamt, och vad skiljer dem åt?</p>",
            minutes=20,
        ),
        reflection(
            "Vad tar du med dig från samtalet till ditt arbete och ditt bemötande av invånare "
            "och kollegor?",
            required=False,
            max_length=2000,
        ),
    ],
}

LESSONS_LEARNED: dict = {
    "title": "Vad vi har lärt oss",
    "slug": "vad-vi-har-lart-oss",
    "intro": (
        "Hur är det att driva ett stort ESF-projekt med många parter som vill förbättra "
        "integrationen med hjälp av utbildning och samverkan? Här berättar vi vad som fungerade "
        "i Kalmar län – kanske kan det ge idéer till din egen arbetsplats."
    ),
    "body": [
        section(
            "Integration som gynnar alla",
            "<p>Vår utgångspunkt var att en god integration gynnar alla: den som är ny i "
            "Sverige, den som har bott här länge och de organisationer som ska ge service till "
            "båda.</p>",
            "<p>När medarbetare känner sig säkra i mötet med människor från andra kulturer blir "
            "bemötandet bättre och missförstånden färre. Därför vände sig projektet brett till "
            "många aktörer i länet i stället för till en enskild verksamhet.</p>",
        ),
        section(
            "Samtalet är vägen till förståelse",
            "<p>Samtalet var projektets viktigaste arbetsform. Kunskap om integration, "
            "interkulturella möten och bemötande fastnar bäst när deltagarna får prata med "
            "varandra och pröva sina tankar mot andras.</p>",
            "<p>Utbildningarna byggde därför på korta föreläsningar följda av samtal i små "
            "grupper, med frågor hämtade från deltagarnas vardag. Samma upplägg finns i "
            "modulerna här: arbetsbladen kan användas på egen hand, men de kommer mest till "
            "sin rätt i en workshop med kollegor.</p>",
        ),
        section(
            "Från projekt till bestående resurs",
            "<p>Kompetensverkstaden finns för att det som projektet byggde upp inte skulle "
            "försvinna när projekttiden var slut.</p>",
            "<p>När föreläsningar, arbetsmaterial och erfarenheter samlas på ett ställe kan nya "
            "medarbetare ta del av samma innehåll som projektets deltagare. Den som vill veta "
            "hur andra har arbetat kan läsa vidare i projektkatalogen.</p>",
        ),
        testimonials(
            "Vad säger aktörerna om värdet av ett projekt som IKO?",
            [
                (
                    "Alla aktörer i länet fick samma chans att utveckla sin kompetens i "
                    "interkulturella möten, oavsett hur stor den egna organisationen är.",
                    "Enhetschef i en kommun i Kalmar län",
                ),
                (
                    "Vi har fått en bättre förståelse för vad som händer i ett kulturmöte. Det "
                    "gör våra medarbetare tryggare och mer professionella.",
                    "Verksamhetsutvecklare inom socialtjänsten",
                ),
            ],
            "<p>Flera aktörer lyfte fram att projektet nådde både små och stora organisationer. "
            "När utbildningen erbjöds gemensamt i länet kunde även verksamheter med få anställda "
            "vara med.</p>",
        ),
        testimonials(
            "Vad säger aktörerna om nyttan och värdet för organisationen?",
            [
                (
                    "Som ensam kommun hade vi knappast kunnat utbilda så många medarbetare i "
                    "interkulturellt bemötande. Genom IKO blev det möjligt.",
                    "HR-strateg i en kommun i Kalmar län",
                ),
                (
                    "Kunskapen går att använda direkt, i de samtal vi har varje dag.",
                    "Handläggare vid en arbetsmarknadsenhet",
                ),
            ],
            "<p>Aktörerna beskrev också att kunskapen gör bemötandet mer likvärdigt: när fler "
            "medarbetare har samma grund spelar det mindre roll vem invånaren råkar möta.</p>",
        ),
        resource_links(
            [
                (
                    "Statistik om befolkningen i Kalmar län – Region Kalmar län",
                    "https://regionkalmar.se",
                    "Region Kalmar län visar hur befolkningen i länet utvecklas, med "
                    "interaktiva diagram.",
                ),
                (
                    "Befolkningens ursprung – Statistiska centralbyrån",
                    "https://www.scb.se",
                    "SCB:s aktuella statistik över var invånarna i Sverige är födda och "
                    "varifrån de har sitt ursprung.",
                ),
            ]
        ),
    ],
}

# --- Project catalogue -----------------------------------------------------------------------

PROJECT_INDEX: dict = {
    "title": "Projektkatalogen",
    "slug": "projektkatalogen",
    "intro": (
        "Integrationsprojekt från olika delar av Sverige, med mål, metoder, resultat och "
        "nyckeltal. Filtrera på region, programområde och år, eller sök efter det som "
        "intresserar dig."
    ),
}

PROJECTS: list[dict] = [
    {
        "title": "Vi blir fler – IKO",
        "slug": "vi-blir-fler-iko",
        "image": "project-iko",
        "summary": (
            "Ett ESF-projekt i Kalmar län 2017–2019 där personal hos många aktörer fick "
            "kunskap, inspiration och verktyg för att utveckla sin interkulturella kompetens. "
            "Namnet IKO är en förkortning av integration, kompetens och organisation."
        ),
        # The source names no single owner: the project was run by many actors together.
        "project_owner": "Aktörer i Kalmar län i samverkan",
        "place": "Kalmar län",
        "region": "smaland-oarna",
        # The source gives the years only.
        "start_date": date(2017, 1, 1),
        "end_date": date(2019, 12, 31),
        "contact": "iko",
        "tags": ["Interkulturell kompetens", "Kompetensutveckling"],
        "body": [
            heading("Bakgrund"),
            paragraph(
                "<p>På tio år har migrationen förändrat Sverige. För den som arbetar med "
                "integration i en kommun eller organisation innebär det nya svårigheter men också "
                "nya chanser. Projektet samlade aktörer i hela Kalmar län kring en gemensam "
                "satsning på interkulturell kompetens.</p>"
            ),
            heading("Metoder"),
            paragraph(
                "<p>Projektet byggde på utbildning och samverkan, med lärande genom samtal i "
                "centrum. Föreläsningar om bland annat länets migrationshistoria följdes av "
                "samtal i grupp där deltagarna kopplade innehållet till sin egen vardag.</p>"
            ),
            heading("Resultat"),
            paragraph(
                "<p>Aktörerna beskriver att projektet gav alla i länet samma möjlighet till "
                "kompetensutveckling och gjorde medarbetarna tryggare i sina yrkesroller. För "
                "att resultaten ska hålla har projektets material samlats i "
                "Kompetensverkstaden.</p>"
            ),
        ],
    },
    {
        "title": "KVISK – Creative Pathways for Integration and Employment through culture",
        "slug": "kvisk",
        "image": "project-kvisk",
        "summary": (
            "Ett integrations- och arbetsmarknadsprojekt som, vid sidan av "
            "etableringsprogrammet, visar nyanlända kulturarbetare vägen in på den kreativa "
            "arbetsmarknaden i Sverige."
        ),
        # The source names the partners but not which of them owns the project.
        "project_owner": "KVISK, samverkansprojekt i Sörmland och Östergötland",
        "place": "Sörmland och Östergötland",
        "region": "ostra-mellansverige",
        "start_date": date(2017, 4, 1),
        "end_date": date(2019, 5, 31),
        "contact": "kvisk-lead",
        "staff": [
            "kvisk-lead",
            "kvisk-sub",
            "kvisk-coordinator",
            "kvisk-nfc-sormland",
            "kvisk-nfc-ostergotland",
            "kvisk-culture",
        ],
        "partners": [p["name"] for p in PARTNERS],
        "key_figures": figure_list(
            [
                (
                    "1 399",
                    "nyanlända kulturarbetare i etableringsprogrammet, Sörmland och "
                    "Östergötland sammanlagt",
                ),
                (
                    "80 %",
                    "av dem som arbetar i den kreativa sektorn är egenföretagare eller verksamma "
                    "i kooperativ och ekonomiska föreningar",
                ),
                ("14 %", "av alla som har arbete i KRUT-området hör till den kreativa sektorn"),
                ("45 %", "andel kvinnor bland dem som arbetar i den kreativa sektorn"),
            ]
        ),
        "tags": ["Kultur", "Etablering", "Språkpraktik"],
        "body": [
            heading("Ett utbyte åt båda hållen"),
            paragraph(
                "<p>Integration är en process i två riktningar – det är den första av EU:s "
                "grundprinciper för integration. KVISK tillämpar tanken när nyanlända "
                "kulturarbetare och den kreativa sektorn möts: båda parter lär av varandra.</p>"
            ),
            heading("Metoder"),
            paragraph(
                "<p>Deltagarna gör språkpraktik inom det område de är utbildade i. Det gör det "
                "lättare att lära sig svenska, och de får samtidigt det fackspråk som behövs för "
                "att på sikt arbeta i branschen. Praktiken ger också en inblick i hur den "
                "kreativa arbetsmarknaden fungerar i Sverige.</p>"
            ),
            heading("Vad sektorn vinner"),
            paragraph(
                "<p>Kultursektorn möter professionella som har erfarenheter från andra "
                "arbetsmarknader än den svenska. Det tillför ny kompetens och motverkar de "
                "snäva rekryteringsmönster som finns i sektorn.</p>"
            ),
            paragraph(
                "<p>Europeiska socialfonden finansierar KVISK. Projektet drivs tillsammans med "
                "fyra parter: Landstinget i Sörmland, Region Östergötland, Nyföretagarcentrum "
                "i Sörmland och Östergötland och Arbetsförmedlingen.</p>"
            ),
        ],
    },
    {
        "title": "Arbetsintegration kvinnor",
        "slug": "arbetsintegration-kvinnor",
        "image": "project-vimmerby",
        "summary": (
            "Vimmerby kommun bygger vidare på nätverket Vimmerby Mötesplatser för att hjälpa "
            "utrikesfödda kvinnor till jobb, praktik och språkträning – och därmed till egen "
            "försörjning."
        ),
        "project_number": "2016/00166",
        "project_owner": "Vimmerby kommun, Arbetsmarknadsenheten",
        "place": "Vimmerby",
        "region": "smaland-oarna",
        "planned_participants": 45,
        "start_date": date(2016, 9, 5),
        "end_date": date(2019, 8, 30),
        "total_budget": 18_697_173,
        "esf_grant": 8_783_861,
        "cofinancing_rate": 50,
        "programme_area": "2",
        "specific_objective": "2.1",
        "intervention_type": "102",
        "contact": "vimmerby",
        "tags": ["Arbetsmarknadsrelaterade insatser", "Utrikesfödda kvinnor", "Praktik"],
        "body": [
            heading("Bakgrund"),
            paragraph(
                "<p>Grunden är en förstudie, också den finansierad av ESF, som undersökte vad "
                "som hjälper utrikesfödda kvinnor i Vimmerby att få arbete och klara sig på egen "
                "lön. Kommunen har redan prövat flera av förstudiens idéer, framför allt "
                "mötesplatser som kommunen, ideella organisationer och näringslivet har format "
                "tillsammans. Nätverket Vimmerby Mötesplatser finns nu på riktigt, och "
                "samarbetet mellan sektorerna är kärnan i arbetet.</p>"
            ),
            heading("Metoder"),
            paragraph(
                "<ul><li><b>Matchning mot arbete.</b> Deltagaren kommer så snabbt som möjligt "
                "ut på en arbetsplats för arbetsträning eller praktik. Stödet formas kring "
                "praktikplatsen enligt metoden supported employment, i stället för i externa "
                "program.</li>"
                "<li><b>Fler stödjande aktörer.</b> Studie- och yrkesvägledare, lärare i "
                "svenska och sfi och vid behov kurativt stöd knyts till deltagaren.</li>"
                "<li><b>Certifierad praktik.</b> En valideringsmetod som ser till hur personen "
                "klarar konkreta arbetsuppgifter i stället för till ursprung eller "
                "språkkunskaper.</li>"
                "<li><b>Parpraktik</b>, som gör det tryggare att ta steget ut på en arbetsplats, "
                "liksom föreläsningar, studiebesök och workshoppar om bland annat att starta eget "
                "och socialt företagande.</li>"
                "<li><b>Attitydpåverkan</b> riktad mot arbetsmarknaden och näringslivet.</li>"
                "</ul>"
            ),
            heading("Förväntade resultat"),
            paragraph(
                "<p>Målet är att deltagarna blir självförsörjande och får större kompetens och "
                "fler kontakter på arbetsmarknaden. Omgivningen förväntas då se gruppen som en "
                "känd och efterfrågad resurs snarare än som personer i utanförskap. Metoder som "
                "visar sig fungera ska bli en del av kommunens vanliga arbete och kunna användas "
                "i andra delar av regionen och landet. Det breda samarbetet ska fortsätta när "
                "projektet är slut.</p>"
            ),
        ],
    },
    {
        "title": "Alla med – integrera med praktik",
        "slug": "alla-med-integrera-med-praktik",
        "image": "project-kinda",
        "summary": (
            "Kinda, Söderköping och Motala utbildar chefer, handledare och kollegor för att ta "
            "emot nyanlända praktikanter bättre, i kommunernas egna verksamheter och i det "
            "lokala näringslivet."
        ),
        "project_number": "2017/00090",
        "project_owner": "Kinda kommun, Arbetsmarknadsenheten",
        "place": "Kinda, Söderköping och Motala",
        "region": "ostra-mellansverige",
        "planned_participants": 2538,
        "women_share": 79,
        "start_date": date(2017, 9, 1),
        "end_date": date(2019, 8, 31),
        "total_budget": 9_577_197,
        "esf_grant": 7_181_384,
        "cofinancing_rate": 50,
        "programme_area": "1",
        "specific_objective": "1.1",
        "intervention_type": "117",
        "contact": "kinda",
        "tags": ["Kompetensutveckling", "Praktik", "Nyanlända"],
        "key_figures": figure_list(
            [
                ("2 538", "personer planeras delta i projektets utbildningar"),
                ("79 %", "av deltagarna är kvinnor"),
                ("3", "kommuner i Östergötland samverkar"),
            ]
        ),
        "body": [
            heading("Syfte"),
            paragraph(
                "<p>Nyanlända som gör praktik i Kinda, Söderköping och Motala ska mötas av "
                "arbetsplatser som vet hur ett bra mottagande går till. Projektet satsar främst "
                "på kommunernas egna verksamheter, men lokala företag är också med, och det "
                "knyter kommunerna och den lokala Arbetsförmedlingen närmare varandra. På längre "
                "sikt ska fler komma in på arbetsmarknaden och färre stå utanför.</p>"
            ),
            heading("Metoder"),
            paragraph(
                "<p>Kinda, Söderköping och Motala har tillsammans sett behovet av att utveckla "
                "kompetensen hos de anställda som tar emot och handleder praktikanter. "
                "Utbildningarna når alla nivåer – från ledningens strategiska beslut till "
                "kollegorna på arbetsplatsen – och ger verktyg som går att använda direkt. "
                "Nyanlända är med och formar utbildningarna, och varje moment tar upp "
                "jämställdhet, tillgänglighet och likabehandling.</p>"
            ),
            heading("Därför behövs det"),
            paragraph(
                "<p>I dag hänger mycket av praktiken på den enskilda handledaren. När även "
                "chefer ser praktiken som ett strategiskt verktyg för integration blir "
                "mottagandet mer effektivt och bättre för den nyanlända. Arbetsförmedlingen "
                "förmedlar kontakten mellan den nyanlända och arbetsplatsen och är därför med i "
                "projektet.</p>"
            ),
        ],
    },
    {
        "title": "ESK – Etableringssamverkan Kronoberg och ESK2",
        "slug": "esk-etableringssamverkan-kronoberg",
        "image": "project-esk",
        "summary": (
            "Åtta kommuner i Kronobergs län samverkar för att fler nyanlända ska börja arbeta "
            "eller studera när etableringsperioden är slut, och utvecklar arbetssätt som på lång "
            "sikt gör det lättare att försörja sig själv."
        ),
        "project_owner": "Etableringssamverkan Kronoberg",
        "place": (
            "Alvesta, Lessebo, Ljungby, Markaryd, Tingsryd, Uppvidinge, Växjö och Älmhult kommuner"
        ),
        "region": "smaland-oarna",
        "planned_participants": 543,
        "women_share": 62,
        "start_date": date(2017, 4, 10),
        "end_date": date(2021, 10, 31),
        "total_budget": 39_000_000,
        "contact": "esk",
        "tags": ["Arbetsmarknadsrelaterade insatser", "Etablering", "Språkpraktik"],
        "key_figures": figure_list(
            [
                ("543", "deltagare totalt"),
                ("336", "av deltagarna är kvinnor"),
                ("62 %", "kvinnor bland deltagarna – målet var 60 %"),
            ]
        ),
        "body": [
            heading("Deltagarna"),
            paragraph(
                "<p>Syrien, Irak, Afghanistan och Somalia är några av deltagarnas "
                "ursprungsländer, och arabiska är det vanligaste språket. Ingen har haft "
                "uppehållstillstånd i mer än tre år. Bland kvinnorna är det vanligt med kort "
                "skolgång och lite arbete utanför hemmet. Erfarenheter från tidigare arbete "
                "pekade på att stödet behöver komma i gång tidigt, strax efter beslutet om "
                "uppehållstillstånd – och allra mest för kvinnorna.</p>"
            ),
            heading("Metoder"),
            paragraph(
                "<ul><li><b>En samordnande koordinator.</b> Deltagarens utbildning, "
                "arbetslivserfarenhet, hinder och möjligheter kartläggs. Utifrån det föreslår en "
                "coachande koordinator stöd från flera håll – för språket, hälsan eller "
                "kunskapen om det svenska samhället.</li>"
                "<li><b>Sfi med språkpraktik.</b> Att kombinera sfi med praktik har varit "
                "framgångsrikt.</li>"
                "<li><b>Industriprogram för kvinnor.</b> Ett program på tio veckor hos "
                "Monticos industriutbildning i Växjö väcker kvinnors intresse för industrin. "
                "Tretton kvinnor långt från arbetsmarknaden deltar i dag.</li></ul>"
            ),
            heading("Resultat"),
            paragraph(
                "<p>I projektets slutfas ser resultaten goda ut, särskilt för kvinnorna: "
                "jämfört med riket i stort får de anställning oftare än männen, även om ingen "
                "ännu vet varför. Målet om 60 procent kvinnor är nått. Koordinatorrollen "
                "används nu i de flesta av länets kommuner och har spridit sig vidare, bland "
                "annat till Stockholms stads ESF-projekt Hållbar Etablering. En uppföljning av "
                "deltagarnas sysselsättning sex månader efter insatsen planeras.</p>"
            ),
        ],
    },
]
