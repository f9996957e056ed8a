import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appOfCommand } from './deployables';
import { ImageRoot } from './image';
import { K8sObject, ofKind } from './kustomize';
import { waitFor } from './wait-for';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** Where the cluster's names point on this machine: Services → loopback ports, Kafka and PostgreSQL → the test's. */
export interface LoopbackMapping {
  kafkaBrokers: string;
  databaseUrl: string;
  /** Secret name → key → value (the test's stand-ins for what operators create). */
  secrets: Record<string, Record<string, string>>;
  /** Test-only additions, e.g. BUS_NAMESPACE to keep this run's topics apart on the shared broker. */
  extraEnv?: Record<string, string>;
}

export interface ManifestProcess {
  app: string;
  /** How it was started (command, working directory, environment), to start it again. */
  spec: { cmd: string; args: string[]; cwd: string; readinessPath: string };
  port: number;
  url: string;
  env: Record<string, string>;
  /** Host folder standing for each volume mount path. */
  mounts: Record<string, string>;
  child: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The environment Kubernetes would give a Deployment's container: the image's ENV, envFrom
 * ConfigMaps, then env (value, configMapKeyRef, secretKeyRef; $(VAR) expanded as the kubelet does).
 * A required secret key the mapping lacks is an error; an optional one is left unset.
 */
export function containerEnv(objects: K8sObject[], container: any, image: ImageRoot, mapping: LoopbackMapping): Record<string, string> {
  const configMap = (name: string) => ofKind(objects, 'ConfigMap').find((c) => c.metadata.name === name)?.data;
  const env: Record<string, string> = { ...image.env };
  for (const from of container.envFrom ?? []) {
    if (from.configMapRef) Object.assign(env, configMap(from.configMapRef.name) ?? {});
  }
  for (const e of container.env ?? []) {
    let value: string | undefined;
    if ('value' in e) value = String(e.value).replace(/\$\((\w+)\)/g, (m, v) => env[v] ?? m);
    else if (e.valueFrom?.configMapKeyRef) value = configMap(e.valueFrom.configMapKeyRef.name)?.[e.valueFrom.configMapKeyRef.key];
    else if (e.valueFrom?.secretKeyRef) {
      const ref = e.valueFrom.secretKeyRef;
      value = mapping.secrets[ref.name]?.[ref.key];
      if (value === undefined && !ref.optional) throw new Error(`${container.name}: required secret ${ref.name}/${ref.key} has no value in the test mapping`);
    }
    if (value !== undefined) env[e.name] = value;
  }
  return env;
}

/** Rewrites cluster names in the environment to this machine's: Services, Kafka, PostgreSQL, mount paths. */
function mapToLoopback(env: Record<string, string>, ports: Map<string, number>, mounts: Record<string, string>, mapping: LoopbackMapping): Record<string, string> {
  const out: Record<string, string> = {};
  const byLength = Object.keys(mounts).sort((a, b) => b.length - a.length);
  for (const [k, v0] of Object.entries(env)) {
    let v = v0;
    for (const [service, port] of ports) v = v.replace(new RegExp(`(https?://)${service}(\\.[\\w.-]+)?:8080`, 'g'), `$1127.0.0.1:${port}`);
    if (k === 'KAFKA_BROKERS') v = mapping.kafkaBrokers;
    if (k === 'DATABASE_URL') v = mapping.databaseUrl;
    const path = byLength.find((p) => v === p || v.startsWith(`${p}/`));
    if (path) v = mounts[path] + v.slice(path.length);
    out[k] = v;
  }
  return out;
}

/** Volume mounts → host folders: emptyDir and PVC as empty folders, secrets and ConfigMaps with their files. */
function hostMounts(objects: K8sObject[], pod: any, container: any, image: ImageRoot, mapping: LoopbackMapping): Record<string, string> {
  const mounts: Record<string, string> = { [image.workdir]: image.dir };
  const root = mkdtempSync(join(tmpdir(), 'lapor-pod-'));
  for (const m of container.volumeMounts ?? []) {
    const volume = pod.volumes.find((v: any) => v.name === m.name);
    const dir = join(root, m.name);
    mkdirSync(dir, { recursive: true });
    if (volume?.secret) {
      const data = mapping.secrets[volume.secret.secretName] ?? {};
      for (const item of volume.secret.items ?? Object.keys(data).map((key) => ({ key, path: key }))) if (data[item.key]) writeFileSync(join(dir, item.path), data[item.key]);
    }
    if (volume?.configMap) {
      const data = ofKind(objects, 'ConfigMap').find((c) => c.metadata.name === volume.configMap.name)?.data ?? {};
      for (const [key, value] of Object.entries(data)) writeFileSync(join(dir, key), value);
    }
    mounts[m.mountPath] = dir;
  }
  return mounts;
}

/**
 * Starts every Deployment of a rendered overlay as a process here, exactly with its command, args
 * and environment (mapped to loopback), in the image's working directory, and waits until each
 * answers its readiness probe.
 */
export async function startDeployments(objects: K8sObject[], image: ImageRoot, mapping: LoopbackMapping, only?: string[]): Promise<ManifestProcess[]> {
  const deployments = ofKind(objects, 'Deployment').filter((d) => !only || only.includes(appOfCommand(d.spec.template.spec.containers[0].command)!));
  const ports = new Map<string, number>();
  for (const d of deployments) ports.set(d.metadata.name, await freePort());
  const processes = deployments.map((d) => {
    const pod = d.spec.template.spec;
    const container = pod.containers[0];
    const mounts = hostMounts(objects, pod, container, image, mapping);
    const port = ports.get(d.metadata.name)!;
    const env = { ...mapToLoopback(containerEnv(objects, container, image, mapping), ports, mounts, mapping), ...mapping.extraEnv, PORT: String(port), HOST: '127.0.0.1' };
    const [cmd, ...args] = [...container.command, ...(container.args ?? [])];
    const spec = { cmd, args, cwd: mounts[container.workingDir ?? image.workdir], readinessPath: container.readinessProbe.httpGet.path as string };
    return spawnProcess(appOfCommand(container.command)!, port, env, mounts, spec);
  });
  try {
    for (const p of processes) await waitReady(p);
  } catch (error) {
    await stopProcesses(processes);
    throw error;
  }
  return processes;
}

function spawnProcess(app: string, port: number, env: Record<string, string>, mounts: Record<string, string>, spec: ManifestProcess['spec']): ManifestProcess {
  const child = spawn(spec.cmd, spec.args, { cwd: spec.cwd, env: { PATH: process.env.PATH!, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stdout!.on('data', (b: Buffer) => output.push(b.toString()));
  child.stderr!.on('data', (b: Buffer) => output.push(b.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { app, spec, port, url: `http://127.0.0.1:${port}`, env, mounts, child, output, exited };
}

async function waitReady(p: ManifestProcess): Promise<void> {
  await waitFor(
    async () => {
      if (p.child.exitCode !== null) throw new Error(`${p.app} exited with ${p.child.exitCode}:\n${p.output.join('').slice(-3000)}`);
      return (await fetch(`${p.url}${p.spec.readinessPath}`)).ok;
    },
    { timeoutMs: 120_000, intervalMs: 250, what: `${p.app} to be ready` },
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n--- ${p.app} output ---\n${p.output.join('').slice(-3000)}`);
  });
}

/** Starts an exited process again, as its Deployment would (same command, environment, volumes and port). */
export async function restartProcess(p: ManifestProcess): Promise<ManifestProcess> {
  const again = spawnProcess(p.app, p.port, p.env, p.mounts, p.spec);
  await waitReady(again);
  return again;
}

export async function stopProcesses(processes: ManifestProcess[]): Promise<void> {
  for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGTERM');
  await Promise.all(
    processes.map(async (p) => {
      const timer = setTimeout(() => p.child.kill('SIGKILL'), 60_000);
      await p.exited;
      clearTimeout(timer);
    }),
  );
}
