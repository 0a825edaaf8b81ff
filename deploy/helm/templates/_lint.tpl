{{/*
Linter exceptions, each with its reason; rendered as the `kube-score/ignore` annotation, which
kube-score reads on the object. Call with (dict "root" $ "cfg" $cfg).

container-image-pull-policy: kube-score wants imagePullPolicy Always so that imagePullSecrets are
  re-checked at every start on shared nodes. Release images carry immutable version tags, and
  IfNotPresent keeps pods restarting while the registry is unreachable, so the default keeps
  IfNotPresent; values-production.yaml sets Always, which drops this exception.
deployment-has-host-podantiaffinity: pods are spread across nodes (and zones) by
  topologySpreadConstraints on kubernetes.io/hostname with maxSkew 1, the scheduler's successor
  to anti-affinity that kube-score does not recognise. Only claimed while that constraint exists.
deployment-targeted-by-hpa-does-not-have-replicas-configured: under an HPA the chart still renders
  replicas, as the live count (lookup), so switching the HPA on never lets the three-way merge reset
  the Deployment to 1 replica (issue 17); an upgrade re-applies the count the HPA set.
pod-networkpolicy: only when the operator sets networkPolicy.enabled=false on purpose (e.g. the
  cluster enforces its own policies or a mesh); the default and production values keep policies.
*/}}
{{- define "ordersystem.lintAnnotations" -}}
{{- $ignore := list -}}
{{- if ne .root.Values.image.pullPolicy "Always" -}}
{{- $ignore = append $ignore "container-image-pull-policy" -}}
{{- end -}}
{{- if and .cfg .cfg.topologySpread .cfg.topologySpread.enabled -}}
{{- range .cfg.topologySpread.constraints -}}
{{- if eq .topologyKey "kubernetes.io/hostname" -}}
{{- $ignore = append $ignore "deployment-has-host-podantiaffinity" -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if and .cfg .cfg.autoscaling .cfg.autoscaling.enabled -}}
{{- $ignore = append $ignore "deployment-targeted-by-hpa-does-not-have-replicas-configured" -}}
{{- end -}}
{{- if not .root.Values.networkPolicy.enabled -}}
{{- $ignore = append $ignore "pod-networkpolicy" -}}
{{- end -}}
{{- with $ignore -}}
kube-score/ignore: {{ join "," (uniq .) }}
{{- end -}}
{{- end -}}
