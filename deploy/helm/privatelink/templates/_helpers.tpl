{{/* Chart name, release-scoped full name (63 characters at most, as Kubernetes names require). */}}
{{- define "privatelink.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "privatelink.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The name of one service's objects: <fullname>-<service>. */}}
{{- define "privatelink.componentName" -}}
{{- printf "%s-%s" (include "privatelink.fullname" .root) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "privatelink.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "privatelink.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: privatelink
{{- end -}}

{{/* Selector labels of one service: {root, component}. */}}
{{- define "privatelink.selectorLabels" -}}
app.kubernetes.io/name: {{ include "privatelink.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "privatelink.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "privatelink.secretName" -}}
{{- if .Values.secrets.create -}}
{{- include "privatelink.fullname" . -}}
{{- else -}}
{{- required "secrets.existingSecret is required when secrets.create is false" .Values.secrets.existingSecret -}}
{{- end -}}
{{- end -}}

{{- define "privatelink.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "privatelink.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* One service's values: serviceDefaults overlaid with services.<name> ({root, component}). */}}
{{- define "privatelink.serviceValues" -}}
{{- $defaults := deepCopy .root.Values.serviceDefaults -}}
{{- $own := deepCopy (default (dict) (index .root.Values.services .component)) -}}
{{- toYaml (mergeOverwrite $defaults $own) -}}
{{- end -}}

{{/*
The environment every container of the chart gets: the settings ConfigMap, then the secrets.
({root, component}; component is empty for the migration job.)
*/}}
{{- define "privatelink.env" -}}
- name: PRIVATELINK_DATABASE_URL
  valueFrom: { secretKeyRef: { name: {{ include "privatelink.secretName" .root }}, key: DATABASE_URL } }
- name: PRIVATELINK_PAGINATION_SECRET
  valueFrom: { secretKeyRef: { name: {{ include "privatelink.secretName" .root }}, key: PAGINATION_SECRET } }
- name: PRIVATELINK_SNS_ACCESS_KEY_ID
  valueFrom: { secretKeyRef: { name: {{ include "privatelink.secretName" .root }}, key: SNS_ACCESS_KEY_ID, optional: true } }
- name: PRIVATELINK_SNS_SECRET_ACCESS_KEY
  valueFrom: { secretKeyRef: { name: {{ include "privatelink.secretName" .root }}, key: SNS_SECRET_ACCESS_KEY, optional: true } }
- name: PRIVATELINK_PRINCIPALS_FILE
  value: /etc/privatelink/principals.json
{{- if .component }}
- name: OTEL_SERVICE_NAME
  value: {{ .component | quote }}
- name: OTEL_RESOURCE_ATTRIBUTES
  value: {{ printf "service.namespace=privatelink,service.instance.id=$(POD_NAME),k8s.namespace.name=%s,k8s.pod.name=$(POD_NAME)" .root.Release.Namespace | quote }}
{{- end }}
{{- end -}}
