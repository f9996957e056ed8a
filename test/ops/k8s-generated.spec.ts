import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as contracts from '@lapor/contracts';
import { ALL_TOPICS, ServiceTopics } from '@lapor/contracts';
import { generatedFiles } from '../../tools/k8s/kafka-resources';
import { deployableApps } from '../support/deployables';
import { REPO_ROOT } from '../support/kafka-broker';

/**
 * The Kafka topics and users in k8s/base/kafka are generated from libs/contracts: a topic added
 * there (or a change of who produces or consumes what) fails here until `npm run k8s:generate` ran.
 * And ServiceTopics, which the ACLs come from, must say what each app's code really does.
 */
describe('k8s/base/kafka (generated)', () => {
  it.each(Object.entries(generatedFiles()))('should match libs/contracts: %s (run `npm run k8s:generate`)', (file, expected) => {
    expect(readFileSync(join(REPO_ROOT, file), 'utf8')).toBe(expected);
  });

  it('should have one KafkaTopic per topic and per dead-letter topic', () => {
    const names = [...generatedFiles()['k8s/base/kafka/topics.generated.yaml'].matchAll(/^  topicName: (.+)$/gm)].map((m) => m[1]);
    expect(names.sort()).toEqual([...ALL_TOPICS].sort());
    expect(names.filter((n) => n.endsWith('.dlq'))).toHaveLength(ALL_TOPICS.length / 2);
  });
});

describe('ServiceTopics', () => {
  /** Event definitions by the name the apps import them under (ComplaintInbound → its topic). */
  const topicOf = new Map(
    Object.entries(contracts)
      .filter(([, v]) => typeof v === 'object' && v !== null && 'topic' in v && 'parse' in v)
      .map(([name, v]) => [name, (v as { topic: string }).topic]),
  );
  const sources = (app: string): string =>
    files(join(REPO_ROOT, 'apps', app, 'src'))
      .filter((f) => f.endsWith('.ts') && !/\.spec\.ts$|\/testing\//.test(f))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');

  it.each(deployableApps())('should say what %s publishes and consumes, as its code does', (app) => {
    const code = sources(app);
    // Channel adapters publish through the generic webhook controller (libs/runtime/src/channels/inbound-adapter.ts), one event per item kind they return.
    const ITEM_EVENTS: Record<string, string> = { complaint: 'ComplaintInbound', command: 'ChannelCommand', notice: 'ChannelNotice', delivery: 'DeliveryStatus' };
    const produced = [
      ...[...code.matchAll(/\.event\(\s*(\w+)\s*,/g)].map((m) => topicOf.get(m[1])),
      ...[...code.matchAll(/kind: '(complaint|command|notice|delivery)'/g)].map((m) => topicOf.get(ITEM_EVENTS[m[1]])),
    ].filter(Boolean);
    const consumed = [...code.matchAll(/@OnEvent\(\s*(\w+)\s*,\s*ConsumerGroups\.(\w+)\s*\)/g)].map((m) => ({ topic: topicOf.get(m[1]), group: (contracts.ConsumerGroups as Record<string, string>)[m[2]] }));
    const declared = ServiceTopics[app];
    expect(declared).toBeDefined();
    expect([...new Set(produced)].sort()).toEqual([...declared.produces].sort());
    expect(consumed.map((c) => c.topic).sort()).toEqual([...(declared.consumes?.topics ?? [])].sort());
    for (const c of consumed) expect(c.group).toBe(declared.consumes!.group);
  });
});

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}
