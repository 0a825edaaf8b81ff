"""Chart unit checks (issue 17): one check per defect the live install found, each failing without its fix.

usage: python chart_unit.py HELM KUBE_VERSION

Renders the chart with `helm template` under the values that exposed each defect and asserts on the
objects (or on the refusal to render). No cluster needed; scripts/deploy.d/live-kube proves the
same against a real API server.
"""
import os
import subprocess
import sys

import yaml

CHART = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
PROD = os.path.join(CHART, "values-production.yaml")
ROOT = os.path.join(CHART, "..", "..")
DIGEST = "sha256:" + "ab" * 32
failures: list[str] = []
passed = 0


def helm(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [HELM, "template", "r", CHART, "--namespace", "shop", "--kube-version", KUBE, *args],
        capture_output=True,
        text=True,
    )


def render(*args: str) -> list[dict]:
    out = helm(*args)
    if out.returncode != 0:
        raise AssertionError(f"helm template {' '.join(args)} failed: {out.stderr.strip()[-400:]}")
    return [d for d in yaml.safe_load_all(out.stdout) if d]


def refused(why: str, *args: str) -> str:
    out = helm(*args)
    assert out.returncode != 0, f"rendered although {why}"
    return out.stderr


def kind(docs: list[dict], k: str) -> list[dict]:
    return [d for d in docs if d["kind"] == k]


def named(docs: list[dict], k: str, component: str) -> dict:
    return next(d for d in kind(docs, k) if d["metadata"]["labels"].get("app.kubernetes.io/component") == component)


def check(name: str):
    def wrap(fn):
        global passed
        try:
            fn()
            passed += 1
            print(f"ok   {name}")
        except Exception as e:  # noqa: BLE001 - any error in a check is its failure
            failures.append(name)
            print(f"FAIL {name}: {type(e).__name__} {e}")
        return fn

    return wrap


def pod_spec(d: dict) -> dict:
    return d["spec"]["template"]["spec"]


def main() -> None:
    @check("a PodDisruptionBudget that allows no eviction is refused")
    def _():
        err = refused("minAvailable == replicas", "--set", "defaults.podDisruptionBudget.minAvailable=2")
        assert "minAvailable" in err, err
        refused("minAvailable 100%", "--set", "defaults.podDisruptionBudget.minAvailable=100%")
        refused("maxUnavailable 0", "--set", "defaults.podDisruptionBudget.maxUnavailable=0")
        # Under an HPA the floor is minReplicas.
        refused(
            "minAvailable == minReplicas",
            "--set", "defaults.autoscaling.enabled=true", "--set", "defaults.autoscaling.minReplicas=2",
            "--set", "defaults.podDisruptionBudget.minAvailable=2",
        )  # fmt: skip
        for d in kind(render("-f", PROD), "PodDisruptionBudget"):
            assert "minAvailable" in d["spec"] or "maxUnavailable" in d["spec"]

    @check("turning the HPA on keeps the Deployment's replicas (never left to default to 1)")
    def _():
        docs = render("--set", "defaults.autoscaling.enabled=true", "--set", "defaults.autoscaling.minReplicas=3")
        for d in kind(docs, "Deployment"):
            assert d["spec"].get("replicas") == 3, f"{d['metadata']['name']}: replicas {d['spec'].get('replicas')}"
        for d in kind(render("-f", PROD), "Deployment"):
            assert d["spec"].get("replicas", 0) >= 2, f"{d['metadata']['name']}: replicas {d['spec'].get('replicas')}"

    @check("ServiceMonitor and PrometheusRule render only where the operator's API is served")
    def _():
        docs = render("-f", PROD)
        assert not kind(docs, "ServiceMonitor") and not kind(docs, "PrometheusRule"), "rendered without the API"
        docs = render(
            "-f", PROD,
            "--api-versions", "monitoring.coreos.com/v1/ServiceMonitor",
            "--api-versions", "monitoring.coreos.com/v1/PrometheusRule",
        )  # fmt: skip
        assert len(kind(docs, "ServiceMonitor")) == 5 and len(kind(docs, "PrometheusRule")) == 1

    @check("migration Jobs: own ServiceAccount (a hook created first), a deadline below helm's timeout")
    def _():
        docs = render()
        sa = named(docs, "ServiceAccount", "migrate")
        ann = sa["metadata"]["annotations"]
        assert "pre-install" in ann["helm.sh/hook"] and int(ann["helm.sh/hook-weight"]) < 0, ann
        jobs = kind(docs, "Job")
        assert len(jobs) == 4
        for j in jobs:
            assert pod_spec(j)["serviceAccountName"] == sa["metadata"]["name"], j["metadata"]["name"]
            assert int(j["metadata"]["annotations"]["helm.sh/hook-weight"]) > int(ann["helm.sh/hook-weight"])
            assert j["spec"]["activeDeadlineSeconds"] < 300
        err = refused("deadline >= helm timeout", "--set", "migrations.activeDeadlineSeconds=300")
        assert "helmTimeoutSeconds" in err, err

    @check("no egress rule allows the cloud metadata address")
    def _():
        for args in ((), ("-f", PROD)):
            for np in kind(render(*args), "NetworkPolicy"):
                for rule in np["spec"].get("egress", []):
                    for peer in rule.get("to", []):
                        block = peer.get("ipBlock")
                        if block and block["cidr"] == "0.0.0.0/0":
                            ex = block.get("except", [])
                            assert "169.254.169.254/32" in ex or "169.254.0.0/16" in ex, f"{np['metadata']['name']}: {block}"

    @check("TRUST_PROXY=true is refused unless only the ingress controller may reach the gateway")
    def _():
        err = refused("TRUST_PROXY with publicFrom open", "--set", "services.gateway.env.TRUST_PROXY=true")
        assert "X-Forwarded-For" in err, err
        refused(
            "TRUST_PROXY without NetworkPolicies",
            "-f", PROD, "--set", "networkPolicy.enabled=false",
        )  # fmt: skip
        gw = named(render("-f", PROD), "ConfigMap", "gateway")
        assert gw["data"]["TRUST_PROXY"] == "true"
        assert named(render(), "ConfigMap", "gateway")["data"]["TRUST_PROXY"] == "false"

    @check("every service's V8 heap has a ceiling that fits its memory limit")
    def _():
        docs = render()
        for d in kind(docs, "ConfigMap"):
            if "OTEL_SERVICE_NAME" in d["data"]:
                assert d["data"]["NODE_OPTIONS"] == "--max-old-space-size=160", d["metadata"]["name"]
        orders = named(render("--set", "services.orders.heapMiB=0"), "ConfigMap", "orders")["data"]
        assert "NODE_OPTIONS" not in orders
        err = refused("a heap above 60 % of the limit", "--set", "services.orders.heapMiB=300")
        assert "heapMiB 300" in err and "384Mi" in err, err
        render("--set", "services.orders.heapMiB=600", "--set", "services.orders.resources.limits.memory=1Gi")

    @check("ServiceAccount annotations are per service")
    def _():
        docs = render("--set", "services.orders.serviceAccount.annotations.iam\\.example/role=orders-role")
        for sa in kind(docs, "ServiceAccount"):
            comp = sa["metadata"]["labels"]["app.kubernetes.io/component"]
            has = "iam.example/role" in (sa["metadata"].get("annotations") or {})
            assert has == (comp == "orders"), f"{comp} annotations: {sa['metadata'].get('annotations')}"
        refused("the old global serviceAccount.annotations", "--set", "serviceAccount.annotations.a=b")

    @check("an image can be pinned by digest")
    def _():
        docs = render("--set", f"services.orders.image.digest={DIGEST}", "-f", PROD)
        orders = named(docs, "Deployment", "orders")
        image = pod_spec(orders)["containers"][0]["image"]
        assert image == f"registry.example.com/shop/ordersystem-orders@{DIGEST}", image
        job = next(j for j in kind(docs, "Job") if j["metadata"]["name"].endswith("orders-migrate"))
        assert pod_spec(job)["containers"][0]["image"] == image
        refused("a malformed digest", "--set", "services.orders.image.digest=latest")

    @check("managed database CA bundle, Kafka TLS/SASL and explicit topic settings")
    def _():
        docs = render("-f", PROD)
        for comp in ("orders", "notifications", "catalog"):
            d = named(docs, "Deployment", comp)
            c = pod_spec(d)["containers"][0]
            env = {e["name"]: e for e in c.get("env", [])}
            assert "sslrootcert=/etc/ordersystem/ca/postgresql/ca.crt" in env["DATABASE_URL"]["value"]
            mounts = {m["mountPath"] for m in c["volumeMounts"]}
            assert "/etc/ordersystem/ca/postgresql" in mounts, mounts
            vols = {v["name"]: v for v in pod_spec(d)["volumes"]}
            assert vols["ca-postgresql"]["configMap"]["name"] == "ordersystem-postgresql-ca"
        for comp in ("orders", "notifications"):
            cm = named(docs, "ConfigMap", comp)["data"]
            assert cm["KAFKA_TLS"] == "true" and cm["KAFKA_CA_FILE"] == "/etc/ordersystem/ca/kafka/ca.crt"
            assert cm["KAFKA_SASL_MECHANISM"] == "scram-sha-512"
            assert cm["ORDER_EVENTS_PARTITIONS"] == "6" and cm["KAFKA_TOPIC_REPLICATION_FACTOR"] == "3"
            c = pod_spec(named(docs, "Deployment", comp))["containers"][0]
            env = {e["name"]: e for e in c["env"]}
            assert env["KAFKA_SASL_PASSWORD"]["valueFrom"]["secretKeyRef"]["name"] == "ordersystem-kafka"
        cm = named(render(), "ConfigMap", "orders")["data"]
        assert cm["KAFKA_TOPIC_REPLICATION_FACTOR"] == "1" and "KAFKA_TLS" not in cm
        refused("SASL without a Secret", "--set", "kafka.sasl.mechanism=plain")

    @check("Stripe keys reach orders and the gateway from Secrets, optional, and compose passes them")
    def _():
        docs = render()
        for comp, var in (("orders", "STRIPE_SECRET_KEY"), ("gateway", "STRIPE_WEBHOOK_SECRET")):
            c = pod_spec(named(docs, "Deployment", comp))["containers"][0]
            ref = {e["name"]: e for e in c["env"]}[var]["valueFrom"]["secretKeyRef"]
            assert ref["name"] == f"ordersystem-{comp}" and ref["optional"] is True, ref
            assert var not in named(docs, "ConfigMap", comp)["data"]
        compose = yaml.safe_load(open(os.path.join(ROOT, "docker-compose.yml")))["services"]
        assert "STRIPE_SECRET_KEY" in compose["orders"]["environment"]
        assert "STRIPE_WEBHOOK_SECRET" in compose["gateway"]["environment"]

    @check("compose runs the PostgreSQL major of scripts/versions.env")
    def _():
        versions = dict(
            line.strip().split("=", 1)
            for line in open(os.path.join(ROOT, "scripts", "versions.env"))
            if "=" in line and not line.startswith("#")
        )
        compose = yaml.safe_load(open(os.path.join(ROOT, "docker-compose.yml")))
        image = compose["services"]["postgres"]["image"]
        assert image == f"postgres:{versions['POSTGRES_VERSION']}-bookworm", image


if __name__ == "__main__":
    HELM, KUBE = sys.argv[1], sys.argv[2]
    main()
    print(f"chart unit checks: {passed} passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)
