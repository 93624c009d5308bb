#!/usr/bin/env bash
# Deploys IncidentOps to AWS (ECS Fargate, MemoryDB, CloudFront, Cognito) with the CDK app in IncidentOps.Deploy.
#
#   scripts/deploy.sh [--dry-run] [--yes] [--delete-data] [--tag TAG] [-c key=value ...] VERB
#
#   preflight  AWS CLI, CDK CLI, .NET SDK, credentials, region, CDK bootstrap, Bedrock model access, Fargate quota
#   build      the Aspire manifest, then one container image per service (tarballs in artifacts/images; no Docker)
#   synth      the CloudFormation templates (artifacts/cdk.out)
#   diff       what a deploy would change
#   deploy     preflight, registry, images to ECR, every stack, waits for the services to be stable, then health
#   health     the ALB's /dashboard/health/detailed, the three dashboards, a WebSocket to the hub; prints the URLs
#   destroy    asks first; removes the services and alarms, keeps data (Redis, secrets, users, images) unless --delete-data
#
#   --dry-run prints every command it would run and runs none. -c passes CDK context (README: Deploying).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ARTIFACTS="${INCIDENTOPS_ARTIFACTS:-$ROOT/artifacts}"
MANIFEST="$ARTIFACTS/aspire-manifest.json"
IMAGES="$ARTIFACTS/images"
OUTPUTS="$ARTIFACTS/cdk-outputs.json"
PREFIX="${INCIDENTOPS_PREFIX:-IncidentOps}"
CLUSTER="incidentops"
# The agents' routing tiers (DeploySettings.BedrockModels; a test keeps the two lists equal).
BEDROCK_MODELS="us.amazon.nova-micro-v1:0 us.amazon.nova-lite-v1:0 us.amazon.nova-pro-v1:0 us.anthropic.claude-3-5-haiku-20241022-v1:0 us.anthropic.claude-3-7-sonnet-20250219-v1:0"
# Fargate vCPUs at full scale by default: api 10 x 0.5, hub 10 x 0.5, agents 10 x 0.5, metrics 0.25, web 0.25.
NEEDED_VCPU=16

DRY_RUN=0; YES=0; DELETE_DATA=0; TAG=""; VERB=""; CONTEXT=()
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=1 ;;
    --yes) YES=1 ;;
    --delete-data) DELETE_DATA=1 ;;
    --tag) TAG="$2"; shift ;;
    -c) CONTEXT+=(-c "$2"); case "$2" in bedrockModels=*) BEDROCK_MODELS="$(echo "${2#bedrockModels=}" | tr ',' ' ')" ;; esac; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    preflight|build|synth|diff|deploy|health|destroy) VERB="$1" ;;
    *) echo "Unknown argument: $1 (scripts/deploy.sh --help)" >&2; exit 2 ;;
  esac
  shift
done
[ -n "$VERB" ] || { sed -n '2,18p' "$0"; exit 2; }
[ -n "$TAG" ] || TAG="$(git -C "$ROOT" rev-parse --short=12 HEAD 2>/dev/null || echo latest)"
REGION="${AWS_REGION:-${AWS_DEFAULT_REGION:-}}"

# Runs a command, or with --dry-run prints it.
run() {
  if [ "$DRY_RUN" -eq 1 ]; then printf '+ %s\n' "$*"; else "$@"; fi
}
step() { echo "==> $*"; }
have() { command -v "$1" >/dev/null 2>&1; }

FAILURES=0
fail() { echo "✗ $1" >&2; echo "    → $2" >&2; FAILURES=$((FAILURES + 1)); }
ok() { echo "✓ $1"; }

cdk_cmd() { (cd "$ROOT/IncidentOps.Deploy" && run cdk "$@" -c "aspireManifest=$MANIFEST" -c "imageTag=$TAG" ${REGION:+-c "region=$REGION"} "${CONTEXT[@]}"); }

preflight() {
  if [ "$DRY_RUN" -eq 1 ]; then
    echo "would check: aws, cdk, dotnet on PATH; aws sts get-caller-identity; region; CDKToolkit stack; Bedrock access to: $BEDROCK_MODELS; Fargate vCPU quota >= $NEEDED_VCPU"
    return 0
  fi
  have aws && ok "AWS CLI: $(aws --version 2>&1 | head -n 1)" \
    || fail "AWS CLI not found" "install AWS CLI v2 (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html)"
  have cdk && ok "CDK CLI: $(cdk --version 2>&1 | head -n 1)" \
    || fail "CDK CLI not found" "npm install -g aws-cdk@2"
  have dotnet && ok ".NET SDK: $(dotnet --version 2>/dev/null)" \
    || fail ".NET SDK not found" "install the .NET 10 SDK (global.json)"
  if ! have aws; then
    echo "Preflight: $FAILURES problem(s)." >&2; return 1
  fi

  local account
  if account="$(aws sts get-caller-identity --query Account --output text 2>/dev/null)" && [ -n "$account" ]; then
    ok "credentials: account $account"
  else
    fail "no AWS credentials" "run 'aws configure sso' (or set AWS_PROFILE / AWS_ACCESS_KEY_ID), then 'aws sts get-caller-identity'"
    echo "Preflight: $FAILURES problem(s)." >&2; return 1
  fi
  [ -n "$REGION" ] || REGION="$(aws configure get region 2>/dev/null || true)"
  if [ -z "$REGION" ]; then
    fail "no region" "export AWS_REGION=us-east-1 (a region with Bedrock and MemoryDB), or 'aws configure set region ...'"
    echo "Preflight: $FAILURES problem(s)." >&2; return 1
  fi
  ok "region: $REGION"

  if aws cloudformation describe-stacks --stack-name CDKToolkit --region "$REGION" --query 'Stacks[0].StackStatus' --output text >/dev/null 2>&1; then
    ok "CDK bootstrap: CDKToolkit in $REGION"
  else
    fail "account $account is not bootstrapped for the CDK in $REGION" "cdk bootstrap aws://$account/$REGION"
  fi

  local model base status
  for model in $BEDROCK_MODELS; do
    base="${model#us.}"; base="${base#eu.}"; base="${base#apac.}"; base="${base#global.}"
    status="$(aws bedrock get-foundation-model-availability --model-id "$base" --region "$REGION" --query authorizationStatus --output text 2>/dev/null || true)"
    if [ "$status" = "AUTHORIZED" ]; then
      ok "Bedrock: $base"
    else
      fail "no Bedrock access to $base in $REGION (${status:-no answer})" \
        "request model access in the Bedrock console (Model access), or deploy with -c bedrockModels=... naming models you have"
    fi
  done

  local quota
  quota="$(aws service-quotas get-service-quota --service-code fargate --quota-code L-3032A538 --region "$REGION" --query Quota.Value --output text 2>/dev/null || true)"
  if [ -n "$quota" ] && [ "${quota%%.*}" -ge "$NEEDED_VCPU" ] 2>/dev/null; then
    ok "Fargate On-Demand vCPU quota: $quota (full scale needs $NEEDED_VCPU)"
  else
    fail "Fargate On-Demand vCPU quota is ${quota:-unknown}, full scale needs $NEEDED_VCPU" \
      "request an increase in Service Quotas (Fargate, L-3032A538), or lower -c apiMaxTasks / -c agentsMaxTasks"
  fi

  if [ "$FAILURES" -gt 0 ]; then
    echo "Preflight: $FAILURES problem(s)." >&2; return 1
  fi
  echo "Preflight: ready to deploy to $account/$REGION."
}

manifest() {
  step "Aspire manifest (the AppHost's model) -> $MANIFEST"
  run mkdir -p "$ARTIFACTS"
  run env DOTNET_ENVIRONMENT=Production dotnet run --project "$ROOT/IncidentOps.AppHost" --no-launch-profile -- \
    --publisher manifest --output-path "$MANIFEST"
}

# name, project and repository of every image, from the manifest and IncidentOps.Deploy's catalogue.
images() {
  if [ "$DRY_RUN" -eq 1 ] && [ ! -f "$MANIFEST" ]; then
    printf 'api\tIncidentOps.Api\nagents\tIncidentOps.Agents\nmetrics\tIncidentOps.Metrics\nweb\tIncidentOps.Web\n'
    return
  fi
  CDK_CONTEXT_JSON="{\"aspireManifest\":\"$MANIFEST\"}" dotnet run --project "$ROOT/IncidentOps.Deploy" -c Release -- images
}

# build_images [registry]: tarballs in artifacts/images, or straight to the registry when one is given.
build_images() {
  local registry="${1:-}" name project _ list
  list="$(images)" || { echo "Could not list the images from the Aspire manifest (IncidentOps.Deploy -- images)." >&2; exit 1; }
  [ -n "$list" ] || { echo "The Aspire manifest places no image." >&2; exit 1; }
  run mkdir -p "$IMAGES"
  while IFS=$'\t' read -r name project _; do
    local target=(-p:ContainerArchiveOutputPath="$IMAGES/$name.tar.gz")
    [ -n "$registry" ] && target=(-p:ContainerRegistry="$registry")
    if [ "$project" = "IncidentOps.Web" ]; then
      step "image $name: Next.js production build, then the standalone server on Node.js"
      (cd "$ROOT/IncidentOps.Web" && run npm ci --no-audit --no-fund && run npm run build)
      project="IncidentOps.Deploy/web-image/IncidentOps.WebImage.csproj"
    else
      step "image $name: $project"
    fi
    run dotnet publish "$ROOT/$project" -c Release -t:PublishContainer -p:ContainerImageTag="$TAG" "${target[@]}"
  done <<< "$list"
}

stack_output() { # stack, output key
  aws cloudformation describe-stacks --stack-name "$PREFIX-$1" --region "$REGION" \
    --query "Stacks[0].Outputs[?OutputKey=='$2'].OutputValue | [0]" --output text
}

health() {
  if [ "$DRY_RUN" -eq 1 ]; then
    echo "+ GET <ALB>/dashboard/health and, with INCIDENTOPS_API_KEY, /dashboard/health/detailed (X-Origin-Verify from Secrets Manager)"
    echo "+ GET <CloudFront>/ops, /demo, /transparency; POST <CloudFront>/hubs/ops/negotiate, then a WebSocket upgrade"
    return 0
  fi
  local public alb scheme secret_arn secret status=0
  public="$(stack_output Edge PublicUrl)"; alb="$(stack_output Edge AlbDnsName)"; scheme="$(stack_output Edge AlbScheme)"
  secret_arn="$(stack_output Edge OriginVerifySecretArn)"
  secret="$(aws secretsmanager get-secret-value --secret-id "$secret_arn" --region "$REGION" --query SecretString --output text)"
  if curl -fsS --max-time 10 -H "X-Origin-Verify: $secret" "$scheme://$alb/dashboard/health" >/dev/null; then
    ok "ALB: /dashboard/health"
  else
    fail "ALB: /dashboard/health did not answer 200" "aws ecs describe-services --cluster $CLUSTER --services incidentops-api; logs in /incidentops/api"; status=1
  fi
  # The detailed report needs a viewer: an admin-issued API key in INCIDENTOPS_API_KEY.
  if [ -n "${INCIDENTOPS_API_KEY:-}" ]; then
    if curl -fsS --max-time 10 -H "X-Origin-Verify: $secret" -H "X-Api-Key: $INCIDENTOPS_API_KEY" "$scheme://$alb/dashboard/health/detailed"; then
      echo; ok "ALB: /dashboard/health/detailed"
    else
      fail "ALB: /dashboard/health/detailed did not answer 200" "check the key (INCIDENTOPS_API_KEY) and the logs in /incidentops/api"; status=1
    fi
  else
    echo "- /dashboard/health/detailed needs a viewer: set INCIDENTOPS_API_KEY to an API key to read it"
  fi
  local page code
  for page in /ops /demo /transparency; do
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$public$page" || true)"
    case "$code" in
      200|302|303|307) ok "dashboard $public$page ($code)" ;;
      404) echo "- dashboard $public$page: not in this build of the web app (404)" ;;
      *) fail "dashboard $public$page answered $code" "logs in /incidentops/web"; status=1 ;;
    esac
  done
  # The hub needs a viewer too: negotiate and upgrade with the API key, keeping the ALB's stickiness cookie between the
  # two (the connection token is known only to the hub task that issued it).
  local token jar
  if [ -n "${INCIDENTOPS_API_KEY:-}" ]; then
    jar="$(mktemp)"
    token="$(curl -fsS --max-time 10 -c "$jar" -X POST -H "X-Api-Key: $INCIDENTOPS_API_KEY" "$public/hubs/ops/negotiate?negotiateVersion=1" | sed -n 's/.*"connectionToken":"\([^"]*\)".*/\1/p' || true)"
    if [ -n "$token" ] && curl -s --http1.1 --max-time 5 -b "$jar" -o /dev/null -w '%{http_code}' -H "X-Api-Key: $INCIDENTOPS_API_KEY" -H 'Connection: Upgrade' -H 'Upgrade: websocket' \
        -H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key: SW5jaWRlbnRPcHMgaGVhbHRo' "$public/hubs/ops?id=$token" | grep -q 101; then
      ok "WebSocket: $public/hubs/ops upgraded (101)"
    else
      fail "WebSocket to $public/hubs/ops was not upgraded" "check CloudFront's /hubs/* behaviour, the ALB idle timeout and the key; logs in /incidentops/hub"; status=1
    fi
    rm -f "$jar"
  else
    echo "- WebSocket to /hubs/ops: set INCIDENTOPS_API_KEY to check it (the hub needs a viewer)"
  fi
  echo
  echo "IncidentOps:   $public/ops   $public/demo   $public/transparency"
  echo "Alerts in:     $public/api/v1/alerts/{events,alertmanager,grafana,cloudwatch} (tokens: Secrets Manager, IncidentOps ingest token ...)"
  echo "CloudWatch:    $(stack_output Observability DashboardUrl)"
  echo "Sign-in users: Cognito user pool $(stack_output Identity UserPoolId) (groups viewer, responder, approver, admin)"
  return $status
}

case "$VERB" in
  preflight) preflight ;;
  build) manifest; build_images ;;
  synth) manifest; cdk_cmd synth --all -o "$ARTIFACTS/cdk.out" ;;
  diff) manifest; cdk_cmd diff --all ;;
  deploy)
    preflight
    if [ "$DRY_RUN" -eq 1 ]; then ACCOUNT="<account>"; REGION="${REGION:-<region>}"; else ACCOUNT="$(aws sts get-caller-identity --query Account --output text)"; fi
    REGISTRY="$ACCOUNT.dkr.ecr.$REGION.amazonaws.com"
    manifest
    step "registry (ECR repositories) first, so the images have somewhere to go"
    cdk_cmd deploy "$PREFIX-Registry" --require-approval never
    step "images -> $REGISTRY (tag $TAG)"
    if [ "$DRY_RUN" -eq 1 ]; then
      echo "+ aws ecr get-login-password --region $REGION  (as DOTNET_CONTAINER_REGISTRY_PWORD, user AWS)"
    else
      DOTNET_CONTAINER_REGISTRY_UNAME=AWS DOTNET_CONTAINER_REGISTRY_PWORD="$(aws ecr get-login-password --region "$REGION")"
      export DOTNET_CONTAINER_REGISTRY_UNAME DOTNET_CONTAINER_REGISTRY_PWORD
    fi
    build_images "$REGISTRY"
    step "every stack"
    cdk_cmd deploy --all --require-approval never --outputs-file "$OUTPUTS"
    step "waiting for the services to be stable"
    run aws ecs wait services-stable --cluster "$CLUSTER" --region "$REGION" \
      --services incidentops-api incidentops-hub incidentops-agents incidentops-metrics incidentops-web
    health
    ;;
  health) [ -n "$REGION" ] || REGION="$(aws configure get region 2>/dev/null || true)"; health ;;
  destroy)
    if [ "$DELETE_DATA" -eq 1 ]; then what="EVERY stack and the data (Redis, secrets, users, images)"; else what="the services and alarms ($PREFIX-Compute, $PREFIX-Observability); data, users, network and edge stay"; fi
    echo "This removes $what."
    if [ "$YES" -ne 1 ] && [ "$DRY_RUN" -ne 1 ]; then
      read -r -p "Type '$PREFIX' to confirm: " answer || answer=""
      [ "$answer" = "$PREFIX" ] || { echo "Not confirmed; nothing removed." >&2; exit 1; }
    fi
    manifest
    if [ "$DELETE_DATA" -eq 1 ]; then
      step "switching the data stacks to deletable, then removing everything"
      cdk_cmd deploy "$PREFIX-Data" "$PREFIX-Secrets" "$PREFIX-Identity" --require-approval never -c retainData=false
      cdk_cmd destroy --all --force
      for repo in api agents metrics web; do
        run aws ecr delete-repository --repository-name "incidentops/$repo" --force --region "${REGION:-<region>}"
      done
    else
      cdk_cmd destroy "$PREFIX-Observability" "$PREFIX-Compute" --force
    fi
    ;;
esac
