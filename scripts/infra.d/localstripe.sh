# localstripe: a stateful fake of the Stripe API (PyPI, pinned in versions.env), sourced by scripts/infra.
# Installed once into a venv under ~/.cache/ordersystem/tools, run on loopback, and told to sign its
# webhooks with this checkout's secret and send them to the gateway's POST /webhooks/stripe.
STRIPE_TOOLS="${ORDERSYSTEM_CACHE:-$HOME/.cache/ordersystem}/tools"
STRIPE_VENV="$STRIPE_TOOLS/localstripe-$LOCALSTRIPE_VERSION"
STRIPE_DIR="$INFRA/localstripe"

localstripe_install() {
  [[ -f $STRIPE_TOOLS/stamps/localstripe-$LOCALSTRIPE_VERSION ]] && return
  command -v python3 >/dev/null || die "python3 is required for localstripe"
  log "localstripe: installing $LOCALSTRIPE_VERSION (PyPI) into $STRIPE_VENV (one-off)"
  rm -rf "$STRIPE_VENV"
  if ! python3 -m venv "$STRIPE_VENV" 2>/dev/null; then
    # Debian ships venv (ensurepip) separately; install it as Redis is installed, then try again.
    command -v apt-get >/dev/null && ((EUID == 0)) || die "python3 -m venv failed: install python3-venv"
    log "localstripe: python3 has no venv module; installing the Debian package python3-venv"
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -y -q install python3-venv >"$INFRA/apt-venv.log" 2>&1 ||
      { apt-get -q update >>"$INFRA/apt-venv.log" 2>&1 &&
        DEBIAN_FRONTEND=noninteractive apt-get -y -q install python3-venv >>"$INFRA/apt-venv.log" 2>&1; } ||
      die "apt-get install python3-venv failed (log: $INFRA/apt-venv.log)"
    rm -rf "$STRIPE_VENV"
    python3 -m venv "$STRIPE_VENV" || die "python3 -m venv failed"
  fi
  "$STRIPE_VENV/bin/pip" install -q --disable-pip-version-check "localstripe==$LOCALSTRIPE_VERSION" ||
    die "pip install localstripe==$LOCALSTRIPE_VERSION failed"
  mkdir -p "$STRIPE_TOOLS/stamps" && touch "$STRIPE_TOOLS/stamps/localstripe-$LOCALSTRIPE_VERSION"
}

localstripe_running() { pid_alive "$STRIPE_DIR/localstripe.pid" localstripe-run.py; }
localstripe_down() { stop_pidfile localstripe "$STRIPE_DIR/localstripe.pid" localstripe-run.py; }

# The webhook lives in localstripe's memory, so it is (re)registered on every `up`. Tests register
# their own gateways beside it under other ids; localstripe sends every event to each of them.
localstripe_webhook() {
  curl -fsS -o /dev/null -X POST "http://127.0.0.1:$LOCALSTRIPE_PORT/_config/webhooks/ordersystem-dev" \
    --data-urlencode "url=${GATEWAY_PUBLIC_URL:-http://127.0.0.1:8080}/webhooks/stripe" \
    --data-urlencode "secret=whsec_$(secret STRIPE_WEBHOOK_SECRET)" ||
    die "localstripe: could not register the webhook"
}

localstripe_up() {
  localstripe_install
  mkdir -p "$STRIPE_DIR"
  if localstripe_running; then
    log "localstripe: already running (pid $(<"$STRIPE_DIR/localstripe.pid"))"
  else
    need_free_port localstripe "$LOCALSTRIPE_PORT" LOCALSTRIPE_PORT
    # setsid, as for Kafka: only `down` stops it.
    setsid nohup "$STRIPE_VENV/bin/python" "$HERE/localstripe-run.py" "$LOCALSTRIPE_PORT" \
      >"$STRIPE_DIR/localstripe.log" 2>&1 </dev/null &
    echo $! >"$STRIPE_DIR/localstripe.pid"
    wait_for 30 localstripe "$STRIPE_DIR/localstripe.log" port_open "$LOCALSTRIPE_PORT"
    log "localstripe: started (pid $(<"$STRIPE_DIR/localstripe.pid"), port $LOCALSTRIPE_PORT)"
  fi
  localstripe_webhook
}
