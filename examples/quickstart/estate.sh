#!/usr/bin/env bash
# Creates the primary-region estate the quickstart stack protects, with the aws CLI.
# Needs AWS_ENDPOINT_URL (a moto server) and credentials in the environment.
set -euo pipefail
region=us-east-1
for bucket in shop-assets shop-invoices; do
  aws s3api create-bucket --bucket "$bucket" --region "$region" >/dev/null
  for i in 1 2 3; do
    body=$(mktemp)
    printf 'object %s of %s\n' "$i" "$bucket" >"$body"
    aws s3api put-object --bucket "$bucket" --key "data/object-$i.txt" --body "$body" >/dev/null
    rm -f "$body"
  done
done
aws dynamodb create-table --region "$region" --table-name shop-orders \
  --attribute-definitions AttributeName=id,AttributeType=S --key-schema AttributeName=id,KeyType=HASH \
  --billing-mode PAY_PER_REQUEST --tags Key=dr,Value=protected >/dev/null
echo "estate: buckets shop-assets, shop-invoices (3 objects each), table shop-orders tagged dr=protected"
