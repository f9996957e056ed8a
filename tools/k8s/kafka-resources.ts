import { stringify } from 'yaml';
import { ALL_TOPICS, deadLetterTopic, ServiceTopics, Topics } from '@lapor/contracts';

/**
 * The Strimzi resources that follow from libs/contracts: one KafkaTopic per topic and per
 * dead-letter topic, and one KafkaUser per service with exactly the ACLs its ServiceTopics entry
 * needs. `npm run k8s:generate` writes them to k8s/base/kafka/; test/ops/k8s-generated.spec.ts
 * fails when the files and the contracts drift apart.
 */
export const KAFKA_CLUSTER = 'lapor';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Partitions bound how many replicas of a consumer service share the work (KEDA's maxReplicaCount). */
export const TOPIC_PARTITIONS = 12;
const DLQ_PARTITIONS = 3;
/** Long enough to replay intake after a routing fix; dead letters wait a month for an operator. */
const RETENTION_MS = 14 * DAY_MS;
const DLQ_RETENTION_MS = 30 * DAY_MS;

/** A topic's partitions (the ones services consume from all have TOPIC_PARTITIONS). */
export function partitionsOf(topic: string): number {
  return topic.endsWith('.dlq') ? DLQ_PARTITIONS : TOPIC_PARTITIONS;
}

export function kafkaTopics(): object[] {
  return ALL_TOPICS.map((topic) => {
    const dlq = topic.endsWith('.dlq');
    return {
      apiVersion: 'kafka.strimzi.io/v1',
      kind: 'KafkaTopic',
      metadata: { name: topic, labels: { 'strimzi.io/cluster': KAFKA_CLUSTER, 'app.kubernetes.io/part-of': 'lapor-gateway' } },
      spec: {
        topicName: topic,
        partitions: partitionsOf(topic),
        replicas: 3,
        config: {
          'min.insync.replicas': 2,
          'retention.ms': dlq ? DLQ_RETENTION_MS : RETENTION_MS,
          'cleanup.policy': 'delete',
        },
      },
    };
  });
}

const acl = (type: 'topic' | 'group' | 'cluster', name: string | undefined, operations: string[], patternType: 'literal' | 'prefix' = 'literal') => ({
  resource: { type, ...(name === undefined ? {} : { name, patternType }) },
  operations,
});

/** The Kafka principal (and Strimzi secret) of a service. */
export function kafkaUserName(service: string): string {
  return `lapor-${service}`;
}

/** KEDA reads consumer-group lag to scale the consumers: metadata only. */
export const KEDA_KAFKA_USER = 'lapor-keda';

export function kafkaUsers(): object[] {
  const prefix = commonPrefix(Object.values(Topics));
  const services = Object.entries(ServiceTopics).map(([service, access]) => {
    const consumed = access.consumes?.topics ?? [];
    const writes = [...new Set([...access.produces, ...consumed.map(deadLetterTopic)])].sort();
    return {
      apiVersion: 'kafka.strimzi.io/v1',
      kind: 'KafkaUser',
      metadata: { name: kafkaUserName(service), labels: { 'strimzi.io/cluster': KAFKA_CLUSTER, 'app.kubernetes.io/part-of': 'lapor-gateway', 'app.kubernetes.io/name': service } },
      spec: {
        authentication: { type: 'scram-sha-512' },
        authorization: {
          type: 'simple',
          acls: [
            // Metadata only: the bus looks up every topic at start (they exist: Strimzi made them).
            acl('topic', prefix, ['Describe'], 'prefix'),
            ...writes.map((topic) => acl('topic', topic, ['Write'])),
            ...[...consumed].sort().map((topic) => acl('topic', topic, ['Read'])),
            ...(access.consumes ? [acl('group', access.consumes.group, ['Read'])] : []),
            acl('cluster', undefined, ['IdempotentWrite']),
          ],
        },
      },
    };
  });
  const groups = [...new Set(Object.values(ServiceTopics).flatMap((a) => (a.consumes ? [a.consumes.group] : [])))].sort();
  const keda = {
    apiVersion: 'kafka.strimzi.io/v1',
    kind: 'KafkaUser',
    metadata: { name: KEDA_KAFKA_USER, labels: { 'strimzi.io/cluster': KAFKA_CLUSTER, 'app.kubernetes.io/part-of': 'lapor-gateway' } },
    spec: {
      authentication: { type: 'scram-sha-512' },
      authorization: { type: 'simple', acls: [acl('topic', prefix, ['Describe'], 'prefix'), ...groups.map((g) => acl('group', g, ['Describe']))] },
    },
  };
  return [...services, keda];
}

function commonPrefix(names: string[]): string {
  let prefix = names[0] ?? '';
  for (const n of names) while (!n.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

const HEADER = '# Generated from libs/contracts by `npm run k8s:generate` (tools/k8s/kafka-resources.ts). Do not edit.\n';

export function renderDocuments(documents: object[]): string {
  return HEADER + documents.map((d) => `---\n${stringify(d, { lineWidth: 0 })}`).join('');
}

/** File (relative to the repository root) → content. */
export function generatedFiles(): Record<string, string> {
  return {
    'k8s/base/kafka/topics.generated.yaml': renderDocuments(kafkaTopics()),
    'k8s/base/kafka/users.generated.yaml': renderDocuments(kafkaUsers()),
  };
}
