# Starts and stops the test environment's moto server (moto plus drctl's extension for the
# operations moto lacks) on a free loopback port, with signature checking switched on.
# Source after python.sh. start_moto LOGFILE sets MOTO_PID, MOTO_ENDPOINT and exports
# AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION, AWS_REGION.

start_moto() {
  local log=$1 root py port i
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  py=$(find_python) || return 1
  port=$("$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  INITIAL_NO_AUTH_ACTION_COUNT=3 "$py" "$root/tests/moto/drctl_moto.py" -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
  MOTO_PID=$!
  MOTO_ENDPOINT=http://127.0.0.1:$port
  for i in $(seq 1 100); do
    curl -sf -o /dev/null "$MOTO_ENDPOINT/moto-api/" && break
    if ! kill -0 "$MOTO_PID" 2>/dev/null; then echo "moto did not start; see $log" >&2; return 1; fi
    sleep 0.2
  done
  export AWS_ENDPOINT_URL=$MOTO_ENDPOINT AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1
  unset AWS_PROFILE AWS_SESSION_TOKEN
  # The first three calls are free; they create the user whose key signs everything after.
  local awscli=(env AWS_ACCESS_KEY_ID=bootstrap AWS_SECRET_ACCESS_KEY=bootstrap "$(dirname "$py")/aws" --endpoint-url "$MOTO_ENDPOINT")
  "${awscli[@]}" iam create-user --user-name drctl-demo >/dev/null
  "${awscli[@]}" iam put-user-policy --user-name drctl-demo --policy-name all --policy-document \
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}' >/dev/null
  local key
  key=$("${awscli[@]}" iam create-access-key --user-name drctl-demo --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)
  export AWS_ACCESS_KEY_ID=${key%%$'\t'*} AWS_SECRET_ACCESS_KEY=${key##*$'\t'}
}

stop_moto() {
  if [ -n "${MOTO_PID:-}" ] && kill -0 "$MOTO_PID" 2>/dev/null; then
    kill "$MOTO_PID" 2>/dev/null || true
    wait "$MOTO_PID" 2>/dev/null || true
  fi
  MOTO_PID=
}
