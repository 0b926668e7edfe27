"""Page subjects (kurt.checks.grounding.subjects): a fact only another page's subject has."""

from kurt.checks.grounding.subjects import (
    _forms,
    _mentions,
    document_title,
    site_name,
    subject_of,
)

NUXT = """---
title: Deploy a Nuxt App
---

# Deploy a Nuxt App

Run `npm run dev` and open `http://localhost:3000` to see the Nuxt app.
Nuxt builds into the `.output` directory.
"""

REMIX = """---
title: Deploy a Remix App
---

# Deploy a Remix App

Run `npm run dev` and open `http://localhost:5173` to see the Remix app.
Remix builds into the `build` directory and is served with Nginx.
"""

GENERAL = """---
title: Manage Environment Variables in Frontend Builds
---

# Manage Environment Variables in Frontend Builds

Frontend builds read variables at build time; the dev server listens on port 8080.
"""


def check(body: str, vocabulary, pages=(("nuxt", NUXT), ("remix", REMIX))) -> list:
    from kurt.checks.grounding import check_specifics
    from kurt.checks.passages import SectionSources, file_passages

    text = "---\nstatus: draft\n---\n\n# Guide\n\n" + body + "\n"
    passages = [p for name, page in pages
                for p in file_passages(f"sources/docs.example.com/guides/{name}.md", page)]
    sections = [SectionSources(1, text.count("\n") + 1, None, passages)]
    return check_specifics(text, "projects/p/drafts/d.md", sections, vocabulary=vocabulary)


def test_a_value_only_another_subjects_page_gives_is_reported(vocabulary):
    [finding] = check("For Nuxt, run `npm run dev` and open `http://localhost:5173`.", vocabulary)
    assert finding.message == 'URL "http://localhost:5173" is what the sources give for ' \
                              'Remix, not Nuxt'
    assert finding.evidence.path == "sources/docs.example.com/guides/remix.md"
    assert "do not state it" in finding.suggestion


def test_a_name_only_another_subjects_page_gives_is_reported(vocabulary):
    [finding] = check("The Nuxt app is served with Nginx.", vocabulary)
    assert finding.message == 'Name "Nginx" is what the sources give for Remix, not Nuxt'


def test_the_subjects_own_value_and_shared_values_pass(vocabulary):
    assert check("For Nuxt, run `npm run dev` and open `http://localhost:3000`.", vocabulary) == []
    assert check("Remix is served with Nginx, and Nuxt builds into `.output`.", vocabulary) == []


def test_what_a_list_of_subjects_states_is_theirs_together(vocabulary):
    assert check("Nuxt and Remix both open `http://localhost:5173`.", vocabulary) == []


def test_the_products_own_name_makes_a_clause_general(vocabulary):
    assert check("Nuxt runs anywhere, and Example serves it with Nginx.", vocabulary) == []


def test_a_page_about_no_subject_states_general_facts(vocabulary):
    pages = (("nuxt", NUXT), ("remix", REMIX), ("variables", GENERAL))
    assert check("The Nuxt dev server listens on port 8080.", vocabulary, pages) == []
    [finding] = check("The Nuxt dev server is served with Nginx.", vocabulary, pages)
    assert "for Remix, not Nuxt" in finding.message


def test_pages_that_share_a_subject_are_its_pages_together(vocabulary):
    docker = "---\ntitle: Run Nuxt in Docker\n---\n\nServe the Nuxt build with Nginx.\n"
    pages = (("nuxt", NUXT), ("nuxt-docker", docker), ("remix", REMIX))
    assert check("The Nuxt app is served with Nginx.", vocabulary, pages) == []


def test_the_subject_is_the_nearest_in_the_clause_else_the_last_before():
    text = "A Repl moves off Replit, or a WordPress site off DigitalOcean."
    mentions = [(17, 23, "Replit"), (50, 62, "DigitalOcean")]
    start = text.index("WordPress")
    assert subject_of(text, start, start + 9, mentions) == "DigitalOcean"
    text = "For Nuxt, run the server and open port 5173."
    start = text.index("5173")
    assert subject_of(text, start, start + 4, [(4, 8, "Nuxt")]) == "Nuxt"


def test_list_items_are_not_given_for_one_subject():
    text = "Ruby, Elixir and Java differ."
    start = text.index("Java")
    assert subject_of(text, start, start + 4, [(0, 4, "Ruby on Rails")]) is None


def test_subjects_are_named_by_a_distinctive_word_of_their_title():
    found = _mentions("Fiber and Solid differ from Gin.", _forms(["Go Fiber", "SolidJS", "Gin"]))
    assert [m[2] for m in found] == ["Go Fiber", "SolidJS", "Gin"]


def test_titles_come_from_metadata_else_the_first_heading():
    from kurt.checks.passages import file_passages

    assert document_title(file_passages("sources/a.com/x.md", NUXT)) == "Deploy a Nuxt App"
    assert document_title(file_passages("sources/a.com/x.md", "# Hono Guide\n\nText.\n")) \
        == "Hono Guide"


def test_site_name_is_the_sites_own_name():
    assert site_name("sources/docs.railway.com/docs/x.md") == "railway"
    assert site_name("sources/www.example.co.uk/a.md") == "example"
    assert site_name("notes/a.md") == ""


def test_a_page_about_something_else_may_state_it_of_the_subject(vocabulary):
    hono = "---\ntitle: Deploy a Hono App\n---\n\nHono, like Nuxt apps, runs behind Traefik.\n"
    pages = (("nuxt", NUXT), ("remix", REMIX), ("hono", hono))
    assert check("The Nuxt app runs behind Traefik.", vocabulary, pages) == []
    [finding] = check("The Remix app runs behind Traefik.", vocabulary, pages)
    assert finding.message == 'Name "Traefik" is what the sources give for Hono, not Remix'


def test_a_sentence_that_goes_on_about_the_subject_before_it_is_given_for_it(vocabulary):
    body = "The Nuxt guide starts from a fresh project. Then open `{}`."
    [finding] = check(body.format("http://localhost:5173"), vocabulary)
    assert finding.message == 'URL "http://localhost:5173" is what the sources give for ' \
                              'Remix, not Nuxt'
    assert check(body.format("http://localhost:3000"), vocabulary) == []
    # a sentence that does not go on about it, or a paragraph after it, is not
    assert check("The Nuxt guide starts from a fresh project. Open `http://localhost:5173`.",
                 vocabulary) == []
    assert check("The Nuxt guide starts from a fresh project.\n\nThen open "
                 "`http://localhost:5173`.", vocabulary) == []


def test_a_table_cell_is_about_its_column_header_or_its_row_label(vocabulary):
    columns = "| | Nuxt | Remix |\n|---|---|---|\n| Output | `{}` | `build` |\n"
    assert [f.message for f in check(columns.format(".output"), vocabulary)] == []
    assert [f.message for f in check(columns.format("build"), vocabulary)] == [
        'Identifier "build" is what the sources give for Remix, not Nuxt']
    rows = "| Framework | Dev server |\n|---|---|\n| Nuxt | `{}` |\n"
    assert [f.message for f in check(rows.format("http://localhost:3000"), vocabulary)] == []
    assert [f.message for f in check(rows.format("http://localhost:5173"), vocabulary)] == [
        'URL "http://localhost:5173" is what the sources give for Remix, not Nuxt']
    # a generic table names no subject: left alone
    plain = "| Setting | Value |\n|---|---|\n| Dev server | `http://localhost:5173` |\n"
    assert [f.message for f in check(plain, vocabulary)] == []


def test_a_subject_joined_to_a_lower_case_word_is_named():
    forms = _forms(["Phoenix", "Distillery", "React"])
    found = _mentions("A Phoenix-with-Distillery template and React-based apps.", forms)
    assert [subject for _, _, subject in found] == ["Phoenix", "Distillery", "React"]
    assert _mentions("The React-DOM module.", forms) == []  # joined to a name: another name


def test_a_sentence_naming_no_subject_is_about_its_sections_heading(vocabulary):
    body = "## Deploying Nuxt\n\nStart the dev server and open `http://localhost:{}`."
    assert check(body.format("3000"), vocabulary) == []
    [finding] = check(body.format("5173"), vocabulary)
    assert finding.message == 'URL "http://localhost:5173" is what the sources give for ' \
                              'Remix, not Nuxt'
    # a heading naming two subjects, or none, says nothing of the sentence
    assert check("## Nuxt and Remix\n\nOpen `http://localhost:5173`.", vocabulary) == []
    assert check("## Local servers\n\nOpen `http://localhost:5173`.", vocabulary) == []
    # a short form in a heading's title case is a word ("Next Steps" names no Next.js)
    from kurt.checks.grounding.subjects import _forms
    assert "Next" in _forms({"Next.js", "Remix"})["Next.js"]
    next_js = NUXT.replace("Nuxt", "Next.js")
    assert check("## Next Steps\n\nOpen `http://localhost:5173`.", vocabulary,
                 pages=(("next", next_js), ("remix", REMIX))) == []


def test_parallel_titles_name_subjects_the_vocabulary_does_not_know():
    from kurt.checks.grounding.subjects import _template_subjects

    titles = {"sources/docs.example.com/codex.md": "Codex plugin",
              "sources/docs.example.com/cursor.md": "Cursor plugin",
              "sources/docs.example.com/grok.md": "Grok Build plugin",
              "sources/docs.example.com/all.md": "Plugins and connectors",
              "sources/docs.example.com/deploy.md": "Deploy a Bun App",
              "sources/docs.example.com/own.md": "Example plugin"}
    found = _template_subjects(titles)
    assert found["sources/docs.example.com/codex.md"] == {"Codex"}
    assert found["sources/docs.example.com/grok.md"] == {"Grok Build"}
    # a title no other title parallels, and the product's own name, give none
    assert "sources/docs.example.com/all.md" not in found
    assert "sources/docs.example.com/deploy.md" not in found
    assert "sources/docs.example.com/own.md" not in found


def test_a_fact_of_another_parallel_page_is_reported_without_the_vocabulary():
    codex = "---\ntitle: Codex plugin\n---\n\n# Codex plugin\n\nIn Codex, enter `/plugins` " \
            "to open the plugin browser.\n"
    cursor = "---\ntitle: Cursor plugin\n---\n\n# Cursor plugin\n\nIn Cursor, open the " \
             "Marketplace and search for Railway.\n"
    pages = (("codex", codex), ("cursor", cursor))
    assert check("## Codex\n\nEnter `/plugins` to open the plugin browser.", None,
                 pages=pages) == []
    [finding] = check("## Cursor\n\nEnter `/plugins` to open the plugin browser.", None,
                      pages=pages)
    assert finding.message.endswith("is what the sources give for Codex, not Cursor")
