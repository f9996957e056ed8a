import { parseAllDocuments } from 'yaml';
import { runTool } from './deployables';

/** A rendered Kubernetes object (only the fields the ops tests read are typed). */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  data?: Record<string, string>;
}

export const OVERLAYS = ['dev', 'production'] as const;

/** `kubectl kustomize k8s/overlays/<overlay>` (offline: no cluster needed), as YAML text and objects. */
export function renderOverlay(overlay: string): { yaml: string; objects: K8sObject[] } {
  const yaml = runTool('kubectl', ['kustomize', `k8s/overlays/${overlay}`]);
  return { yaml, objects: parseAllDocuments(yaml).map((d) => d.toJSON() as K8sObject).filter(Boolean) };
}

export const ofKind = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);
