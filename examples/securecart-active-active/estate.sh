#!/usr/bin/env bash
# Creates the estate the securecart-active-active stack protects, with the aws CLI, then
# writes OUT_DIR/stack.dr.yaml: this folder's stack with the new hosted zone's id in place of
# the ZEXAMPLEZONEID placeholder. Meant for a moto server: needs AWS_ENDPOINT_URL and credentials.
#   usage: estate.sh OUT_DIR
set -euo pipefail
out=${1:?usage: estate.sh OUT_DIR}
here=$(cd "$(dirname "$0")" && pwd)
primary=us-east-1 dr=eu-central-1
aws() { command aws ${AWS_ENDPOINT_URL:+--endpoint-url "$AWS_ENDPOINT_URL"} --output text "$@"; }

# Tables with streams (global tables replicate from them), tagged for the backup plan.
for table in securecart-carts securecart-orders; do
  aws dynamodb create-table --region "$primary" --table-name "$table" \
    --attribute-definitions AttributeName=id,AttributeType=S --key-schema AttributeName=id,KeyType=HASH \
    --billing-mode PAY_PER_REQUEST --stream-specification StreamEnabled=true,StreamViewType=NEW_AND_OLD_IMAGES \
    --tags Key=backup,Value=securecart >/dev/null
done

# Receipts: Object Lock (which turns versioning on), a default retention, a first receipt.
aws s3api create-bucket --region "$primary" --bucket securecart-receipts --object-lock-enabled-for-bucket >/dev/null
aws s3api put-object-lock-configuration --region "$primary" --bucket securecart-receipts \
  --object-lock-configuration '{"ObjectLockEnabled":"Enabled","Rule":{"DefaultRetention":{"Mode":"GOVERNANCE","Days":30}}}' >/dev/null
body=$(mktemp)
printf 'receipt 1\n' >"$body"
aws s3api put-object --region "$primary" --bucket securecart-receipts --key receipts/1.txt --body "$body" >/dev/null
rm -f "$body"

# The storefront in both regions: 4 tasks in the primary, 2 in eu-central-1 until drctl
# brings it to full capacity.
for region in "$primary" "$dr"; do
  count=$([ "$region" = "$primary" ] && echo 4 || echo 2)
  aws ecs create-cluster --region "$region" --cluster-name securecart >/dev/null
  aws ecs register-task-definition --region "$region" --family securecart-storefront \
    --container-definitions '[{"name":"web","image":"public.ecr.aws/nginx/nginx:latest","memory":512,"essential":true}]' >/dev/null
  aws ecs create-service --region "$region" --cluster securecart --service-name storefront \
    --task-definition securecart-storefront --desired-count "$count" --launch-type EC2 >/dev/null
done

zone=$(aws route53 create-hosted-zone --name securecart.example --caller-reference "securecart-$(date +%s%N)" \
  --query 'HostedZone.Id')
zone=${zone#/hostedzone/}

mkdir -p "$out"
sed "s/ZEXAMPLEZONEID/$zone/" "$here/stack.dr.yaml" >"$out/stack.dr.yaml"
echo "estate: tables securecart-carts and securecart-orders, bucket securecart-receipts (Object Lock)," \
  "ecs securecart/storefront in $primary (4) and $dr (2), hosted zone securecart.example ($zone); stack in $out"
