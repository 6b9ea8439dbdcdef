#!/usr/bin/env bash
# scripts/aws-model-extract.sh: regenerates libs/aws-wire/model/{ec2,elbv2}.json from botocore's service models.
#
# botocore comes with the awscli pinned in deploy/moto/requirements.txt, in the venv scripts/infra/moto.sh
# installs ($REPO/.cache/venv; `moto.sh venv` installs it when missing, starts no server). The models
# (botocore/data/ec2/2016-11-15/service-2.json.gz, elbv2/2015-12-01/service-2.json.gz) are several MB; this
# keeps only the operations the wire API serves (scripts/aws-model-extract.js lists them) and the shapes they
# reach, without the documentation, so the checked-in files stay small and a botocore upgrade is one rerun.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=use-node.sh
source scripts/use-node.sh >&2
VENV="$(bash scripts/infra/moto.sh venv)"
DATA="$("$VENV/bin/python" -c 'import botocore, os; print(os.path.join(os.path.dirname(botocore.__file__), "data"))')"
VERSION="$("$VENV/bin/python" -c 'import botocore; print(botocore.__version__)')"
node scripts/aws-model-extract.js "$DATA" "$VERSION" libs/aws-wire/model
npx prettier --write libs/aws-wire/model libs/aws-wire/src/generated --log-level warn
