{{/*
Naming. Every object is "<release>-<service>" (or fullnameOverride-<service>), so the upstream
addresses the services compute for each other stay predictable.
*/}}
{{- define "ordersystem.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* "<fullname>-<service>"; call with (dict "root" $ "name" "orders"). */}}
{{- define "ordersystem.svcName" -}}
{{- printf "%s-%s" (include "ordersystem.fullname" .root) .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "ordersystem.chartLabel" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels common to every object of the release. */}}
{{- define "ordersystem.labels" -}}
helm.sh/chart: {{ include "ordersystem.chartLabel" . }}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: ordersystem
{{- end -}}

{{/* Selector labels of one service's pods; (dict "root" $ "name" "orders"). */}}
{{- define "ordersystem.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "ordersystem.svcLabels" -}}
{{ include "ordersystem.labels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{/*
The effective settings of one service: .Values.defaults deep-merged under .Values.services.<name>
(the service wins). Returned as YAML; use: $cfg := include "ordersystem.config" (dict ...) | fromYaml
*/}}
{{- define "ordersystem.config" -}}
{{- $svc := index .root.Values.services .name -}}
{{- toYaml (mergeOverwrite (deepCopy .root.Values.defaults) (deepCopy $svc)) -}}
{{- end -}}

{{/* Is service .name present and enabled? Returns "true" or "". */}}
{{- define "ordersystem.enabled" -}}
{{- $svc := index .root.Values.services .name | default dict -}}
{{- if and $svc $svc.enabled -}}true{{- end -}}
{{- end -}}

{{/* Image reference of one service: <registry>/<repository>-<service>:<tag>. */}}
{{- define "ordersystem.image" -}}
{{- $img := .root.Values.image -}}
{{- $tag := .cfg.image.tag | default $img.tag | default .root.Chart.AppVersion -}}
{{- $repo := .cfg.image.repository | default (printf "%s-%s" $img.repository .name) -}}
{{- /* A digest (services.<name>.image.digest) pins the exact build: a rebuilt image under the same
tag is never pulled with IfNotPresent, a new digest always is. */ -}}
{{- $digest := .cfg.image.digest | default "" -}}
{{- $ref := ternary (printf "%s@%s" $repo $digest) (printf "%s:%s" $repo $tag) (ne $digest "") -}}
{{- if $img.registry -}}
{{- printf "%s/%s" $img.registry $ref -}}
{{- else -}}
{{- $ref -}}
{{- end -}}
{{- end -}}

{{/*
Plain (non-secret) environment of one service as a YAML map, in increasing precedence:
computed (ports, schema, external infrastructure, upstream URLs, OTel) < .Values.commonEnv <
services.<name>.env. Rendered into the ConfigMap, and inline into the migration Job (a
pre-install hook runs before the ConfigMap exists).
*/}}
{{- define "ordersystem.plainEnv" -}}
{{- $root := .root -}}
{{- $cfg := .cfg -}}
{{- $env := dict -}}
{{- $_ := set $env "PORT" (toString $root.Values.ports.grpc) -}}
{{- $_ := set $env "OPS_PORT" (toString $root.Values.ports.ops) -}}
{{- $_ := set $env "SHUTDOWN_GRACE_MS" (toString $root.Values.shutdown.graceMs) -}}
{{- with $cfg.heapMiB -}}
{{- $_ := set $env "NODE_OPTIONS" (printf "--max-old-space-size=%d" (int .)) -}}
{{- end -}}
{{- if $cfg.uses.database -}}
{{- $_ := set $env "DATABASE_SCHEMA" $cfg.database.schema -}}
{{- $_ := set $env "MIGRATE_ON_START" "false" -}}
{{- end -}}
{{- if $cfg.uses.kafka -}}
{{- $k := $root.Values.kafka -}}
{{- $_ := set $env "KAFKA_BROKERS" (required "kafka.brokers is required" $k.brokers) -}}
{{- /* Topics are created with these, never with the broker's auto-creation defaults. */ -}}
{{- $_ := set $env "ORDER_EVENTS_PARTITIONS" (toString $k.topics.partitions) -}}
{{- $_ := set $env "KAFKA_TOPIC_REPLICATION_FACTOR" (toString $k.topics.replicationFactor) -}}
{{- if $k.tls.enabled -}}
{{- $_ := set $env "KAFKA_TLS" "true" -}}
{{- if or $k.tls.caBundle.configMap $k.tls.caBundle.secret -}}
{{- $_ := set $env "KAFKA_CA_FILE" "/etc/ordersystem/ca/kafka/ca.crt" -}}
{{- end -}}
{{- end -}}
{{- with $k.sasl.mechanism -}}
{{- $_ := set $env "KAFKA_SASL_MECHANISM" . -}}
{{- end -}}
{{- end -}}
{{- if and $cfg.uses.redis (not $root.Values.redis.existingSecret) -}}
{{- $_ := set $env "REDIS_URL" (required "redis.url (or redis.existingSecret) is required" $root.Values.redis.url) -}}
{{- end -}}
{{- range $var, $target := $cfg.upstreams -}}
{{- $_ := set $env $var (printf "http://%s.%s.svc.%s:%v" (include "ordersystem.svcName" (dict "root" $root "name" $target)) $root.Release.Namespace $root.Values.clusterDomain $root.Values.ports.grpc) -}}
{{- end -}}
{{- $otel := $root.Values.otel -}}
{{- $_ := set $env "OTEL_SERVICE_NAME" .name -}}
{{- if and $otel.enabled $otel.endpoint -}}
{{- $_ := set $env "OTEL_TRACES_EXPORTER" "otlp" -}}
{{- $_ := set $env "OTEL_EXPORTER_OTLP_ENDPOINT" $otel.endpoint -}}
{{- $_ := set $env "OTEL_EXPORTER_OTLP_PROTOCOL" $otel.protocol -}}
{{- $_ := set $env "OTEL_TRACES_SAMPLER" $otel.sampler -}}
{{- $_ := set $env "OTEL_TRACES_SAMPLER_ARG" (toString $otel.samplerArg) -}}
{{- else -}}
{{- $_ := set $env "OTEL_TRACES_EXPORTER" "none" -}}
{{- end -}}
{{- $attrs := list (printf "service.namespace=%s" $root.Release.Namespace) (printf "k8s.namespace.name=%s" $root.Release.Namespace) -}}
{{- with $otel.resourceAttributes }}{{ $attrs = append $attrs . }}{{ end -}}
{{- $_ := set $env "OTEL_RESOURCE_ATTRIBUTES" (join "," $attrs) -}}
{{- range $k, $v := $otel.extraEnv }}{{ $_ := set $env $k (toString $v) }}{{ end -}}
{{- range $k, $v := $root.Values.commonEnv }}{{ $_ := set $env $k (toString $v) }}{{ end -}}
{{- range $k, $v := $cfg.env }}{{ $_ := set $env $k (toString $v) }}{{ end -}}
{{- toYaml $env -}}
{{- end -}}

{{/*
Secret-backed environment entries (a list of EnvVar), never values: the database password and
URL, a Redis URL with credentials, and services.<name>.secretEnv (VAR: {name, key}).
DATABASE_URL is assembled by Kubernetes from $(DATABASE_PASSWORD), so only the password lives in
a Secret; database.urlSecret takes a complete URL from a Secret instead.
*/}}
{{- define "ordersystem.secretEnv" -}}
{{- $root := .root -}}
{{- $cfg := .cfg -}}
{{- if $cfg.uses.database -}}
{{- $db := $cfg.database -}}
{{- if and $db.urlSecret $db.urlSecret.name }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ $db.urlSecret.name }}
      key: {{ $db.urlSecret.key | default "DATABASE_URL" }}
{{- else }}
{{- $pg := $root.Values.postgresql }}
- name: DATABASE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ required (printf "services.%s.database.existingSecret is required" .name) $db.existingSecret }}
      key: {{ $db.passwordKey | default "password" }}
{{- $params := list }}
{{- with $pg.sslmode }}{{ $params = append $params (printf "sslmode=%s" .) }}{{ end }}
{{- /* The mounted CA bundle (ordersystem.caVolumes); node-postgres and the platform read sslrootcert. */}}
{{- if or $pg.caBundle.configMap $pg.caBundle.secret }}{{ $params = append $params "sslrootcert=/etc/ordersystem/ca/postgresql/ca.crt" }}{{ end }}
- name: DATABASE_URL
  value: {{ printf "postgresql://%s:$(DATABASE_PASSWORD)@%s:%v/%s%s" $db.user (required "postgresql.host is required" $pg.host) $pg.port $pg.database (ternary (printf "?%s" (join "&" $params)) "" (not (empty $params))) | quote }}
{{- end }}
{{- end }}
{{- if and $cfg.uses.kafka $root.Values.kafka.sasl.mechanism }}
{{- $sasl := $root.Values.kafka.sasl }}
- name: KAFKA_SASL_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ required "kafka.sasl.existingSecret is required with kafka.sasl.mechanism" $sasl.existingSecret }}
      key: {{ $sasl.usernameKey | default "username" }}
- name: KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $sasl.existingSecret }}
      key: {{ $sasl.passwordKey | default "password" }}
{{- end }}
{{- if and $cfg.uses.redis $root.Values.redis.existingSecret }}
- name: REDIS_URL
  valueFrom:
    secretKeyRef:
      name: {{ $root.Values.redis.existingSecret }}
      key: {{ $root.Values.redis.secretKey | default "REDIS_URL" }}
{{- end }}
{{- range $var, $ref := $cfg.secretEnv }}
{{- if $ref }}
- name: {{ $var }}
  valueFrom:
    secretKeyRef:
      name: {{ required (printf "secretEnv %s needs a secret name" $var) $ref.name }}
      key: {{ required (printf "secretEnv %s needs a key" $var) $ref.key }}
      {{- if hasKey $ref "optional" }}
      optional: {{ $ref.optional }}
      {{- end }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Pod-level security context shared by Deployments and migration Jobs. */}}
{{- define "ordersystem.podSecurityContext" -}}
{{- toYaml .Values.podSecurityContext }}
{{- end -}}

{{- define "ordersystem.containerSecurityContext" -}}
{{- toYaml .Values.containerSecurityContext }}
{{- end -}}

{{/* Fails rendering when the pod would be killed before the app finishes its graceful stop. */}}
{{- define "ordersystem.checkGrace" -}}
{{- $s := .Values.shutdown -}}
{{- $budgetMs := add (mul (int $s.preStopSleepSeconds) 1000) (int $s.graceMs) -}}
{{- if le (mul (int $s.terminationGracePeriodSeconds) 1000) (int $budgetMs) -}}
{{- fail (printf "shutdown.terminationGracePeriodSeconds (%vs) must exceed preStopSleepSeconds + graceMs (%vms)" $s.terminationGracePeriodSeconds $budgetMs) -}}
{{- end -}}
{{- end -}}

{{/* The migration Jobs' ServiceAccount: "<fullname>-migrate". */}}
{{- define "ordersystem.migrationServiceAccount" -}}
{{- include "ordersystem.svcName" (dict "root" . "name" "migrate") -}}
{{- end -}}

{{/* "true" when an enabled service owns a database (and so has a migration Job). */}}
{{- define "ordersystem.hasDatabaseService" -}}
{{- range $name, $svc := .Values.services -}}
{{- if $svc.enabled -}}
{{- $cfg := include "ordersystem.config" (dict "root" $ "name" $name) | fromYaml -}}
{{- if $cfg.uses.database -}}true{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
A migration Job whose deadline is not below helm's timeout is still running when helm gives up,
and the install fails with only "timed out waiting for the condition". Keep a margin for the image pull.
*/}}
{{- define "ordersystem.checkMigrationDeadline" -}}
{{- $m := .Values.migrations -}}
{{- if ge (int $m.activeDeadlineSeconds) (int $m.helmTimeoutSeconds) -}}
{{- fail (printf "migrations.activeDeadlineSeconds (%v) must be below migrations.helmTimeoutSeconds (%v, the --timeout you give helm), so a stuck migration fails with its own reason" $m.activeDeadlineSeconds $m.helmTimeoutSeconds) -}}
{{- end -}}
{{- end -}}

{{/*
The replica count of one service. Without an HPA, replicaCount. With one, the count running now
(so turning the HPA on, or any upgrade under it, never resets the Deployment), or on a first install
the larger of replicaCount and minReplicas. (dict "root" $ "name" ... "cfg" $cfg)
*/}}
{{- define "ordersystem.replicas" -}}
{{- $cfg := .cfg -}}
{{- if $cfg.autoscaling.enabled -}}
{{- $live := lookup "apps/v1" "Deployment" .root.Release.Namespace (include "ordersystem.svcName" .) -}}
{{- if and $live $live.spec $live.spec.replicas -}}
{{- max (int $live.spec.replicas) (int $cfg.autoscaling.minReplicas) -}}
{{- else -}}
{{- max (int $cfg.replicaCount) (int $cfg.autoscaling.minReplicas) -}}
{{- end -}}
{{- else -}}
{{- $cfg.replicaCount -}}
{{- end -}}
{{- end -}}

{{/*
A PodDisruptionBudget that allows no disruption installs fine and then blocks every node drain
forever: minAvailable must stay below the smallest replica count (minReplicas under an HPA).
Percentages are refused at 100%. (dict "name" ... "cfg" $cfg)
*/}}
{{- define "ordersystem.checkPdb" -}}
{{- $pdb := .cfg.podDisruptionBudget -}}
{{- $floor := ternary .cfg.autoscaling.minReplicas .cfg.replicaCount (.cfg.autoscaling.enabled | default false) | int -}}
{{- if hasKey $pdb "minAvailable" -}}
{{- $min := $pdb.minAvailable -}}
{{- if kindIs "string" $min -}}
{{- if eq (trimSuffix "%" $min) "100" -}}
{{- fail (printf "services.%s: podDisruptionBudget.minAvailable %s would block every drain" .name $min) -}}
{{- end -}}
{{- else if ge (int $min) $floor -}}
{{- fail (printf "services.%s: podDisruptionBudget.minAvailable (%v) must be below the replica count (%v), or no pod can ever be evicted; use maxUnavailable" .name $min $floor) -}}
{{- end -}}
{{- else if eq (toString $pdb.maxUnavailable) "0" -}}
{{- fail (printf "services.%s: podDisruptionBudget.maxUnavailable 0 would block every drain" .name) -}}
{{- end -}}
{{- end -}}

{{/*
The heap ceiling must leave room inside the container's memory limit for everything V8 keeps
outside the old space; 60 % of limits.memory (Mi or Gi) is the most the chart accepts.
(dict "name" ... "cfg" $cfg)
*/}}
{{- define "ordersystem.checkHeap" -}}
{{- $heap := .cfg.heapMiB | default 0 | int -}}
{{- $limit := toString (dig "limits" "memory" "" .cfg.resources) -}}
{{- if and $heap $limit -}}
{{- $mib := 0 -}}
{{- if hasSuffix "Gi" $limit }}{{ $mib = mul (trimSuffix "Gi" $limit | int) 1024 }}{{ else if hasSuffix "Mi" $limit }}{{ $mib = trimSuffix "Mi" $limit | int }}{{ end -}}
{{- if and $mib (gt (mul $heap 10) (mul $mib 6)) -}}
{{- fail (printf "services.%s: heapMiB %d is above 60 %% of limits.memory (%s); the pod would be OOM-killed before V8 collects" .name $heap $limit) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
Read-only CA bundles, each from a ConfigMap or Secret key: postgresql.caBundle (for sslmode=verify-ca
or verify-full against a managed database) and kafka.tls.caBundle. Mounted under /etc/ordersystem/ca.
*/}}
{{- define "ordersystem.caBundles" -}}
{{- $root := .root -}}
{{- $cfg := .cfg -}}
{{- $out := dict -}}
{{- if and $cfg.uses.database (or $root.Values.postgresql.caBundle.configMap $root.Values.postgresql.caBundle.secret) -}}
{{- $_ := set $out "postgresql" $root.Values.postgresql.caBundle -}}
{{- end -}}
{{- if and $cfg.uses.kafka $root.Values.kafka.tls.enabled (or $root.Values.kafka.tls.caBundle.configMap $root.Values.kafka.tls.caBundle.secret) -}}
{{- $_ := set $out "kafka" $root.Values.kafka.tls.caBundle -}}
{{- end -}}
{{- toYaml $out -}}
{{- end -}}

{{- define "ordersystem.caMounts" -}}
{{- range $name, $b := include "ordersystem.caBundles" . | fromYaml }}
- name: ca-{{ $name }}
  mountPath: /etc/ordersystem/ca/{{ $name }}
  readOnly: true
{{- end }}
{{- end -}}

{{- define "ordersystem.caVolumes" -}}
{{- range $name, $b := include "ordersystem.caBundles" . | fromYaml }}
- name: ca-{{ $name }}
  {{- if $b.configMap }}
  configMap:
    name: {{ $b.configMap }}
    items: [{key: {{ $b.key | default "ca.crt" }}, path: ca.crt}]
  {{- else }}
  secret:
    secretName: {{ $b.secret }}
    items: [{key: {{ $b.key | default "ca.crt" }}, path: ca.crt}]
  {{- end }}
{{- end }}
{{- end -}}

{{/*
TRUST_PROXY=true believes X-Forwarded-For: safe only when NetworkPolicies let nothing but the
ingress controller reach the gateway (networkPolicy.publicFrom), or any pod could claim any address.
*/}}
{{- define "ordersystem.checkTrustProxy" -}}
{{- $gw := index .Values.services "gateway" | default dict -}}
{{- if and $gw $gw.enabled $gw.env -}}
{{- if eq (toString (index $gw.env "TRUST_PROXY" | default "false")) "true" -}}
{{- if or (not .Values.networkPolicy.enabled) (empty .Values.networkPolicy.publicFrom) -}}
{{- fail "services.gateway.env.TRUST_PROXY=true needs networkPolicy.enabled with networkPolicy.publicFrom naming the ingress controller; otherwise any pod can spoof X-Forwarded-For" -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
