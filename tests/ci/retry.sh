#!/usr/bin/env bash
# Sourced by test.sh and tests/postgres/start.sh: retry a network step (npm, NuGet, apt) with backoff.
# The registries here are mirrors that sometimes stall mid-download (npm's EIDLETIMEOUT, a NuGet
# timeout); one stall must not fail a whole run. Usage: retry ATTEMPTS COMMAND [ARGS...]
retry() {
  local attempts=$1 n=1 delay=5
  shift
  until "$@"; do
    if ((n >= attempts)); then
      echo "retry: '$*' failed $n times; giving up" >&2
      return 1
    fi
    echo "retry: '$*' failed (attempt $n of $attempts); trying again in ${delay}s" >&2
    sleep "$delay"
    n=$((n + 1)); delay=$((delay * 2))
  done
}
