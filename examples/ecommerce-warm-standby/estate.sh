#!/usr/bin/env bash
# Creates the estate the ecommerce-warm-standby stack protects, with the aws CLI, then writes
# OUT_DIR/stack.dr.yaml: this folder's stack with the new hosted zone's id in place of the
# ZEXAMPLEZONEID placeholder. Meant for a moto server: needs AWS_ENDPOINT_URL and credentials.
#   usage: estate.sh OUT_DIR
set -euo pipefail
out=${1:?usage: estate.sh OUT_DIR}
here=$(cd "$(dirname "$0")" && pwd)
primary=us-east-1 dr=us-west-2
# This CLI version ignores AWS_ENDPOINT_URL for rds in us-east-1: always pass the endpoint.
aws() { command aws ${AWS_ENDPOINT_URL:+--endpoint-url "$AWS_ENDPOINT_URL"} --output text "$@"; }

# PostgreSQL, tagged for the hourly backup plan.
aws rds create-db-instance --region "$primary" --db-instance-identifier ecommerce-orders \
  --engine postgres --engine-version 15.4 --db-instance-class db.r6g.large --allocated-storage 100 \
  --master-username shop --master-user-password 'not-a-real-password-1' --backup-retention-period 7 \
  --tags Key=backup,Value=hourly >/dev/null

# Product images with a few objects.
aws s3api create-bucket --region "$primary" --bucket ecommerce-product-images >/dev/null
for i in 1 2 3; do
  body=$(mktemp)
  printf 'image %s\n' "$i" >"$body"
  aws s3api put-object --region "$primary" --bucket ecommerce-product-images --key "products/$i.jpg" --body "$body" >/dev/null
  rm -f "$body"
done

# The API: 3 tasks in the primary region; the same service at 0 in the DR region (drctl keeps
# it at the standby count).
for region in "$primary" "$dr"; do
  count=$([ "$region" = "$primary" ] && echo 3 || echo 0)
  aws ecs create-cluster --region "$region" --cluster-name ecommerce >/dev/null
  aws ecs register-task-definition --region "$region" --family ecommerce-api \
    --container-definitions '[{"name":"api","image":"public.ecr.aws/nginx/nginx:latest","memory":512,"essential":true}]' >/dev/null
  aws ecs create-service --region "$region" --cluster ecommerce --service-name api \
    --task-definition ecommerce-api --desired-count "$count" --launch-type EC2 >/dev/null
done

# The public zone the failover records go into.
zone=$(aws route53 create-hosted-zone --name ecommerce.example --caller-reference "ecommerce-$(date +%s%N)" \
  --query 'HostedZone.Id')
zone=${zone#/hostedzone/}

mkdir -p "$out"
sed "s/ZEXAMPLEZONEID/$zone/" "$here/stack.dr.yaml" >"$out/stack.dr.yaml"
echo "estate: rds ecommerce-orders (postgres), bucket ecommerce-product-images (3 objects)," \
  "ecs ecommerce/api in $primary (3) and $dr (0), hosted zone ecommerce.example ($zone); stack in $out"
