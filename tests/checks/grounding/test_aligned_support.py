"""Aligned support (kurt.checks.grounding.aligned_support): a specific the sources state,
but not in the passage the sentence retells."""

SOURCE = """# Networking

## Private network

Set `PGHOST` to the private host so the app reaches Postgres over the private network
without egress fees, during deploys, restarts and rollbacks of the database service too.

## Egress

Egress fees apply to traffic that leaves the private network for the public internet.

## Hosts

Every app gets a private host on the network, and Postgres gets one too.

## Postgres

Postgres reaches other apps without egress fees when they share the private network.

## Redis

Redis publishes `REDISHOST` as well.
"""


def test_a_specific_moved_in_from_another_passage_is_reported(check_against):
    # the sentence retells the first passage word for word; the variable is Redis's
    sentence = "Set `{}` to the private host so the app reaches Postgres over the private " \
               "network without egress fees, during deploys, restarts and rollbacks of the " \
               "database service too."
    assert check_against(sentence.format("PGHOST"), SOURCE) == []
    assert check_against(sentence.format("REDISHOST"), SOURCE) == [
        'Environment variable "REDISHOST" is not in the passage this sentence retells']


def test_a_sentence_that_retells_no_passage_closely_is_left_to_the_other_checks(check_against):
    # the variable is stated; the sentence is the writer's own: nothing tells where it is from
    assert check_against("For caching, read `REDISHOST` in your worker.", SOURCE) == []
