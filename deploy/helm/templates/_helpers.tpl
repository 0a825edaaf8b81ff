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
{{- if $img.registry -}}
{{- printf "%s/%s:%s" $img.registry $repo $tag -}}
{{- else -}}
{{- printf "%s:%s" $repo $tag -}}
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
{{- if $cfg.uses.database -}}
{{- $_ := set $env "DATABASE_SCHEMA" $cfg.database.schema -}}
{{- $_ := set $env "MIGRATE_ON_START" "false" -}}
{{- end -}}
{{- if $cfg.uses.kafka -}}
{{- $_ := set $env "KAFKA_BROKERS" (required "kafka.brokers is required" $root.Values.kafka.brokers) -}}
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
- name: DATABASE_URL
  value: {{ printf "postgresql://%s:$(DATABASE_PASSWORD)@%s:%v/%s%s" $db.user (required "postgresql.host is required" $pg.host) $pg.port $pg.database (ternary (printf "?sslmode=%s" $pg.sslmode) "" (not (empty $pg.sslmode))) | quote }}
{{- end }}
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
