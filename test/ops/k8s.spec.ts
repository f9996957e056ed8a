import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_COMPLAINT_BODY_BYTES, ServiceTopics } from '@lapor/contracts';
import { LaporMetrics } from '@lapor/runtime';
import { appOfCommand, CONFIG_VARIABLES, deployableApps, runTool } from '../support/deployables';
import { REPO_ROOT } from '../support/kafka-broker';
import { K8sObject, ofKind, OVERLAYS, renderOverlay } from '../support/kustomize';

/**
 * k8s/ checked offline, as CI can (no cluster): each overlay renders with kubectl kustomize, every
 * object validates against its schema (tools/k8s/validate.mjs: kubernetes-models for core kinds,
 * the real Strimzi/KEDA/CloudNativePG CRDs for custom resources), and the manifests say what the
 * apps need: a Deployment per app with probes, limits, a security context and a grace period that
 * covers the drain, a Service, a PDB, an autoscaler, secrets that are documented.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
const rendered = Object.fromEntries(OVERLAYS.map((o) => [o, renderOverlay(o)]));

function appsOf(objects: K8sObject[]): [string, K8sObject][] {
  return ofKind(objects, 'Deployment').map((d) => [appOfCommand(d.spec.template.spec.containers[0].command)!, d]);
}

function configMapOf(objects: K8sObject[], container: any): Record<string, string> {
  const names = (container.envFrom ?? []).map((e: any) => e.configMapRef?.name);
  return Object.assign({}, ...ofKind(objects, 'ConfigMap').filter((c) => names.includes(c.metadata.name)).map((c) => c.data ?? {}));
}

describe.each(OVERLAYS)('k8s/overlays/%s', (overlay) => {
  const { yaml, objects } = rendered[overlay];
  const apps = appsOf(objects);

  it('should validate every object against its schema (kubernetes-models, the real CRDs)', () => {
    const report = JSON.parse(runTool('node', ['tools/k8s/validate.mjs'], yaml)) as { checked: { id: string; by: string }[]; errors: string[] };
    expect(report.errors).toEqual([]);
    expect(report.checked).toHaveLength(objects.length);
    expect(report.checked.filter((c) => c.by === 'crd').length).toBeGreaterThan(10);
  });

  it('should deploy every app in apps/ (except embedded) with a Service and a PodDisruptionBudget', () => {
    expect(apps.map(([app]) => app).sort()).toEqual(deployableApps());
    for (const [app, deployment] of apps) {
      const labels = deployment.spec.template.metadata.labels;
      const selects = (o: K8sObject) => Object.entries(o.spec.selector.matchLabels ?? o.spec.selector).every(([k, v]) => labels[k] === v);
      expect([app, ofKind(objects, 'Service').filter(selects).length]).toEqual([app, 1]);
      expect([app, ofKind(objects, 'PodDisruptionBudget').filter(selects).length]).toEqual([app, 1]);
    }
  });

  it('should give every container probes, requests and limits, a non-root read-only security context and anti-affinity', () => {
    for (const [app, deployment] of apps) {
      const pod = deployment.spec.template.spec;
      const [c] = pod.containers;
      expect([app, c.startupProbe?.httpGet?.path, c.livenessProbe?.httpGet?.path, c.readinessProbe?.httpGet?.path]).toEqual([app, '/health/live', '/health/live', '/health/ready']);
      expect([app, c.resources.requests.cpu && c.resources.requests.memory && c.resources.limits.memory]).toEqual([app, expect.any(String)]);
      expect([app, pod.securityContext.runAsNonRoot, c.securityContext.readOnlyRootFilesystem, c.securityContext.allowPrivilegeEscalation]).toEqual([app, true, true, false]);
      expect([app, pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution.length]).toEqual([app, 2]);
    }
  });

  it('should give every pod a grace period that covers the preStop pause and the drain (SHUTDOWN_TIMEOUT_MS)', () => {
    for (const [app, deployment] of apps) {
      const pod = deployment.spec.template.spec;
      const [c] = pod.containers;
      const env = { ...configMapOf(objects, c), ...Object.fromEntries((c.env ?? []).filter((e: any) => 'value' in e).map((e: any) => [e.name, e.value])) };
      const preStop = Number(c.lifecycle.preStop.exec.command[1]);
      const drain = Number(env.SHUTDOWN_TIMEOUT_MS) / 1000;
      expect([app, pod.terminationGracePeriodSeconds]).toEqual([app, preStop + drain + 5]);
    }
  });

  it('should set only variables the configuration schema knows, directly or through the ConfigMap', () => {
    const unknown: string[] = [];
    for (const [app, deployment] of apps) {
      const [c] = deployment.spec.template.spec.containers;
      const names = [...(c.env ?? []).map((e: any) => e.name), ...Object.keys(configMapOf(objects, c))];
      unknown.push(...names.filter((n) => !CONFIG_VARIABLES.has(n)).map((n) => `${app}: ${n}`));
    }
    expect(unknown).toEqual([]);
  });

  it('should scale intake apps with an HPA and consumers with KEDA on their group lag, never past their partitions', () => {
    const partitions = new Map(ofKind(objects, 'KafkaTopic').map((t) => [t.spec.topicName, t.spec.partitions as number]));
    for (const [app] of apps) {
      const consumes = ServiceTopics[app]?.consumes;
      const hpa = ofKind(objects, 'HorizontalPodAutoscaler').find((h) => h.spec.scaleTargetRef.name === app);
      const scaled = ofKind(objects, 'ScaledObject').find((s) => s.spec.scaleTargetRef.name === app);
      if (!consumes) {
        expect([app, hpa?.spec.metrics.some((m: any) => m.resource?.name === 'cpu'), scaled]).toEqual([app, true, undefined]);
        continue;
      }
      expect([app, hpa]).toEqual([app, undefined]);
      expect([app, scaled?.spec.triggers[0].type, scaled?.spec.triggers[0].metadata.consumerGroup]).toEqual([app, 'kafka', consumes.group]);
      const fewest = Math.min(...consumes.topics.map((t) => partitions.get(t)!));
      expect([app, scaled!.spec.maxReplicaCount <= fewest]).toEqual([app, true]);
    }
  });

  it('should let the ingress reach only public routes, with the apps\' body limit', () => {
    const [ingress] = ofKind(objects, 'Ingress');
    expect(ingress.metadata.annotations!['nginx.ingress.kubernetes.io/proxy-body-size']).toBe(`${MAX_COMPLAINT_BODY_BYTES / 1024}k`);
    const paths = ingress.spec.rules.flatMap((r: any) => r.http.paths);
    for (const p of paths) expect(p.path).not.toMatch(/^\/(health|metrics|internal|admin)/);
    const services = new Set(ofKind(objects, 'Service').map((s) => s.metadata.name));
    for (const p of paths) expect(services.has(p.backend.service.name)).toBe(true);
  });

  it('should let only the apps that own tables reach PostgreSQL', () => {
    for (const [app, deployment] of apps) {
      const [c] = deployment.spec.template.spec.containers;
      const hasDatabase = (c.env ?? []).some((e: any) => e.name === 'DATABASE_URL');
      expect([app, deployment.spec.template.metadata.labels['lapor.go.id/database'] === 'true']).toEqual([app, hasDatabase]);
    }
  });
});

describe('k8s/overlays/production', () => {
  const { objects } = rendered.production;

  it('should authenticate every app to Kafka as its own KafkaUser, whose secret holds its password', () => {
    const users = new Set(ofKind(objects, 'KafkaUser').map((u) => u.metadata.name));
    for (const [app, deployment] of appsOf(objects)) {
      const env = deployment.spec.template.spec.containers[0].env;
      const username = env.find((e: any) => e.name === 'KAFKA_SASL_USERNAME')?.value;
      const password = env.find((e: any) => e.name === 'KAFKA_SASL_PASSWORD')?.valueFrom.secretKeyRef;
      expect([app, users.has(username), password]).toEqual([app, true, expect.objectContaining({ name: username, key: 'password' })]);
    }
  });

  it('should document every secret key the manifests reference (docs/operations.md)', () => {
    const documented = new Set(
      [...readFileSync(join(REPO_ROOT, 'docs/operations.md'), 'utf8').matchAll(/^\| `([\w.-]+)` \| `([\w.-]+)` \|/gm)].map((m) => `${m[1]}/${m[2]}`),
    );
    const referenced = new Set<string>();
    const walk = (node: any) => {
      if (!node || typeof node !== 'object') return;
      if (node.secretKeyRef) referenced.add(`${node.secretKeyRef.name}/${node.secretKeyRef.key}`);
      if (node.secretName && node.items) for (const item of node.items) referenced.add(`${node.secretName}/${item.key}`);
      if (node.parameter && node.name && node.key) referenced.add(`${node.name}/${node.key}`);
      if (node.accessKeyId || node.secretAccessKey) for (const ref of [node.accessKeyId, node.secretAccessKey]) referenced.add(`${ref.name}/${ref.key}`);
      Object.values(node).forEach(walk);
    };
    objects.forEach(walk);
    expect([...referenced].filter((r) => !documented.has(r)).sort()).toEqual([]);
    expect(referenced.size).toBeGreaterThan(15);
  });

  it('should run three Kafka nodes and three PostgreSQL instances', () => {
    expect(ofKind(objects, 'KafkaNodePool')[0].spec).toMatchObject({ replicas: 3, roles: ['controller', 'broker'] });
    expect(ofKind(objects, 'Cluster')[0].spec.instances).toBe(3);
  });
});

describe('k8s/base/monitoring', () => {
  const defined = new Set(
    new LaporMetrics('check').registry.getMetricsAsArray().flatMap((m) => {
      const type = (m as unknown as { type: string }).type;
      return type === 'histogram' ? [`${m.name}_bucket`, `${m.name}_count`, `${m.name}_sum`, m.name] : [m.name];
    }),
  );

  it.each(['alerts.yaml', 'lapor-gateway.dashboard.json'])('should use only lapor_* metrics that libs/runtime/src/metrics.ts defines (%s)', (file) => {
    const text = readFileSync(join(REPO_ROOT, 'k8s/base/monitoring', file), 'utf8');
    const used = [...new Set([...text.matchAll(/\blapor_[a-z_]+\b/g)].map((m) => m[0]))].filter((n) => n !== 'lapor_http_requests_per_second');
    expect(used.length).toBeGreaterThan(5);
    expect(used.filter((n) => !defined.has(n))).toEqual([]);
  });
});
