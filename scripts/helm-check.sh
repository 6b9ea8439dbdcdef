#!/usr/bin/env bash
# scripts/helm-check.sh: lints the Helm chart (deploy/helm/privatelink), renders it with the default
# values and with every ci/*-values.yaml file, and validates the rendered manifests against the
# Kubernetes JSON schemas, offline. Part of `npm test` and `.ci/run`; `npm run helm:check` alone.
#
# Tools, fetched once into .cache/tools (gitignored) from registries these machines reach:
#   helm                  `go install helm.sh/helm/v4/cmd/helm@$HELM_VERSION` (the Go module proxy)
#   kubernetes-validate   PyPI, in a venv; it ships the schemas of every Kubernetes release, so
#                         validation needs no network. It has no schema for the Prometheus
#                         Operator's ServiceMonitor and PrometheusRule: it says so (WARN) and leaves them
#                         unvalidated; helm lint still parses them.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
CHART="$REPO/deploy/helm/privatelink"
HELM_VERSION=v4.3.2
KUBERNETES_VALIDATE_VERSION=1.37.0
# The oldest Kubernetes the chart supports (Chart.yaml kubeVersion) and the newest the validator knows.
KUBE_VERSIONS=(1.29.0 1.37.0)

mkdir -p "$REPO/.cache"
TOOLS="$(realpath "$REPO/.cache")/tools"
mkdir -p "$TOOLS/bin"
exec 9>"$TOOLS/.lock"
flock -w 900 9

HELM="$TOOLS/bin/helm"
# `go install` leaves helm's own version string short ("v4.3"); the module version is in the build info.
if [ ! -x "$HELM" ] || ! go version -m "$HELM" 2>/dev/null | grep -qE "^\s+mod\s+helm.sh/helm/v4\s+$HELM_VERSION\s"; then
  command -v go >/dev/null || { echo "helm-check: needs Go to install helm (go install helm.sh/helm/v4/cmd/helm@$HELM_VERSION)" >&2; exit 1; }
  echo "helm-check: go install helm.sh/helm/v4/cmd/helm@$HELM_VERSION (a few minutes, once)" >&2
  GOBIN="$TOOLS/bin" GOFLAGS=-buildvcs=false go install "helm.sh/helm/v4/cmd/helm@$HELM_VERSION"
fi
VENV="$TOOLS/k8s-validate"
if [ ! -x "$VENV/bin/kubernetes-validate" ] || ! "$VENV/bin/kubernetes-validate" --version 2>/dev/null | grep -qF "$KUBERNETES_VALIDATE_VERSION"; then
  echo "helm-check: pip install kubernetes-validate==$KUBERNETES_VALIDATE_VERSION" >&2
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"
fi
exec 9>&-

OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
# Helm keeps its caches under $HOME by default; keep them out of the way.
export HELM_CACHE_HOME="$OUT/helm-cache" HELM_CONFIG_HOME="$OUT/helm-config" HELM_DATA_HOME="$OUT/helm-data"

values_files=("")
for f in "$CHART"/ci/*-values.yaml; do [ -e "$f" ] && values_files+=("$f"); done

for values in "${values_files[@]}"; do
  label="${values:+$(basename "$values")}"
  label="${label:-default values}"
  args=()
  [ -n "$values" ] && args=(-f "$values")
  echo "helm lint ($label)"
  "$HELM" lint --strict "$CHART" "${args[@]}" --quiet
  for kv in "${KUBE_VERSIONS[@]}"; do
    rendered="$OUT/$(basename "${values:-default}" .yaml)-$kv.yaml"
    "$HELM" template privatelink "$CHART" --namespace privatelink --kube-version "$kv" "${args[@]}" >"$rendered"
    # One document per file: the validator names the file of each failure.
    dir="$rendered.d"
    mkdir -p "$dir"
    awk -v d="$dir" 'BEGIN{n=0} /^---/{n++; next} {f=sprintf("%s/%03d.yaml", d, n); print > f}' "$rendered"
    for doc in "$dir"/*.yaml; do grep -q '^kind:' "$doc" || rm -f "$doc"; done
    kinds="$(grep -h '^kind:' "$dir"/*.yaml | awk '{print $2}' | sort | uniq -c | awk '{printf "%s %s, ", $1, $2}')"
    echo "  helm template → Kubernetes $kv schemas: ${kinds%, }"
    "$VENV/bin/kubernetes-validate" --strict --quiet -k "$kv" "$dir"/*.yaml
  done
done
echo "helm-check: chart lints, renders and validates"
