# shellcheck shell=bash
# scripts/use-node.sh: sourced by the project's scripts (test.sh, lint.sh, .ci/run) so that they run on
# the supported Node.js (the version in .nvmrc, the current LTS) even where the machine has another
# one. When the Node on PATH has the same major version it is used as it is; otherwise the pinned
# build is fetched into .cache/node (scripts/node.sh) and put first on PATH. npm and npx then run
# on it too (`npm` from PATH is a script that runs under `node`).
# Set PRIVATELINK_NODE=system to keep the Node on PATH whatever its version.
_use_node_repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_use_node_want="$(tr -d ' \nv' <"$_use_node_repo/.nvmrc")"
if [ "${PRIVATELINK_NODE:-}" != system ] \
  && [ "$(node --version 2>/dev/null | sed 's/^v\([0-9]*\).*/\1/')" != "${_use_node_want%%.*}" ]; then
  _use_node_bin="$(bash "$_use_node_repo/scripts/node.sh")"
  export PATH="$_use_node_bin:$PATH"
fi
echo "Node.js $(node --version) ($(command -v node))"
unset _use_node_repo _use_node_want _use_node_bin
