"""grounding/specific in the draft's code blocks (kurt/checks/grounding/adapted_code.py): a
block adapted from a source's code may change the writer's own names and numbers, not a
key, an object's member or a documented value."""

from kurt.checks.grounding import check_specifics
from kurt.checks.grounding.adapted_code import SourceCode, adapted_names
from kurt.checks.passages import SectionSources, file_passages

SOURCE = """---
url: https://docs.example.com/iac
---

# Infrastructure as code

<CodeBlock>
  <CodeTab label="railway.toml" lang="toml">
{`[build]
builder = "railpack"
buildCommand = "echo building!"`}
  </CodeTab>
</CodeBlock>

```ts
export default defineRailway((ctx) => {
  const prod = ctx.environment === "production";
  const web = service("web", { region: "us-west2", replicas: { "us-west2": 2, "europe-west4": 1 } });
  const data = volume("data", { sizeMB: 1024, mountPath: "/data" });
  console.log(ctx.projectId, ctx.command);
});
```

Use `isEphemeral` to leave out preview environments (ephemeral environments):

```graphql
query environments($projectId: String!, $isEphemeral: Boolean) {
  environments(projectId: $projectId, isEphemeral: $isEphemeral) { edges { node { id } } }
}
```
"""
PATH = "sources/docs.example.com/iac.md"


def messages(body: str, vocabulary=None) -> list[str]:
    text = "---\nstatus: draft\n---\n\n# Guide\n\nThe file:\n\n" + body + "\n"
    sections = [SectionSources(1, text.count("\n") + 1, None, file_passages(PATH, SOURCE))]
    return [f.message for f in check_specifics(text, "projects/p/drafts/d.md", sections,
                                               vocabulary=vocabulary)]


def test_an_adapted_block_with_the_writers_own_names_and_numbers_raises_nothing():
    assert messages("""```ts
export default defineRailway((ctx) => {
  const isProd = ctx.environment === "production";
  const api = service("api", { region: "us-west2", replicas: { "us-west2": 3 } });
  const files = volume("uploads", { sizeMB: 4096, mountPath: "/uploads" });
  function label(name: string, count: number) { return name + count; }
});
```""") == []
    assert messages('```toml\n[build]\nbuilder = "railpack"\nbuildCommand = "npm run build"\n```') \
        == []


def test_a_key_no_source_code_writes_is_reported():
    assert messages('```ts\nconst data = volume("data", { sizeGB: 1, mountPath: "/data" });\n```') \
        == ['Configuration key "sizeGB" is not in the sources']
    assert messages('```ts\nservice("web", { replicas: { "us-west2": 2, "europe-west1": 1 } });\n```') \
        == ['Configuration key "europe-west1" is not in the sources']


def test_a_key_must_be_spelled_as_the_sources_code_spells_it():
    found = messages('```toml\n[build]\nbuilder = "railpack"\nbuildcommand = "npm run build"\n```')
    assert found == ['Configuration key "buildcommand" is not in the sources']
    # an INI-like file with case-insensitive keys is not held to the spelling
    assert messages('```ini\n[build]\nbuilder = "railpack"\nbuildcommand = "npm run build"\n```') \
        == []


def test_a_key_named_only_in_prose_is_not_one_the_code_writes():
    found = messages("""```graphql
query environments($projectId: String!) {
  environments(projectId: $projectId, ephemeral: false) { edges { node { id } } }
}
```""")
    assert found == ['Configuration key "ephemeral" is not in the sources']


def test_a_member_the_sources_never_use_is_reported_with_theirs():
    text = "---\nstatus: draft\n---\n\n# Guide\n\n```ts\nconst name = ctx.env;\nconst id = ctx.projectId;\n```\n"
    sections = [SectionSources(1, text.count("\n") + 1, None, file_passages(PATH, SOURCE))]
    [finding] = check_specifics(text, "projects/p/drafts/d.md", sections)
    assert finding.message == 'Identifier "ctx.env" is not in the sources'
    assert (finding.line, finding.column, finding.end_column) == (8, 14, 20)
    assert finding.suggestion.startswith('the source\'s code has "ctx.environment"')


def test_a_member_of_a_languages_own_objects_is_the_writers_to_use():
    # the sources' code logs with console.log and console.error; console.warn is JavaScript's
    errors = "# Errors\n\n```ts\ntry { run(); } catch (e) { console.error(e); }\n```\n"
    passages = file_passages(PATH, SOURCE) + file_passages("sources/docs.example.com/e.md", errors)
    text = ("---\nstatus: draft\n---\n\n# Guide\n\n```ts\nconsole.log(ctx.environment);\n"
            "console.warn(ctx.projectId);\nconsole.log(ctx.command);\n```\n")
    sections = [SectionSources(1, text.count("\n") + 1, None, passages)]
    assert check_specifics(text, "projects/p/drafts/d.md", sections) == []
    # the product's own objects are held to the members the sources show
    [finding] = check_specifics(text.replace("ctx.projectId", "ctx.project"),
                                "projects/p/drafts/d.md", sections)
    assert finding.message == 'Identifier "ctx.project" is not in the sources'


def test_a_documented_value_changed_on_a_source_line_is_reported():
    found = messages('```toml\n[build]\nbuilder = "nixpacks"\nbuildCommand = "echo building!"\n```')
    assert found == ['Identifier "nixpacks" is not in the sources']


def test_the_writers_own_code_is_not_read_as_adapted():
    block = [(0, "import requests"), (16, "reply = requests.get(url, timeout=5)"),
             (53, "payload = {\"customer\": reply.json()}")]
    assert adapted_names(block, "python", SourceCode("railway up", "railway up")) == []


def test_comments_and_output_blocks_are_not_read():
    assert messages("```ts\n// sizeGB: 1 would be wrong here\nconst d = volume(\"d\", { sizeMB: 1 });\n```") == []
    assert messages("```text\nsizeGB: 1\n```") == []


def test_a_number_changed_on_a_copied_line_is_reported():
    found = messages('```ts\nconst data = volume("data", { sizeMB: 1024, mountPath: "/data" });\n```')
    assert found == []
    found = messages('```ts\n  const data = volume("data", { sizeMB: 2048, mountPath: "/data" });\n```')
    assert found == ["Number \"2048\" is not what the sources' code gives on this line"]
    # a line no source line matches is the writer's own
    assert messages('```ts\nconst d = volume("d", { sizeMB: 2048 });\n```') == []


DOCKER = """# Build secrets

Railway provides `RAILWAY_ENVIRONMENT`, `RAILWAY_PROJECT_ID` and `RAILWAY_SERVICE_NAME`.

```dockerfile
FROM node:22-slim AS build
ARG RAILWAY_ENVIRONMENT
RUN echo "Building for ${RAILWAY_ENVIRONMENT}"
```

```yaml
jobs:
  deploy:
    steps:
      - run: railway environment new pr-1 --copy production
      - run: |
          railway link --project abc
          railway up --detach
```
"""


def docker_messages(body: str) -> list[str]:
    text = "---\nstatus: draft\n---\n\n# Guide\n\n" + body + "\n"
    sections = [SectionSources(1, text.count("\n") + 1, None,
                               file_passages("sources/x/docker.md", DOCKER))]
    return [f.message for f in check_specifics(text, "projects/p/drafts/d.md", sections)]


def _said(text: str, sections) -> list[tuple[str, str | None]]:
    """Each finding's message and suggestion for the draft ``text``."""
    return [(f.message, f.suggestion) for f in check_specifics(text, "d.md", sections)]


def test_a_version_changed_on_a_copied_line_is_reported():
    block = "```dockerfile\nFROM node:{} AS build\nARG RAILWAY_ENVIRONMENT\n```"
    assert docker_messages(block.format("22-slim")) == []
    assert docker_messages(block.format("20-slim")) == ['Version "20-slim" is not in the sources']


def test_a_tag_given_a_version_on_a_copied_line_is_reported():
    from kurt.checks.grounding.adapted_code import _tag_variant

    source = "# Chef\n\n```dockerfile\nFROM node:lts-alpine AS build\n" \
             "FROM lukemathwalker/cargo-chef:latest-rust-1 AS chef\n```\n"
    text = "---\nstatus: draft\n---\n\n# Guide\n\n```dockerfile\nFROM node:20-alpine AS build\n" \
           "FROM lukemathwalker/cargo-chef:latest-rust-1.75 AS chef\n```\n"
    sections = [SectionSources(1, text.count("\n") + 1, None,
                               file_passages("sources/x/chef.md", source))]
    assert [f.message for f in check_specifics(text, "d.md", sections)] == [
        'Version "20-alpine" is not in the sources',
        'Version "latest-rust-1.75" is not in the sources']
    assert _tag_variant("3.12-slim", "3.11-slim") and not _tag_variant("pr-2", "pr-1")
    assert not _tag_variant("europe-west1", "us-west2")


def test_a_variable_in_the_products_namespace_must_be_one_of_its_own():
    assert docker_messages("```dockerfile\nARG RAILWAY_ENV\nARG MY_APP_TOKEN\n```") \
        == ['Environment variable "RAILWAY_ENV" is not in the sources']


def test_the_commands_of_ci_run_steps_are_checked_like_shell_commands():
    steps = "```yaml\nsteps:\n  - run: railway environment new pr-2 {}\n  - run: |\n      railway {}\n```"
    assert docker_messages(steps.format("--copy production", "up --detach")) == []
    assert docker_messages(steps.format("--duplicate production", "up --detach")) \
        == ['Flag "--duplicate" is not in the sources']
    assert docker_messages(steps.format("--copy production", "deploy --detach")) \
        == ['Command "railway deploy" is not in the sources']


OAUTH = """# Login with Acme

The discovery document is published at a well-known endpoint:

```
https://auth.acme.io/oauth/.well-known/openid-configuration
```

Install the CLI with `curl -fsSL cli.acme.io | sh`.
"""


def oauth_findings(body: str):
    text = "---\nstatus: draft\n---\n\n# Guide\n\n" + body + "\n"
    sections = [SectionSources(1, text.count("\n") + 1, None,
                               file_passages("sources/x/oauth.md", OAUTH))]
    return check_specifics(text, "projects/p/drafts/d.md", sections)


def test_a_url_of_the_products_domain_in_any_block_must_be_the_sources():
    block = "Point your library at it:\n\n```text\nhttps://auth.acme.io/{}\n```"
    assert oauth_findings(block.format("oauth/.well-known/openid-configuration")) == []
    [finding] = oauth_findings(block.format(".well-known/openid-configuration"))
    assert finding.message == 'URL "https://auth.acme.io/.well-known/openid-configuration" ' \
        'is not in the sources'
    assert 'the source has "auth.acme.io/oauth/.well-known/openid-configuration"' \
        in finding.suggestion
    # the writer's own hosts are theirs
    assert oauth_findings("```text\nhttps://my-app.up.acme.app/health\nhttps://myshop.dev/\n```") == []


def test_a_bare_host_of_the_product_in_a_command_must_be_the_sources():
    assert [f.message for f in oauth_findings("```bash\ncurl -fsSL cli.acme.io | sh\n```")] == []
    assert [f.message for f in oauth_findings("```bash\ncurl -fsSL get.acme.io | sh\n```")] \
        == ['URL "get.acme.io" is not in the sources']


SETTINGS = """# Django

```python
os.environ.setdefault("PGHOST", "localhost")
os.environ.setdefault("PGPORT", "5432")
```

```bash
railway deployment list --json --limit 1 | jq -r '.[0].id'
railway api 'mutation($id: String!) { deploymentRestart(id: $id) }' \\
  --var id=abc
pg_dump -Fc --no-acl --no-owner \\
  -h <source-host> -p <source-port> \\
  -U <source-user> -d <source-db> -f backup.dump
npx express-generator --view=pug
node --require ./instrumentation.js app.js
curl -s localhost:4318/v1/traces -d @trace.json
```

```python
client.create_service(project="demo", name="web", region="us-west2")
```

```sql
CREATE INDEX ON items USING hnsw (embedding vector_cosine_ops);
```

The `vector_cosine_ops` operator class matches cosine distance.

```yaml
batch:
  max_events: 100
  port: 3000
```
"""


def settings_messages(body: str) -> list[str]:
    text = "---\nstatus: draft\n---\n\n# Guide\n\n" + body + "\n"
    sections = [SectionSources(1, text.count("\n") + 1, None,
                               file_passages("sources/x/django.md", SETTINGS))]
    return [f.message for f in check_specifics(text, "projects/p/drafts/d.md", sections)]


def test_a_quoted_number_changed_on_a_copied_call_is_reported():
    assert settings_messages('```python\nos.environ.setdefault("PGPORT", "5432")\n```') == []
    assert settings_messages('```python\nos.environ.setdefault("PGPORT", "5433")\n```') \
        == ["Number \"5433\" is not what the sources' code gives on this line"]
    assert settings_messages('```python\nport = "5433"\n```') == []  # the writer's own line


def test_a_package_runners_tool_is_checked_like_a_documented_program():
    assert settings_messages("```bash\nnpx express-generator --view=pug\n```") == []
    assert settings_messages("```bash\nnpx express-generator --view=ejs\n```") \
        == ['Value "ejs" of "--view" is not in the sources']
    # a tool the sources never run: the tool is reported (a package the sources must name),
    # its flags are not read
    assert settings_messages("```bash\nnpx some-other-tool --view=ejs\n```") \
        == ['Identifier "some-other-tool" is not in the sources']


CADDY = """# SPA routing

```
{
    servers {
        trusted_proxies static private_ranges 100.0.0.0/8
    }
}
```

```plaintext
ALLOWED_ORIGINS=${{Frontend.RAILWAY_PUBLIC_DOMAIN}}
```
"""


def test_a_value_changed_on_a_copied_line_of_a_block_with_no_language_is_reported(check_against):
    def found(body: str) -> list[str]:
        return check_against(body, CADDY, "sources/x/spa.md")

    assert found("```\ntrusted_proxies static private_ranges 100.0.0.0/8\n```") == []
    assert found("```\ntrusted_proxies static private_ranges 10.0.0.0/8\n```") \
        == ['Identifier "10.0.0.0" is not in the sources']
    # a block with no language is not read for keys: the writer's own lines raise nothing
    assert found("```\nadmin off\nlisten_port: 8080\n```") == []
    # the name a copied line sets must be the source's
    assert found("```plaintext\nALLOWED_ORIGINS=${{Frontend.RAILWAY_PUBLIC_DOMAIN}}\n```") == []
    assert found("```plaintext\nALLOWED_HOSTS=${{Frontend.RAILWAY_PUBLIC_DOMAIN}}\n```") \
        == ['Environment variable "ALLOWED_HOSTS" is not in the sources']


def test_a_number_of_a_compound_key_changed_on_a_short_copied_line_is_reported():
    assert settings_messages("```yaml\nbatch:\n  max_events: 100\n```") == []
    assert settings_messages("```yaml\nbatch:\n  max_events: 500\n```") \
        == ["Number \"500\" is not what the sources' code gives on this line"]
    assert settings_messages("```yaml\nserver:\n  port: 8080\n```") == []  # a plain key: short


def test_a_flag_or_number_changed_on_a_copied_command_is_reported():
    assert settings_messages("```bash\nnode --require ./instrumentation.js app.js\n```") == []
    assert settings_messages("```bash\nnode --import ./instrumentation.js app.js\n```") \
        == ['Flag "--import" is not in the sources']
    assert settings_messages("```bash\ncurl -s localhost:4317/v1/traces -d @trace.json\n```") \
        == ["Number \"4317\" is not what the sources' code gives on this line"]
    # the writer's own command, or a short one, is not a copy
    assert settings_messages("```bash\nnode --import ./tracing.js server.js\n```") == []


def test_a_flag_changed_on_a_short_command_an_inline_span_gives_is_reported():
    source = "# Secrets\n\n| Variable | Value |\n|---|---|\n" \
             "| `SECRET_KEY` | A random string (use `openssl rand -hex 32`) |\n\n" \
             "Options: `-hex`, `-base64`.\n"
    text = "---\nstatus: draft\n---\n\n# Guide\n\n```bash\nopenssl rand {} 32\n```\n"
    sections = [SectionSources(1, text.count("\n") + 1, None,
                               file_passages("sources/x/s.md", source))]

    def found(flag):
        return [f.message for f in check_specifics(text.format(flag), "d.md", sections)]

    assert found("-hex") == []
    assert found("-rand") == ['Flag "-rand" is not in the sources']
    assert found("-base64") == []  # a flag the sources document elsewhere


def test_a_word_changed_on_a_long_copied_line_is_reported_unless_the_draft_renames_it():
    line = "CREATE INDEX ON items USING hnsw (embedding {});"
    assert settings_messages(f"```sql\n{line.format('vector_cosine_ops')}\n```") == []
    assert settings_messages(f"```sql\n{line.format('vector_l2_ops')}\n```") \
        == ['Identifier "vector_l2_ops" is not in the sources']
    # a table the writer names, and uses again: their own (so are `const isProd` and `pr-2`
    # for the sources' `prod` and `pr-1` in the tests above)
    renamed = "```sql\nCREATE TABLE docs (id int);\nCREATE INDEX ON docs USING hnsw " \
              "(embedding vector_cosine_ops);\n```"
    assert settings_messages(renamed) == []


def test_a_flag_changed_on_a_command_whose_other_flags_are_a_sources_is_reported():
    dump = "```bash\npg_dump {} --no-acl --no-owner -h <my-host> -U <me> -d <db> -f out.dump\n```"
    assert settings_messages(dump.format("-Fc")) == []
    assert settings_messages(dump.format("-Ft")) == ['Flag "-Ft" is not in the sources']
    # a flag the writer adds to the source's is theirs to add
    assert settings_messages(dump.format("-Fc --verbose")) == []


def test_a_word_changed_in_a_near_copy_of_a_source_line_is_reported():
    listed = "```bash\nID=$(railway deployment list --json --limit 1 | jq -r '.[0].{}')\n```"
    assert settings_messages(listed.format("id")) == []
    assert settings_messages(listed.format("deploymentId")) \
        == ['Identifier "deploymentId" is not in the sources']
    call = ("```bash\nrailway api 'mutation($id: String!) {{ {}(id: $id) }}' "
            "--var id=<deployment-id>\n```")
    assert settings_messages(call.format("deploymentRestart")) == []
    assert settings_messages(call.format("deploymentRedeploy")) \
        == ['Identifier "deploymentRedeploy" is not in the sources']
    # a name the user gives after a setting that names it is theirs
    create = '```python\nclient.create_service(project="demo", name="{}", region="us-west2")\n```'
    assert settings_messages(create.format("payments")) == []


def test_a_word_of_the_sources_swapped_into_a_copied_path_is_reported(check_against):
    source = ("# Next.js\n\nIn standalone mode the build writes `.next/standalone` and "
              "`.next/server`:\n\n```json\n{\n  \"scripts\": {\n    \"start\": "
              "\"node .next/standalone/server.js\"\n  }\n}\n```\n\n```dockerfile\nCMD "
              "[\"npm\", \"run\", \"start:prod\"]\n```\n\nRun `npm run start:dev` locally. "
              "Create it with `Sandbox.create(\"my-box\", { region: \"us-east\" })`.\n")

    def found(body: str) -> list[str]:
        return check_against(body, source, "sources/x/next.md")

    script = '```json\n{{\n  "scripts": {{\n    "start": "node .next/{}/server.js"\n  }}\n}}\n```'
    assert found(script.format("standalone")) == []
    assert found(script.format("server")) == ['Identifier "server" is not in the sources']
    docker = '```dockerfile\nCMD ["npm", "run", "{}"]\n```'
    assert found(docker.format("start:prod")) == []
    assert found(docker.format("start:dev")) == ['Identifier "dev" is not in the sources']
    # a quoted name or an argument the sources use elsewhere is the writer's own
    create = '```js\nconst box = Sandbox.create("{}", {{ region: "us-east" }});\n```'
    assert found(create.format("standalone")) == []


def test_a_number_changed_on_any_long_copied_line_is_reported(check_against):
    source = ("# Tracing\n\n```env\nOTEL_EXPORTER_OTLP_ENDPOINT=http://"
              "${{Collector.RAILWAY_PRIVATE_DOMAIN}}:4318\n```\n")

    def found(body: str) -> list[str]:
        return check_against(body, source, "sources/x/otel.md")

    line = "```env\nOTEL_EXPORTER_OTLP_ENDPOINT=http://${{{{Collector.RAILWAY_PRIVATE_DOMAIN}}}}:{}\n```"
    assert found(line.format(4318)) == []
    assert found(line.format(4317)) == ["Number \"4317\" is not what the sources' code gives on "
                                        "this line"]


def test_a_rust_attribute_is_code_not_a_comment():
    source = "# Rocket\n\n```rust\n#[get(\"/\")]\nfn index() -> &'static str {\n    \"Hello\"\n}\n```\n"
    text = "---\nstatus: draft\n---\n\n# Guide\n\n```rust\n#[{}(\"/\")]\nfn index() -> " \
           "&'static str {{\n    \"Hello\"\n}}\n```\n"
    sections = [SectionSources(1, text.count("\n") + 1, None,
                               file_passages("sources/x/r.md", source))]
    assert [f.message for f in check_specifics(text.format("get"), "d.md", sections)] == []
    assert [f.message for f in check_specifics(text.format("post"), "d.md", sections)] == [
        'Identifier "post" is not in the sources']


def test_a_quoted_key_changed_on_a_copied_line_is_read_as_spelled():
    source = "# Beego\n\nSet `DATABASE_URL`.\n\n```go\ndbURL, err := beego.AppConfig.String(\"db_url\")\n```\n"
    text = "---\nstatus: draft\n---\n\n# Guide\n\n```go\ndbURL, err := beego.AppConfig.String(\"{}\")\n```\n"
    sections = [SectionSources(1, text.count("\n") + 1, None,
                               file_passages("sources/x/b.md", source))]
    assert [f.message for f in check_specifics(text.format("db_url"), "d.md", sections)] == []
    # the sources' `DATABASE_URL` is another name than the key `database_url`
    assert [f.message for f in check_specifics(text.format("database_url"), "d.md", sections)] \
        == ['Identifier "database_url" is not in the sources']


def test_a_bare_major_version_refined_on_a_copied_line_is_reported():
    source = "# Docker\n\n```dockerfile\nFROM python:3\nWORKDIR /app\n```\n"
    text = "---\nstatus: draft\n---\n\n# Guide\n\n```dockerfile\nFROM python:{}\nWORKDIR /app\n```\n"
    sections = [SectionSources(1, text.count("\n") + 1, None,
                               file_passages("sources/x/py.md", source))]
    assert [f.message for f in check_specifics(text.format("3"), "d.md", sections)] == []
    assert [f.message for f in check_specifics(text.format("3.11"), "d.md", sections)] == [
        'Version "3.11" is not in the sources']


def test_a_value_of_the_products_set_under_another_name_than_the_sections_is_reported():
    # the app's page sets the reference under DATABASE_URI; the draft's other page sets it
    # under DATABASE_URL for another app: the section's page says what this app reads
    own = "# Payload\n\n```\nDATABASE_URI=${{Postgres.DATABASE_URL}}\nPAYLOAD_SECRET=x\n```\n"
    other = "# Ghost\n\n```\nDATABASE_URL=${{Postgres.DATABASE_URL}}\n```\n"
    text = "---\nstatus: draft\n---\n\n# Guide\n\n```bash\n{}=${{{{Postgres.DATABASE_URL}}}}\n" \
           "PAYLOAD_SECRET=x\n```\n"

    def run(name, page=own):
        passages = file_passages("sources/x/payload.md", page) + \
            file_passages("sources/x/ghost.md", other, scope="draft")
        sections = [SectionSources(1, text.count("\n") + 1, None, passages)]
        return _said(text.format(name), sections)
    assert run("DATABASE_URI") == []
    assert run("DATABASE_URL") == [(
        'Environment variable "DATABASE_URL" is not the name the section\'s source gives this '
        'value', 'the source\'s code has "DATABASE_URI" (sources/x/payload.md:4-4)')]
    mentioned = own + "\nPayload also reads `DATABASE_URL`.\n"
    assert run("DATABASE_URL", mentioned) == []  # the app's page names it too


def test_a_path_of_another_page_swapped_into_a_copied_line_is_reported():
    own = "# Jupyter\n\n```json\n\"startCommand\": \"jupyter lab --port=$PORT " \
          "--ServerApp.root_dir=/data --no-browser\"\n```\n\n```caddyfile\nroot ./www\n" \
          "file_server\n```\n"
    other = "# Kuma\n\nKuma keeps its data in `/app/data`; Caddy serves `./dist`.\n"
    text = "---\nstatus: draft\n---\n\n# Guide\n\n```json\n\"startCommand\": \"jupyter lab " \
           "--port=$PORT --ServerApp.root_dir={} --no-browser\"\n```\n\n```caddyfile\n" \
           "root {}\nfile_server\n```\n"
    sections = [SectionSources(1, 40, None, file_passages("sources/x/jupyter.md", own)
                               + file_passages("sources/x/kuma.md", other, scope="draft"))]

    def run(data, root):
        return _said(text.format(data, root), sections)
    assert run("/data", "./www") == []
    assert run("/app/data", "./dist") == [
        ('Identifier "/app/data" is not the path the sources\' code gives on this line',
         'the source\'s code has "/data" (sources/x/jupyter.md:4-4)'),
        ('Identifier "./dist" is not the path the sources\' code gives on this line',
         'the source\'s code has "./www" (sources/x/jupyter.md:8-8)')]
    assert run("/srv/notebooks", "./site") == []  # the writer's own folders: no page has them


GIN = """# Gin

```dockerfile
FROM golang:1.23-alpine
WORKDIR /app
COPY go.mod go.sum ./
COPY . ./
RUN go mod download
RUN go build -o app
ENTRYPOINT ["./app"]
```
"""
BEEGO = "# Beego\n\n```bash\nbee new helloworld\ncd helloworld\ngo mod tidy\n```\n"


def test_a_word_changed_on_a_short_line_of_a_copied_block_is_reported():
    text = "---\nstatus: draft\n---\n\n# Guide\n\n```dockerfile\nFROM golang:1.23-alpine\n" \
           "WORKDIR /app\nCOPY go.mod go.sum ./\nCOPY . ./\nRUN go mod {}\n" \
           "RUN go build -o {}\nENTRYPOINT [\"./{}\"]\n```\n"
    sections = [SectionSources(1, 40, None, file_passages("sources/x/gin.md", GIN)
                               + file_passages("sources/x/beego.md", BEEGO, scope="draft"))]

    def run(*words):
        return _said(text.format(*words), sections)
    assert run("download", "app", "app") == []
    assert run("tidy", "app", "app") == [
        ('Identifier "tidy" is not what the source\'s copied block has on this line',
         'the source\'s code has "download" (sources/x/gin.md:8-8)')]
    assert run("download", "server", "server") == []  # the writer's own name, used twice


def test_a_line_two_source_lines_differ_from_at_two_places_is_left_alone():
    react = "# React\n\n```dockerfile\nFROM node:lts AS build\nWORKDIR /app\nCOPY . .\n" \
            "RUN npm run build\nFROM caddy\nCOPY --from=build /app/dist ./dist\n```\n"
    gatsby = react.replace("# React", "# Gatsby").replace("/app/dist ./dist",
                                                          "/app/public ./public")
    text = "---\nstatus: draft\n---\n\n# Guide\n\n```dockerfile\nFROM node:lts AS build\n" \
           "WORKDIR /app\nCOPY . .\nRUN npm run build\nFROM caddy\n" \
           "COPY --from=build /app/dist ./public\n```\n"
    sections = [SectionSources(1, 40, None, file_passages("sources/x/react.md", react)
                               + file_passages("sources/x/gatsby.md", gatsby))]
    assert not [f.message for f in check_specifics(text, "d.md", sections)
                if "copied block" in f.message]


def test_a_documented_key_with_a_part_added_is_reported_in_a_short_block():
    source = "# Scaling\n\n```toml\n[deploy]\nmemoryLimit = 512  # in MB\n" \
             "numReplicas = 2\n```\n"
    text = "---\nstatus: draft\n---\n\n# Guide\n\n```toml\n{} = 512\n```\n"
    sections = [SectionSources(1, 20, None, file_passages("sources/x/scale.md", source))]

    def run(key):
        return _said(text.format(key), sections)
    assert run("memoryLimit") == []
    assert run("memoryLimitMb") == [('Configuration key "memoryLimitMb" is not in the sources',
                                     'the source\'s code has "memoryLimit" '
                                     '(sources/x/scale.md:5-5)')]
    assert run("cacheSizeMb") == []  # the writer's own key: no documented key is near it


def test_a_documented_flag_given_another_flags_value_on_a_copied_command_is_reported():
    source = "# railway add\n\n| Flag | Description |\n|---|---|\n| `-r, --repo <REPO>` | " \
             "From a repo |\n| `-i, --image <IMAGE>` | From an image |\n\n```bash\n" \
             "railway add --image nginx:latest\nrailway up --detach\n```\n"
    text = "---\nstatus: draft\n---\n\n# Guide\n\n```bash\n{}\n```\n"
    sections = [SectionSources(1, 20, None, file_passages("sources/x/add.md", source))]

    def run(line):
        return [f.message for f in check_specifics(text.format(line), "d.md", sections)]
    assert run("railway add --image nginx:latest") == []
    assert run("railway add -i nginx:latest") == []  # the same flag's other name
    assert run("railway add --repo nginx:latest") == [
        'Flag "--repo" is not the flag the source\'s command gives this value']
