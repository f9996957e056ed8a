// Validates rendered Kubernetes manifests offline, with no cluster:
//   kubectl kustomize k8s/overlays/production | node tools/k8s/validate.mjs
// - core kinds with the npm package kubernetes-models (the API's own OpenAPI schemas);
// - prometheus-operator kinds with @kubernetes-models/prometheus-operator;
// - Strimzi, KEDA and CloudNativePG resources with ajv against the real CRDs in shared/k8s-crds
//   (found by walking up from this repository, or K8S_CRDS_DIR), strictly: a field the CRD does not
//   define is an error, as with `kubectl apply --validate=strict`.
// Prints one JSON line { checked: [...], errors: [...] }; exits 1 when anything is invalid.
// (Plain Node ESM: kubernetes-models 5 is ESM-only, which Jest's CommonJS runtime cannot load.)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parseAllDocuments } from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));

export function findCrdDir() {
  if (process.env.K8S_CRDS_DIR) return process.env.K8S_CRDS_DIR;
  for (let dir = resolve(here, '..', '..'); ; dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'k8s-crds');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error('shared/k8s-crds not found above the repository; set K8S_CRDS_DIR');
  }
}

/** kubectl's strict field validation: objects with declared properties accept no others. */
function strict(schema, path = '') {
  if (!schema || typeof schema !== 'object') return schema;
  const out = Array.isArray(schema) ? schema.map((s) => strict(s, path)) : {};
  if (Array.isArray(schema)) return out;
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'properties') out[k] = Object.fromEntries(Object.entries(v).map(([p, s]) => [p, strict(s, `${path}.${p}`)]));
    else out[k] = typeof v === 'object' ? strict(v, path) : v;
  }
  if (out.properties && out.additionalProperties === undefined && !out['x-kubernetes-preserve-unknown-fields'] && path !== '.metadata') {
    out.additionalProperties = false;
  }
  return out;
}

function crdValidators() {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const f of ['int32', 'int64', 'float', 'double', 'byte', 'quantity']) ajv.addFormat(f, true);
  const validators = new Map();
  const dir = findCrdDir();
  for (const file of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f))) {
    for (const doc of parseAllDocuments(readFileSync(join(dir, file), 'utf8'))) {
      const crd = doc.toJSON();
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      for (const version of crd.spec.versions.filter((v) => v.served)) {
        const schema = strict(version.schema.openAPIV3Schema);
        validators.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, ajv.compile(schema));
      }
    }
  }
  return validators;
}

async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const module = group === 'monitoring.coreos.com'
    ? `@kubernetes-models/prometheus-operator/${group}/${version}`
    : `kubernetes-models/${group ? `${group}/` : ''}${version}`;
  try {
    return (await import(module))[kind];
  } catch {
    return undefined;
  }
}

export async function validate(documents) {
  const crds = crdValidators();
  const checked = [];
  const errors = [];
  for (const doc of documents) {
    const id = `${doc.kind}/${doc.metadata?.name}`;
    const [group, version] = doc.apiVersion.includes('/') ? doc.apiVersion.split('/') : ['', doc.apiVersion];
    const crd = crds.get(`${group}/${version}/${doc.kind}`);
    if (crd) {
      if (!crd(doc)) errors.push(`${id}: ${crd.errors.map((e) => `${e.instancePath || '/'} ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ''}`).join('; ')}`);
      checked.push({ id, by: 'crd' });
      continue;
    }
    const Model = await modelFor(doc.apiVersion, doc.kind);
    if (!Model) {
      errors.push(`${id}: no schema for ${doc.apiVersion} ${doc.kind} (neither kubernetes-models nor a CRD in shared/k8s-crds)`);
      continue;
    }
    try {
      new Model(doc).validate();
      checked.push({ id, by: 'kubernetes-models' });
    } catch (error) {
      errors.push(`${id}: ${error.message}`);
    }
  }
  return { checked, errors };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const input = readFileSync(0, 'utf8');
  const documents = parseAllDocuments(input).map((d) => d.toJSON()).filter(Boolean);
  const report = await validate(documents);
  console.log(JSON.stringify(report));
  for (const error of report.errors) console.error(error);
  process.exit(report.errors.length ? 1 : 0);
}
