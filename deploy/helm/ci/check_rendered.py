"""Checks the chart's rendered manifests against the deployment contract (issue 9, STYLE.md 15).

kubernetes-validate proves the objects are valid Kubernetes; this proves they are the objects we
promised: hardened pods, native gRPC probes, a grace period longer than the app's, h2c Services,
no inline Secrets, NetworkPolicies that only name deployed peers, ServiceMonitors that match the
CRD subset in servicemonitor.schema.json, a PrometheusRule (prometheusrule.schema.json) and dashboard
ConfigMaps that carry exactly the rules and dashboards of deploy/observability.

usage: python check_rendered.py RENDERED.yaml [--disabled SERVICE] [--no-migrations] [--env-out FILE]

--env-out writes each Deployment's and migration Job's environment as the container would see it
({"<case>/<service>": {VAR: value}}): ConfigMap entries, then env with $(VAR) expanded and Secret
references replaced by placeholders (optional ones left out). deploy/docker/check-env.cjs then runs
every service's own config loader on it, so the chart cannot drift from the code's variables.
"""
import argparse
import json
import os
import sys

import jsonschema
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
SERVICES = {"gateway", "customers", "catalog", "orders", "notifications"}
DB_SERVICES = {"customers", "catalog", "orders", "notifications"}
OBSERVABILITY = os.path.join(HERE, "..", "..", "observability")


def main() -> int:
    args = argparse.ArgumentParser()
    args.add_argument("path")
    args.add_argument("--disabled")
    args.add_argument("--no-migrations", action="store_true")
    args.add_argument("--env-out")
    opts = args.parse_args()
    path, disabled = opts.path, opts.disabled
    with open(path) as f:
        docs = [d for d in yaml.safe_load_all(f) if d]
    problems: list[str] = []
    by_kind: dict[str, list[dict]] = {}
    for d in docs:
        by_kind.setdefault(d["kind"], []).append(d)

    expected = SERVICES - {disabled}
    deployments = {component(d): d for d in by_kind.get("Deployment", [])}
    if set(deployments) != expected:
        problems.append(f"Deployments {sorted(deployments)} != expected {sorted(expected)}")
    for kind in ("Service", "ServiceAccount", "ConfigMap", "PodDisruptionBudget"):
        got = {component(d) for d in by_kind.get(kind, []) if component(d) not in ("dashboards", "migrate")}
        if got != expected:
            problems.append(f"{kind}s {sorted(got)} != expected {sorted(expected)}")
    jobs = {component(d) for d in by_kind.get("Job", [])}
    want_jobs = set() if opts.no_migrations else {f"{s}-migrate" for s in DB_SERVICES - {disabled}}
    if jobs != want_jobs:
        problems.append(f"migration Jobs {sorted(jobs)} do not match the enabled database services")
    # The migration Jobs run under their own account (a hook created before them), never "default".
    migrate_sa = [d for d in by_kind.get("ServiceAccount", []) if component(d) == "migrate"]
    for job in by_kind.get("Job", []):
        sa = job["spec"]["template"]["spec"].get("serviceAccountName")
        if not migrate_sa or sa != migrate_sa[0]["metadata"]["name"]:
            problems.append(f"Job {job['metadata']['name']} runs as {sa!r}, not the migration ServiceAccount")
    if migrate_sa and not want_jobs:
        problems.append("a migration ServiceAccount without migration Jobs")
    if "Secret" in by_kind:
        problems.append("the chart renders a Secret: secrets must be references to existing Secrets")

    for name, d in deployments.items():
        problems += check_pod(f"Deployment {name}", d["spec"]["template"]["spec"], probes=True)
    for d in by_kind.get("Job", []):
        hooks = d["metadata"].get("annotations", {}).get("helm.sh/hook", "")
        if hooks != "pre-install,pre-upgrade":
            problems.append(f"Job {d['metadata']['name']}: hook is {hooks!r}")
        if "helm.sh/hook-delete-policy" not in d["metadata"].get("annotations", {}):
            problems.append(f"Job {d['metadata']['name']}: no hook-delete-policy")
        problems += check_pod(f"Job {d['metadata']['name']}", d["spec"]["template"]["spec"], probes=False)

    for s in by_kind.get("Service", []):
        grpc = [p for p in s["spec"]["ports"] if p["name"] == "grpc"]
        if not grpc or grpc[0].get("appProtocol") not in ("kubernetes.io/h2c", "grpc"):
            problems.append(f"Service {s['metadata']['name']}: grpc port not marked h2c")

    problems += check_network_policies(by_kind.get("NetworkPolicy", []), expected)
    for hpa in by_kind.get("HorizontalPodAutoscaler", []):
        target = hpa["spec"]["scaleTargetRef"]["name"]
        dep = next((d for d in deployments.values() if d["metadata"]["name"] == target), None)
        if dep is None:
            problems.append(f"HPA {hpa['metadata']['name']} targets a missing Deployment")
        elif dep["spec"].get("replicas", 0) < hpa["spec"]["minReplicas"]:
            # Kept under the HPA (the live count on upgrades), never left out: a Deployment without
            # replicas drops to 1 during the switch until the HPA scales it back up.
            problems.append(f"Deployment {target} under an HPA has replicas below minReplicas")
    schema = json.load(open(os.path.join(HERE, "servicemonitor.schema.json")))
    for sm in by_kind.get("ServiceMonitor", []):
        try:
            jsonschema.validate(sm, schema)
        except jsonschema.ValidationError as e:
            problems.append(f"ServiceMonitor {sm['metadata']['name']}: {e.message} at {list(e.absolute_path)}")
    problems += check_monitoring(by_kind)
    if disabled:
        for d in docs:
            if disabled in component(d).split("-"):
                problems.append(f"{d['kind']} {d['metadata']['name']} exists although {disabled} is disabled")
        if f"component: {disabled}\n" in open(path).read():
            problems.append(f"some object still selects the disabled service {disabled}")

    if opts.env_out:
        case = os.path.splitext(os.path.basename(path))[0]
        configmaps = {c["metadata"]["name"]: c.get("data", {}) for c in by_kind.get("ConfigMap", [])}
        envs = {}
        for name, d in deployments.items():
            envs[f"{case}/{name}"] = container_env(d["spec"]["template"]["spec"]["containers"][0], configmaps)
        for d in by_kind.get("Job", []):
            envs[f"{case}/{component(d)}"] = container_env(d["spec"]["template"]["spec"]["containers"][0], configmaps)
        with open(opts.env_out, "w") as f:
            json.dump(envs, f, indent=1, sort_keys=True)

    for p in problems:
        print(f"  problem: {p}", file=sys.stderr)
    print(f"check_rendered: {os.path.basename(path)}: {len(docs)} objects, {len(problems)} problems")
    return 1 if problems else 0


def placeholder(var: str) -> str:
    """A syntactically valid stand-in for a value that lives in a Secret."""
    if var == "REDIS_URL":
        return "redis://:placeholder@redis.invalid:6379"
    if var == "SMTP_URL":
        return "smtp://user:placeholder@smtp.invalid:587"
    if var == "TWILIO_ACCOUNT_SID":
        return "AC00000000000000000000000000000000"
    if var.endswith("_URL"):
        return "https://placeholder.invalid"
    return "placeholder"


def container_env(c: dict, configmaps: dict) -> dict:
    env: dict[str, str] = {}
    for source in c.get("envFrom", []):
        env.update(configmaps.get(source.get("configMapRef", {}).get("name"), {}))
    for e in c.get("env", []):
        if "value" in e:
            value = e["value"]
            for k, v in env.items():
                value = value.replace(f"$({k})", v)
            env[e["name"]] = value
        elif "secretKeyRef" in e.get("valueFrom", {}):
            if not e["valueFrom"]["secretKeyRef"].get("optional"):
                env[e["name"]] = placeholder(e["name"])
    return env


def check_monitoring(by_kind: dict) -> list[str]:
    """The PrometheusRule and dashboard ConfigMaps carry exactly the files of deploy/observability."""
    problems = []
    schema = json.load(open(os.path.join(HERE, "prometheusrule.schema.json")))
    for pr in by_kind.get("PrometheusRule", []):
        try:
            jsonschema.validate(pr, schema)
        except jsonschema.ValidationError as e:
            problems.append(f"PrometheusRule {pr['metadata']['name']}: {e.message} at {list(e.absolute_path)}")
            continue
        want = []
        for name in ("recording", "alerts"):
            with open(os.path.join(OBSERVABILITY, "rules", f"{name}.yml")) as f:
                want += yaml.safe_load(f)["groups"]
        got = pr["spec"]["groups"]
        for group in got:
            for rule in group["rules"]:
                url = rule.get("annotations", {}).get("runbook_url")
                if url is not None:
                    if not url.endswith(f"docs/runbooks/{rule['alert']}.md"):
                        problems.append(f"PrometheusRule: {rule['alert']} runbook_url {url}")
                    rule["annotations"]["runbook_url"] = f"docs/runbooks/{rule['alert']}.md"
        if got != want:
            problems.append("PrometheusRule groups differ from deploy/observability/rules")
    dashboards = [c for c in by_kind.get("ConfigMap", []) if component(c) == "dashboards"]
    if dashboards:
        source = {f: json.load(open(os.path.join(OBSERVABILITY, "dashboards", f)))
                  for f in os.listdir(os.path.join(OBSERVABILITY, "dashboards")) if f.endswith(".json")}
        rendered = {}
        for c in dashboards:
            if c["metadata"].get("labels", {}).get("grafana_dashboard") != "1":
                problems.append(f"ConfigMap {c['metadata']['name']}: no grafana_dashboard label for the sidecar")
            rendered.update({k: json.loads(v) for k, v in c.get("data", {}).items()})
        differ = sorted(f for f in set(rendered) | set(source) if rendered.get(f) != source.get(f))
        if differ:
            problems.append(f"dashboard ConfigMaps differ from deploy/observability/dashboards: {differ}")
    return problems


def component(d: dict) -> str:
    return d["metadata"].get("labels", {}).get("app.kubernetes.io/component", "")


def check_pod(what: str, pod: dict, probes: bool) -> list[str]:
    out = []
    psc = pod.get("securityContext", {})
    if not psc.get("runAsNonRoot") or psc.get("seccompProfile", {}).get("type") != "RuntimeDefault":
        out.append(f"{what}: pod securityContext lacks runAsNonRoot/seccomp RuntimeDefault")
    tmp_volumes = {v["name"] for v in pod.get("volumes", []) if "emptyDir" in v}
    for c in pod["containers"]:
        sc = c.get("securityContext", {})
        if not (sc.get("readOnlyRootFilesystem") and sc.get("allowPrivilegeEscalation") is False
                and sc.get("capabilities", {}).get("drop") == ["ALL"] and sc.get("runAsNonRoot")):
            out.append(f"{what}/{c['name']}: container securityContext is not hardened")
        if not any(m["mountPath"] == "/tmp" and m["name"] in tmp_volumes for m in c.get("volumeMounts", [])):
            out.append(f"{what}/{c['name']}: no emptyDir on /tmp")
        res = c.get("resources", {})
        if not res.get("requests") or not res.get("limits", {}).get("memory"):
            out.append(f"{what}/{c['name']}: resource requests/memory limit missing")
        for e in c.get("env", []):
            if any(word in e["name"] for word in ("PASSWORD", "SECRET", "TOKEN", "KEYS")) and "value" in e \
                    and "$(" not in e["value"] and e["name"] not in ("TOKEN_ISSUER", "TOKEN_AUDIENCE"):
                out.append(f"{what}/{c['name']}: {e['name']} is inlined, not a secretKeyRef")
        if probes:
            out += check_probes(what, pod, c)
    return out


def check_probes(what: str, pod: dict, c: dict) -> list[str]:
    out = []
    ready, live = c.get("readinessProbe", {}).get("grpc"), c.get("livenessProbe", {}).get("grpc")
    if not ready or ready.get("service", "") != "":
        out.append(f"{what}: readiness must be a grpc probe on service \"\"")
    if not live or live.get("service") != "liveness":
        out.append(f"{what}: liveness must be a grpc probe on service \"liveness\"")
    env = {e["name"]: e.get("value") for e in c.get("env", [])}
    grace_ms = int(env.get("SHUTDOWN_GRACE_MS") or 10000)
    pre_stop = c.get("lifecycle", {}).get("preStop", {}).get("sleep", {}).get("seconds", 0)
    if pod.get("terminationGracePeriodSeconds", 30) * 1000 <= grace_ms + pre_stop * 1000:
        out.append(f"{what}: terminationGracePeriodSeconds does not exceed preStop + SHUTDOWN_GRACE_MS")
    if not pod.get("topologySpreadConstraints"):
        out.append(f"{what}: no topologySpreadConstraints")
    return out


def check_network_policies(policies: list[dict], enabled: set[str]) -> list[str]:
    if not policies:
        return []
    out = []
    names = {p["metadata"]["name"] for p in policies}
    if not any(p["spec"]["podSelector"].get("matchLabels", {}).get("app.kubernetes.io/component") is None
               and "Ingress" in p["spec"]["policyTypes"] and not p["spec"].get("ingress") for p in policies):
        out.append("no default-deny ingress policy")
    for p in policies:
        for rule in p["spec"].get("ingress", []):
            for peer in rule.get("from", []):
                target = peer.get("podSelector", {}).get("matchLabels", {}).get("app.kubernetes.io/component")
                if target and target not in enabled:
                    out.append(f"NetworkPolicy {p['metadata']['name']} admits the disabled service {target}")
    by_component = {p["spec"]["podSelector"].get("matchLabels", {}).get("app.kubernetes.io/component"): p
                    for p in policies}
    rules = {
        # service: components allowed on grpc (None = public)
        "gateway": None,
        "customers": {"gateway", "orders"},
        "catalog": {"gateway", "orders"},
        "orders": {"gateway"},
        "notifications": set(),
    }
    for svc, allowed in rules.items():
        if svc not in enabled:
            continue
        p = by_component.get(svc)
        if p is None:
            out.append(f"no NetworkPolicy for {svc} (have {sorted(names)})")
            continue
        grpc_peers: set[str] = set()
        public = False
        for rule in p["spec"].get("ingress", []):
            ports = {str(x.get("port")) for x in rule.get("ports", [])}
            if "grpc" not in ports:
                if ports != {"ops"}:
                    out.append(f"NetworkPolicy {svc}: unexpected ports {ports}")
                continue
            if not rule.get("from") or any("namespaceSelector" in f for f in rule["from"]):
                public = True
            for f in rule.get("from", []):
                c = f.get("podSelector", {}).get("matchLabels", {}).get("app.kubernetes.io/component")
                if c:
                    grpc_peers.add(c)
        if allowed is None:
            if not public:
                out.append("NetworkPolicy gateway: not reachable from outside")
        elif public or grpc_peers != (allowed & enabled):
            out.append(f"NetworkPolicy {svc}: grpc from {sorted(grpc_peers)} public={public}, want {sorted(allowed & enabled)}")
    return out


if __name__ == "__main__":
    sys.exit(main())
