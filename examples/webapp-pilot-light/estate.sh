#!/usr/bin/env bash
# Creates the estate the webapp-pilot-light stack protects, with the aws CLI, then writes
# OUT_DIR/stack.dr.yaml: this folder's stack with the ids only known after creation (hosted
# zone, EFS file system, load balancer DNS names and zones) in place of its placeholders.
# Meant for a moto server: needs AWS_ENDPOINT_URL and credentials.
#   usage: estate.sh OUT_DIR
set -euo pipefail
out=${1:?usage: estate.sh OUT_DIR}
here=$(cd "$(dirname "$0")" && pwd)
primary=ap-south-1 dr=us-east-1
ami=ami-760aaa0f   # Amazon Linux, known to moto in every region
aws() { command aws ${AWS_ENDPOINT_URL:+--endpoint-url "$AWS_ENDPOINT_URL"} --output text "$@"; }

# MySQL, tagged for the daily backup plan.
aws rds create-db-instance --region "$primary" --db-instance-identifier webapp-db \
  --engine mysql --engine-version 8.0.35 --db-instance-class db.t3.medium --allocated-storage 50 \
  --master-username webapp --master-user-password 'not-a-real-password-1' --backup-retention-period 7 \
  --tags Key=backup,Value=daily >/dev/null

# Content on EFS, tagged for the daily backup plan.
fs=$(aws efs create-file-system --region "$primary" --creation-token webapp-content \
  --tags Key=Name,Value=webapp-content Key=backup,Value=daily --query FileSystemId)

# In both regions: a load balancer in the default VPC, and the web tier's Auto Scaling group
# from a launch template (running 2 in the primary, 0 in the DR region).
declare -A alb_dns alb_zone
for region in "$primary" "$dr"; do
  side=$([ "$region" = "$primary" ] && echo primary || echo dr)
  vpc=$(aws ec2 describe-vpcs --region "$region" --filters Name=is-default,Values=true --query 'Vpcs[0].VpcId')
  subnets=$(aws ec2 describe-subnets --region "$region" --filters "Name=vpc-id,Values=$vpc" --query 'Subnets[0:2].SubnetId')
  read -r dns hz < <(aws elbv2 create-load-balancer --region "$region" --name "webapp-$side" --subnets $subnets \
    --query 'LoadBalancers[0].[DNSName,CanonicalHostedZoneId]')
  alb_dns[$side]=$dns alb_zone[$side]=$hz
  aws ec2 create-launch-template --region "$region" --launch-template-name webapp-web \
    --launch-template-data "{\"ImageId\":\"$ami\",\"InstanceType\":\"t3.small\"}" >/dev/null
  size=$([ "$side" = primary ] && echo 2 || echo 0)
  aws autoscaling create-auto-scaling-group --region "$region" --auto-scaling-group-name webapp-web \
    --launch-template LaunchTemplateName=webapp-web,Version='$Latest' \
    --min-size "$size" --max-size 8 --desired-capacity "$size" \
    --vpc-zone-identifier "$(echo $subnets | tr ' ' ',')" >/dev/null
done

zone=$(aws route53 create-hosted-zone --name webapp.example --caller-reference "webapp-$(date +%s%N)" \
  --query 'HostedZone.Id')
zone=${zone#/hostedzone/}

mkdir -p "$out"
sed -e "s/ZEXAMPLEZONEID/$zone/" -e "s/fs-00000000/$fs/" \
  -e "s/webapp-primary.ap-south-1.elb.amazonaws.com/${alb_dns[primary]}/" -e "s/ZP97RAFLXTNZK/${alb_zone[primary]}/" \
  -e "s/webapp-dr.us-east-1.elb.amazonaws.com/${alb_dns[dr]}/" -e "s/Z35SXDOTRQ7X7K/${alb_zone[dr]}/" \
  "$here/stack.dr.yaml" >"$out/stack.dr.yaml"
echo "estate: rds webapp-db (mysql), efs $fs, load balancers and Auto Scaling groups webapp-web in" \
  "$primary (2) and $dr (0), hosted zone webapp.example ($zone); stack in $out"
