"""Operations a reference describes one by one (kurt.checks.grounding.described_code)."""

from kurt.checks.grounding.described_code import code_descriptions, described_sibling
from kurt.checks.passages import file_passages

SOURCE = """# Manage deployments

## Trigger a redeploy

Redeploy an existing deployment:

```graphql
mutation deploymentRedeploy($id: String!) { deploymentRedeploy(id: $id) { id status } }
```

## Restart a deployment

Restart a running deployment without rebuilding:

```graphql
mutation deploymentRestart($id: String!) { deploymentRestart(id: $id) }
```

## All mutations

`deploymentRedeploy`, `deploymentRestart` and `deploymentRemove` take an `id`.
"""
PATH = "sources/docs.example.com/api/deployments.md"


def test_each_identifier_is_described_by_the_sections_that_write_it():
    found = code_descriptions(file_passages(PATH, SOURCE))
    restart = [d for _, d in found["deploymentRestart"]]
    assert "Restart a deployment Restart a running deployment without rebuilding:" in restart
    sentence = "restarts a running deployment without a rebuild."
    assert described_sibling("deploymentRedeploy", sentence, found)[0] == "deploymentRestart"
    assert described_sibling("deploymentRestart", sentence, found) is None


def test_an_identifier_named_for_its_siblings_description_is_reported(check_against):
    def messages(body: str) -> list[str]:
        return check_against(body, SOURCE, PATH)

    assert messages("- `deploymentRestart`: restarts a running deployment without a "
                    "rebuild.") == []
    assert messages("- `deploymentRedeploy`: restarts a running deployment without a "
                    "rebuild.") \
        == ['Identifier "deploymentRedeploy" is not what the sources describe here']
    # a sentence naming two operations says nothing of which is which
    assert messages("- `deploymentRedeploy` and `deploymentRestart` restart a running "
                    "deployment without a rebuild.") == []
