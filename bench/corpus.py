#!/usr/bin/env python3
"""A synthetic bilingual knowledge portal, for benchmarks.

Deterministic: the same --pairs and --seed give the same files, byte for
byte. Each pair is one page in French and its English translation, about
9 KB of Markdown each (headings, lists, emphasis, internal links, a table
now and then), spread over four sections like a real portal (news 45 %,
activities 25 %, good practices 20 %, institutional pages 10 %), tagged with
themes, countries and tags.

    python3 bench/corpus.py --pairs 1000 --out /tmp/portal-1k
    python3 bench/corpus.py --pairs 1000 --out /tmp/hugo-1k --flavor hugo

The `portail` flavor is a site for `portail build`; the `hugo` flavor is
the same content as a Hugo site (same pages, taxonomies, pagination by 20,
a feed of 20 full entries for the home page and each section, sitemap) with
minimal layouts, for side-by-side timings. Python standard library only;
the same Python version gives the same files.
"""

import argparse
import datetime
import os
import random
import shutil

# Section, share of the pages, French and English titles.
SECTIONS = [
    ("news", 0.45, "Actualités", "News"),
    ("activities", 0.25, "Activités", "Activities"),
    ("good-practices", 0.20, "Bonnes pratiques", "Good practices"),
    ("pages", 0.10, "Le réseau", "The network"),
]

THEMES = [
    ("gouvernance", "Gouvernance", "Governance"),
    ("mobilite", "Mobilité", "Mobility"),
    ("emploi", "Emploi", "Employment"),
    ("education", "Éducation", "Education"),
    ("sante", "Santé", "Health"),
    ("climat", "Climat", "Climate"),
    ("donnees", "Données", "Data"),
    ("protection", "Protection", "Protection"),
    ("diaspora", "Diaspora", "Diaspora"),
    ("droits", "Droits", "Rights"),
    ("cooperation", "Coopération", "Cooperation"),
    ("territoires", "Territoires", "Regions"),
]

COUNTRIES = [
    ("senegal", "Sénégal", "Senegal"), ("mali", "Mali", "Mali"),
    ("maroc", "Maroc", "Morocco"), ("tunisie", "Tunisie", "Tunisia"),
    ("niger", "Niger", "Niger"), ("ghana", "Ghana", "Ghana"),
    ("nigeria", "Nigéria", "Nigeria"), ("cameroun", "Cameroun", "Cameroon"),
    ("guinee", "Guinée", "Guinea"), ("benin", "Bénin", "Benin"),
    ("togo", "Togo", "Togo"), ("mauritanie", "Mauritanie", "Mauritania"),
    ("espagne", "Espagne", "Spain"), ("france", "France", "France"),
    ("italie", "Italie", "Italy"), ("belgique", "Belgique", "Belgium"),
    ("portugal", "Portugal", "Portugal"), ("allemagne", "Allemagne", "Germany"),
    ("suisse", "Suisse", "Switzerland"), ("gambie", "Gambie", "Gambia"),
]

CITIES = ["Dakar", "Rabat", "Bamako", "Niamey", "Accra", "Lomé", "Cotonou",
          "Madrid", "Lisbonne", "Rome", "Bruxelles", "Genève", "Abidjan", "Tunis"]

# Word banks for sentences: (subjects, verbs, objects, complements).
FR = {
    "lang": "fr",
    "subjects": ["Le secrétariat", "Le point focal national", "La commission",
                 "Chaque pays partenaire", "Le groupe de travail", "L'autorité locale",
                 "Le comité de pilotage", "Une équipe régionale", "L'association",
                 "Le réseau des experts", "L'observatoire", "Le ministère concerné",
                 "La délégation", "La collectivité territoriale"],
    "verbs": ["présente", "prépare", "évalue", "renforce", "coordonne", "publie", "soutient",
              "examine", "finance", "accompagne", "met en œuvre", "partage", "analyse",
              "réunit", "améliore", "élabore"],
    "objects": ["une feuille de route", "les données de suivi", "un guide pratique",
                "les résultats de l'enquête", "un programme de formation",
                "les recommandations", "une étude comparative", "le plan d'action",
                "les outils de coopération", "un cadre commun", "les indicateurs",
                "des projets pilotes", "la stratégie régionale", "un rapport annuel",
                "les échanges d'expériences", "un mécanisme de concertation"],
    "complements": ["pour l'année à venir", "avec les partenaires européens",
                    "dans les régions frontalières", "au bénéfice des jeunes",
                    "en lien avec la société civile", "à l'échelle nationale",
                    "malgré des moyens limités", "après une large consultation",
                    "selon un calendrier précis", "dans un esprit de dialogue",
                    "avec l'appui des experts", "au cours du prochain semestre",
                    "pour mieux protéger les personnes", "grâce à des financements nouveaux"],
    "headings": ["Contexte", "Objectifs", "Déroulement", "Résultats attendus", "Partenaires",
                 "Enseignements", "Prochaines étapes", "Méthode", "Chiffres clés",
                 "Témoignages"],
    "see_also": "Voir aussi",
    "read_more": "En savoir plus",
    "table": ("Indicateur", "Valeur", "Évolution"),
}
EN = {
    "lang": "en",
    "subjects": ["The secretariat", "The national focal point", "The commission",
                 "Each partner country", "The working group", "The local authority",
                 "The steering committee", "A regional team", "The association",
                 "The expert network", "The observatory", "The ministry concerned",
                 "The delegation", "The local government"],
    "verbs": ["presents", "prepares", "assesses", "strengthens", "coordinates", "publishes",
              "supports", "reviews", "funds", "assists", "implements", "shares", "analyses",
              "brings together", "improves", "drafts"],
    "objects": ["a roadmap", "the monitoring data", "a practical guide", "the survey results",
                "a training programme", "the recommendations", "a comparative study",
                "the action plan", "the cooperation tools", "a common framework",
                "the indicators", "pilot projects", "the regional strategy", "an annual report",
                "exchanges of experience", "a consultation mechanism"],
    "complements": ["for the coming year", "with European partners", "in border regions",
                    "for the benefit of young people", "together with civil society",
                    "at national level", "despite limited means", "after a broad consultation",
                    "on a clear timetable", "in a spirit of dialogue", "with expert support",
                    "during the next semester", "to better protect people",
                    "thanks to new funding"],
    "headings": ["Background", "Objectives", "How it works", "Expected results", "Partners",
                 "Lessons learnt", "Next steps", "Method", "Key figures", "Testimonies"],
    "see_also": "See also",
    "read_more": "Read more",
    "table": ("Indicator", "Value", "Change"),
}

START = datetime.date(2015, 1, 1)

# Real text keeps meeting new words (names of people, places, programmes)
# the more of it there is; the search index grows with them. Names are
# drawn log-uniformly from a large pool, so a few are frequent and most rare.
SYLLABLES = ["ba", "bi", "bo", "da", "de", "di", "do", "fa", "fo", "ga", "gou", "ka", "ke",
             "ki", "ko", "kou", "la", "le", "li", "lo", "ma", "me", "mi", "mo", "mou", "na",
             "ne", "ni", "no", "ndi", "ndo", "ou", "pa", "pe", "ra", "re", "ri", "ro", "sa",
             "se", "si", "so", "sou", "ta", "te", "ti", "to", "tou", "va", "ya", "za", "zi"]
NAMES = 200000


def name(rng):
    i = int(NAMES ** rng.random())
    syllables = random.Random(i)
    return "".join(syllables.choice(SYLLABLES) for _ in range(syllables.randint(2, 4))).capitalize()


NAMED = {"fr": (" avec {}", " à {}", " selon {}"), "en": (" with {}", " in {}", " according to {}")}


def sentence(rng, words):
    named = ""
    if rng.random() < 0.6:
        named = rng.choice(NAMED[words["lang"]]).format(name(rng))
    text = "{} {} {} {}{}.".format(
        rng.choice(words["subjects"]), rng.choice(words["verbs"]),
        rng.choice(words["objects"]), rng.choice(words["complements"]), named)
    if rng.random() < 0.15:
        obj = rng.choice(words["objects"])
        text = text.replace(obj, "**{}**".format(obj), 1)
    return text


def paragraph(rng, words, n):
    return " ".join(sentence(rng, words) for _ in range(n))


class Page:
    """One pair: what both languages share."""

    def __init__(self, rng, n, section):
        self.n = n
        self.section = section
        self.slug = "{}-{:05d}".format(
            "-".join(rng.sample(["rapport", "atelier", "forum", "guide", "mission", "bilan",
                                 "reseau", "projet", "etude", "dialogue", "session", "appel"], 2)),
            n)
        self.date = START + datetime.timedelta(days=rng.randrange(4000))
        self.themes = sorted(rng.sample(range(len(THEMES)), rng.randint(1, 3)))
        self.countries = sorted(rng.sample(range(len(COUNTRIES)), rng.randint(1, 3)))
        self.tags = sorted(rng.sample(range(60), rng.randint(2, 5)))
        self.city = rng.choice(CITIES)
        self.days = rng.randint(0, 3)
        self.title_words = rng.randrange(1 << 30)
        self.body_seed = rng.randrange(1 << 30)


def title(page, words):
    rng = random.Random(page.title_words)
    obj = rng.choice(words["objects"])
    return "{} {} {}".format(rng.choice(words["subjects"]), rng.choice(words["verbs"]), obj)


def body(page, lang, words, pages, target_bytes=8000):
    """About `target_bytes` of Markdown, with links to other pages."""
    rng = random.Random(page.body_seed * 2 + (lang == "en"))
    parts = [paragraph(rng, words, 4)]
    headings = rng.sample(words["headings"], len(words["headings"]))
    h = 0
    while sum(len(p) for p in parts) < target_bytes:
        parts.append("## " + headings[h % len(headings)])
        h += 1
        kind = rng.random()
        if kind < 0.2:
            parts.append("\n".join("- " + sentence(rng, words) for _ in range(rng.randint(3, 6))))
        elif kind < 0.27:
            a, b, c = words["table"]
            rows = ["| {} | {} | {} |".format(a, b, c), "| --- | ---: | ---: |"]
            for _ in range(4):
                rows.append("| {} | {} | {:+d} % |".format(
                    rng.choice(words["objects"]), rng.randint(10, 9999), rng.randint(-20, 40)))
            parts.append("\n".join(rows))
        for _ in range(rng.randint(1, 3)):
            parts.append(paragraph(rng, words, rng.randint(3, 7)))
        if rng.random() < 0.3:
            other = pages[rng.randrange(len(pages))]
            parts.append("{} : [{}]({}).".format(
                words["see_also"], title(other, words), link(other, lang))
                if lang == "fr" else "{}: [{}]({}).".format(
                    words["see_also"], title(other, words), link(other, lang)))
    return "\n\n".join(parts) + "\n"


def link(page, lang):
    return LINK(page, lang)


def portail_link(page, lang):
    return "@/{}/{}.{}.md".format(page.section, page.slug, lang)


def hugo_link(page, lang):
    return '{{{{< relref "/{}/{}" >}}}}'.format(page.section, page.slug)


LINK = portail_link


def toml_list(items):
    return "[" + ", ".join('"{}"'.format(i) for i in items) + "]"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def front_matter(page, lang, words, flavor):
    lines = ['title = "{}"'.format(title(page, words).replace('"', "'"))]
    rng = random.Random(page.body_seed + 7)
    lines.append('description = "{}"'.format(sentence(rng, words).replace('"', "'")))
    lines.append("date = {}".format(page.date.isoformat()))
    if page.section == "activities":
        end = page.date + datetime.timedelta(days=page.days)
        lines += ["start = {}".format(page.date.isoformat()), "end = {}".format(end.isoformat()),
                  'location = "{}"'.format(page.city)]
    themes = [THEMES[i][0] for i in page.themes]
    countries = [COUNTRIES[i][0] for i in page.countries]
    tags = ["tag-{:02d}".format(i) for i in page.tags]
    if flavor == "portail":
        lines += ["", "[taxonomies]", "themes = " + toml_list(themes),
                  "countries = " + toml_list(countries), "tags = " + toml_list(tags)]
    else:
        lines += ["themes = " + toml_list(themes), "countries = " + toml_list(countries),
                  "tags = " + toml_list(tags)]
    return "+++\n" + "\n".join(lines) + "\n+++\n\n"


def portail_config():
    sections = "\n".join(
        "[sections.{}]\nshared = [\"date\"{}]\n".format(
            name, ', "start", "end", "location"' if name == "activities" else "")
        + ("\n[sections.activities.fields]\nstart = \"date\"\nend = \"date\"\n"
           "location = \"string\"\n" if name == "activities" else "")
        for name, *_ in SECTIONS)
    return (
        'base_url = "https://portail.example.org/"\n'
        'default_language = "fr"\n\n'
        '[languages.fr]\nname = "Français"\ntitle = "Portail d\'exemple"\n\n'
        '[languages.en]\nname = "English"\ntitle = "Sample portal"\n\n'
        "[taxonomies.themes]\nslug = { fr = \"themes\", en = \"themes\" }\n"
        "title = { fr = \"Thèmes\", en = \"Themes\" }\npaginate_by = 20\n\n"
        "[taxonomies.countries]\nslug = { fr = \"pays\", en = \"countries\" }\n"
        "title = { fr = \"Pays\", en = \"Countries\" }\npaginate_by = 20\n\n"
        "[taxonomies.tags]\nslug = { fr = \"mots-cles\", en = \"tags\" }\n"
        "title = { fr = \"Mots-clés\", en = \"Tags\" }\npaginate_by = 20\n\n" + sections)


def portail_terms(out):
    for name, table in [("themes", THEMES), ("countries", COUNTRIES)]:
        text = "".join('[{}]\nfr = "{}"\nen = "{}"\n\n'.format(slug, fr, en)
                       for slug, fr, en in table)
        write(os.path.join(out, "data", name + ".toml"), text)


HUGO_CONFIG = """baseURL = "https://portail.example.org/"
defaultContentLanguage = "fr"
defaultContentLanguageInSubdir = true
paginate = 20
enableRobotsTXT = true
buildFuture = true

# Feeds as portail makes them: the home page and each section, 20 entries
# with their full content and terms; no feed per taxonomy or term.
[services.rss]
limit = 20

[outputs]
home = ["HTML", "RSS"]
section = ["HTML", "RSS"]
taxonomy = ["HTML"]
term = ["HTML"]

[languages.fr]
languageName = "Français"
title = "Portail d'exemple"
weight = 1

[languages.en]
languageName = "English"
title = "Sample portal"
weight = 2

[taxonomies]
theme = "themes"
country = "countries"
tag = "tags"
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": """<!DOCTYPE html>
<html lang="{{ .Language.Lang }}">
<head><meta charset="utf-8"><title>{{ .Title }} · {{ .Site.Title }}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Language.Lang }}" href="{{ .Permalink }}">{{ end }}
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .Permalink }}">{{ end }}
</head>
<body>
<header><a href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a>
<nav>{{ range .Site.Sections }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}</nav>
<nav>{{ range .Translations }}<a href="{{ .RelPermalink }}" lang="{{ .Language.Lang }}">{{ .Language.LanguageName }}</a>{{ end }}</nav>
</header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
    "_default/single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p>{{ .Date.Format "2006-01-02" }}{{ with .Params.location }} · {{ . }}{{ end }}</p>
{{ .Content }}
<p>{{ range .GetTerms "themes" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}
{{ range .GetTerms "countries" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}
{{ range .GetTerms "tags" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
</article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}
{{ $pager := .Paginate .Pages.ByDate.Reverse }}
<ul>{{ range $pager.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}<p>{{ .Description }}</p></li>{{ end }}</ul>
<nav>{{ if $pager.HasPrev }}<a href="{{ $pager.Prev.URL }}">←</a>{{ end }} {{ if $pager.HasNext }}<a href="{{ $pager.Next.URL }}">→</a>{{ end }}</nav>
{{ end }}
""",
    "_default/terms.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
{{ end }}
""",
    "_default/rss.xml": """{{ printf "<?xml version=\\"1.0\\" encoding=\\"utf-8\\"?>" | safeHTML }}
<rss version="2.0"><channel><title>{{ .Title }} · {{ .Site.Title }}</title><link>{{ .Permalink }}</link>
{{ $pages := .RegularPages }}{{ if .IsHome }}{{ $pages = .Site.RegularPages }}{{ end }}
{{ range first 20 $pages.ByDate.Reverse }}<item><title>{{ .Title }}</title><link>{{ .Permalink }}</link><guid>{{ .Permalink }}</guid>
<pubDate>{{ .Date.Format "Mon, 02 Jan 2006 15:04:05 -0700" }}</pubDate>
{{ range .GetTerms "themes" }}<category>{{ .LinkTitle }}</category>{{ end }}
<description>{{ .Content | html }}</description></item>
{{ end }}</channel></rss>
""",
    "index.html": """{{ define "main" }}<h1>{{ .Site.Title }}</h1>{{ .Content }}
<ul>{{ range first 10 (where .Site.RegularPages.ByDate.Reverse "Section" "news") }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
{{ end }}
""",
}


def generate(pairs, seed, out, flavor):
    global LINK
    LINK = portail_link if flavor == "portail" else hugo_link
    rng = random.Random(seed)
    if os.path.exists(out):
        shutil.rmtree(out)
    counts = [int(pairs * share) for _, share, _, _ in SECTIONS]
    counts[0] += pairs - sum(counts)
    pages = []
    n = 0
    for (section, *_), count in zip(SECTIONS, counts):
        for _ in range(count):
            pages.append(Page(rng, n, section))
            n += 1
    content = os.path.join(out, "content")
    # Home and sections.
    for lang, home in [("fr", "Portail d'exemple"), ("en", "Sample portal")]:
        write(os.path.join(content, "_index.{}.md".format(lang)),
              '+++\ntitle = "{}"\n+++\n\n{}\n'.format(home, paragraph(random.Random(1), FR if lang == "fr" else EN, 2)))
    for section, _, fr_title, en_title in SECTIONS:
        for lang, t in [("fr", fr_title), ("en", en_title)]:
            extra = 'sort_by = "date"\npaginate_by = 20\n' if flavor == "portail" else ""
            write(os.path.join(content, section, "_index.{}.md".format(lang)),
                  '+++\ntitle = "{}"\n{}+++\n'.format(t, extra))
    for page in pages:
        for lang, words in [("fr", FR), ("en", EN)]:
            write(os.path.join(content, page.section, "{}.{}.md".format(page.slug, lang)),
                  front_matter(page, lang, words, flavor) + body(page, lang, words, pages))
    if flavor == "portail":
        write(os.path.join(out, "config.toml"), portail_config())
        portail_terms(out)
    else:
        write(os.path.join(out, "hugo.toml"), HUGO_CONFIG)
        for name, text in HUGO_LAYOUTS.items():
            write(os.path.join(out, "layouts", name), text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=1000, help="pages per language")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", required=True, help="folder to (re)create")
    parser.add_argument("--flavor", choices=["portail", "hugo"], default="portail")
    args = parser.parse_args()
    generate(args.pairs, args.seed, args.out, args.flavor)


if __name__ == "__main__":
    main()
