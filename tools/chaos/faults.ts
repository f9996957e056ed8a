import { randomUUID } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import { ComplaintInbound, ChannelCommand } from '@lapor/contracts';
import { KafkaCluster, runKafkaScript } from '../../test/support/kafka-broker';
import { describeGroup, isDeadLetterTopic } from './kafka';
import type { OwnPostgres } from './postgres';
import type { ServiceProcess } from './services';

/** One fault and how long the system took to recover; latencies are grouped by these windows. */
export interface FaultWindow {
  name: string;
  /** When the fault was injected. */
  start: number;
  /** When the harness had undone it (the process or server was back and ready). */
  recovered: number;
  /** Until when figures count as "during the fault": recovery plus a settling margin. */
  end: number;
  notes: string[];
}

/** How long a killed consumer's partitions stalled, and how long its restarted replica took to get work. */
export interface ConsumerRecovery {
  replica: string;
  group: string;
  /** Kill → the group rebalanced without the dead member (its partitions handed to the live ones). */
  reassignedAfterMs?: number;
  /** Restart (process spawned) → the new member holds partitions. */
  restartedGotWorkAfterMs?: number;
  /** Kill → the restarted replica holds partitions. */
  killToWorkMs?: number;
}

/** A record that must not block anything: it should end in its dead-letter topic (or, once cleaned, be stored). */
export interface Poison {
  topic: string;
  key: string;
  kind: 'not-json' | 'wrong-schema' | 'nul-text';
  at: number;
}

const SETTLE_MS = 10_000;

export class FaultInjector {
  readonly windows: FaultWindow[] = [];
  readonly recoveries: ConsumerRecovery[] = [];
  readonly poisons: Poison[] = [];
  readonly log: string[] = [];
  /** Faults that could not be carried out or undone (e.g. a process that did not come back in time). */
  readonly errors: string[] = [];

  constructor(
    private readonly deps: {
      kafka: KafkaCluster;
      harness: Kafka;
      admin: Admin;
      postgres: OwnPostgres;
      routers: ServiceProcess[];
      notifiers: ServiceProcess[];
      topics: string[];
    },
  ) {}

  private note(line: string): void {
    const stamped = `${new Date().toISOString()} ${line}`;
    this.log.push(stamped);
    console.log(`  fault: ${line}`);
  }

  /**
   * Runs the schedule at fractions of the traffic duration; resolves when the last fault is undone.
   * Each fault starts at its own time, also while an earlier one is still being undone: on a
   * loaded 2-core machine a killed broker can take two minutes to rejoin, and a schedule that
   * waited for it pushed every later fault past the end of the traffic.
   */
  async run(durationMs: number, t0: number): Promise<void> {
    const at = async (fraction: number) => {
      const wait = t0 + fraction * durationMs - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    };
    const pending = new Set<string>();
    // A fault that cannot be undone in time is reported, and the run goes on to its audit.
    const attempt = async (fraction: number, what: string, fault: () => Promise<void>) => {
      await at(fraction);
      if (pending.size) this.note(`${what} starts while still undoing: ${[...pending].join(', ')}`);
      pending.add(what);
      try {
        await fault();
      } catch (error) {
        this.errors.push(`${what}: ${(error as Error).message}`);
        this.note(`${what} FAILED: ${(error as Error).message}`);
      } finally {
        pending.delete(what);
      }
    };
    await Promise.all([
      attempt(0.12, 'kill -9 broker 2', () => this.killBroker(2, 15_000)),
      attempt(0.3, 'kill -9 router 1', () => this.killConsumer(this.deps.routers[0], 'lapor-router', 5_000)),
      attempt(0.45, 'kill -9 notifier 1', () => this.killConsumer(this.deps.notifiers[0], 'lapor-notifier', 5_000)),
      attempt(0.6, 'restart PostgreSQL', () => this.restartPostgres()),
      attempt(0.72, 'poison records', () => this.poisonEveryTopic()),
    ]);
  }

  get lastFaultEnd(): number {
    return Math.max(0, ...this.windows.map((w) => w.recovered));
  }

  async killBroker(node: number, downMs: number): Promise<void> {
    const w: FaultWindow = { name: `kill -9 broker ${node}`, start: Date.now(), recovered: 0, end: 0, notes: [] };
    this.note(`kill -9 Kafka broker ${node} for ${downMs / 1000} s`);
    await this.deps.kafka.kill(node);
    await new Promise((r) => setTimeout(r, downMs));
    const t = Date.now();
    // scripts/kafka.sh waits for "Kafka Server started"; then until the cluster lists every broker
    // again (patiently: on a loaded machine a metadata answer can take seconds).
    await runKafkaScript(['restart-node', '--node', String(node), '--dir', this.deps.kafka.dir], 300_000);
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline) {
      const seen = await this.deps.admin.describeCluster().then((c) => c.brokers.length, () => 0);
      if (seen >= this.deps.kafka.nodes) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    w.recovered = Date.now();
    w.end = w.recovered + SETTLE_MS;
    w.notes.push(`broker back in ${((w.recovered - t) / 1000).toFixed(1)} s after restart`);
    this.note(`broker ${node} back (${((w.recovered - t) / 1000).toFixed(1)} s to start)`);
    this.windows.push(w);
  }

  /**
   * kill -9 of one consumer replica while it works (at this rate it always has a batch in
   * hand), restart after `downMs`; meanwhile the group is watched to see when its
   * partitions move and when the restarted replica gets work again.
   */
  async killConsumer(replica: ServiceProcess, group: string, downMs: number): Promise<void> {
    const w: FaultWindow = { name: `kill -9 ${replica.name}`, start: 0, recovered: 0, end: 0, notes: [] };
    const prefix = `${replica.name}-`;
    const before = await describeGroup(this.deps.admin, group);
    const dead = before?.members.find((m) => m.clientId.startsWith(prefix));
    const recovery: ConsumerRecovery = { replica: replica.name, group };
    w.start = Date.now();
    this.note(`kill -9 ${replica.name} (pid ${replica.pid}; member ${dead?.memberId ?? 'unknown'} with ${dead?.partitions ?? '?'} partitions)`);
    await replica.kill9();
    const killedAt = Date.now();
    const watching = this.watchGroup(group, dead?.memberId, prefix, killedAt, recovery);
    await new Promise((r) => setTimeout(r, downMs));
    try {
      await replica.start(300_000);
    } finally {
      w.recovered = Date.now();
      w.end = w.recovered + SETTLE_MS;
      this.windows.push(w);
    }
    const restartedAt = replica.startedAt;
    await watching;
    if (recovery.killToWorkMs !== undefined) recovery.restartedGotWorkAfterMs = Math.max(0, killedAt + recovery.killToWorkMs - restartedAt);
    this.recoveries.push(recovery);
    w.notes.push(`partitions reassigned after ${fmt(recovery.reassignedAfterMs)}; restarted replica had work ${fmt(recovery.restartedGotWorkAfterMs)} after its start`);
    this.note(`${replica.name} back; ${w.notes[0]}`);
  }

  private async watchGroup(group: string, deadMember: string | undefined, prefix: string, killedAt: number, out: ConsumerRecovery): Promise<void> {
    const deadline = killedAt + 180_000;
    while (Date.now() < deadline && (out.reassignedAfterMs === undefined || out.killToWorkMs === undefined)) {
      const g = await describeGroup(this.deps.admin, group);
      if (g && g.state === 'Stable') {
        const ids = new Set(g.members.map((m) => m.memberId));
        if (out.reassignedAfterMs === undefined && deadMember && !ids.has(deadMember)) out.reassignedAfterMs = Date.now() - killedAt;
        const reborn = g.members.find((m) => m.clientId.startsWith(prefix) && m.memberId !== deadMember && m.partitions > 0);
        if (reborn && out.killToWorkMs === undefined) {
          out.killToWorkMs = Date.now() - killedAt;
          out.reassignedAfterMs ??= out.killToWorkMs;
        }
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** A crash of our own PostgreSQL (immediate stop: no checkpoint, WAL recovery at start) and its restart. */
  async restartPostgres(): Promise<void> {
    const w: FaultWindow = { name: 'restart PostgreSQL (crash)', start: Date.now(), recovered: 0, end: 0, notes: [] };
    this.note('PostgreSQL: immediate stop (crash) and start');
    await this.deps.postgres.stop('immediate');
    await this.deps.postgres.start();
    w.recovered = Date.now();
    w.end = w.recovered + SETTLE_MS;
    w.notes.push(`down ${((w.recovered - w.start) / 1000).toFixed(1)} s`);
    this.note(`PostgreSQL back after ${((w.recovered - w.start) / 1000).toFixed(1)} s`);
    this.windows.push(w);
  }

  /**
   * On every topic: a record that is not JSON, one that is JSON but not the topic's
   * envelope; on the topics that carry citizens' text, a schema-valid event whose text has
   * a NUL byte (PostgreSQL cannot store it). Published straight to Kafka, past every intake.
   */
  async poisonEveryTopic(): Promise<void> {
    const w: FaultWindow = { name: 'poison record on every topic', start: Date.now(), recovered: 0, end: 0, notes: [] };
    const records: { topic: string; key: string; value: string; kind: Poison['kind'] }[] = [];
    for (const topic of this.deps.topics.filter((t) => !isDeadLetterTopic(t))) {
      records.push({ topic, key: `chaos-poison:not-json:${topic}`, value: '\u0000{"not": json', kind: 'not-json' });
      records.push({ topic, key: `chaos-poison:wrong-schema:${topic}`, value: JSON.stringify({ eventId: 'nope', type: 42, payload: { text: ['not', 'text'] } }), kind: 'wrong-schema' });
    }
    const now = new Date().toISOString();
    // Built by hand: once the contracts refuse NUL in text, create() would throw before Kafka ever saw it.
    const nulInbound = {
      eventId: randomUUID(),
      type: ComplaintInbound.type,
      schemaVersion: ComplaintInbound.schemaVersion,
      occurredAt: now,
      correlationId: 'chaos-poison',
      payload: {
        trackingId: 'CHAOSP0IS0N',
        channel: 'sms',
        channelMessageId: `chaos-poison-nul-${randomUUID()}`,
        senderId: '+6281999000000',
        text: 'Jalan rusak \u0000 parah sekali di depan sekolah Kota Bandung',
        attachments: [],
        receivedAt: now,
        locale: 'id',
        anonymous: false,
        confidential: false,
        replyTo: [],
      },
    };
    records.push({ topic: ComplaintInbound.topic, key: 'chaos-poison:nul-text:sms:+6281999000000', value: JSON.stringify(nulInbound), kind: 'nul-text' });
    const nulCommand = {
      eventId: randomUUID(),
      type: ChannelCommand.type,
      schemaVersion: ChannelCommand.schemaVersion,
      occurredAt: now,
      correlationId: 'chaos-poison',
      payload: { channel: 'sms', channelMessageId: `chaos-poison-nul-${randomUUID()}`, senderId: '+6281999000001', command: 'status', argument: 'ABC\u0000DEF', receivedAt: now, locale: 'id' },
    };
    records.push({ topic: ChannelCommand.topic, key: 'chaos-poison:nul-text:sms:+6281999000001', value: JSON.stringify(nulCommand), kind: 'nul-text' });
    const inbound = ComplaintInbound.envelope.safeParse(nulInbound);
    w.notes.push(`inbound NUL event ${inbound.success ? 'passes' : 'fails'} the contract schema`);
    // The harness's own producer may meet a cluster still settling after the broker fault
    // (kafkajs: "Broker not connected", metadata timeouts): a fresh producer and again, for up
    // to POISON_RETRY_MS. A record sent twice is still a poison record (the audit matches keys).
    const giveUpAt = Date.now() + POISON_RETRY_MS;
    let pending = records;
    for (let attempt = 1; pending.length; attempt++) {
      const producer = this.deps.harness.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
      try {
        await producer.connect();
        while (pending.length) {
          const r = pending[0]!;
          await producer.send({ topic: r.topic, acks: -1, messages: [{ key: r.key, value: r.value, headers: { 'x-chaos-poison': r.kind } }] });
          this.poisons.push({ topic: r.topic, key: r.key, kind: r.kind, at: Date.now() });
          pending = pending.slice(1);
        }
      } catch (error) {
        if (Date.now() > giveUpAt) throw error;
        w.notes.push(`attempt ${attempt}: ${(error as Error).message}; again with a new producer`);
        await new Promise((r) => setTimeout(r, 2_000));
      } finally {
        await producer.disconnect().catch(() => undefined);
      }
    }
    w.recovered = Date.now();
    w.end = w.recovered + SETTLE_MS;
    this.note(`${records.length} poison records published on ${new Set(records.map((r) => r.topic)).size} topics (${w.notes[0]})`);
    this.windows.push(w);
  }
}

/** How long the poison fault keeps trying to publish (the cluster may still be settling after the broker fault). */
const POISON_RETRY_MS = 90_000;

function fmt(ms: number | undefined): string {
  return ms === undefined ? 'never (within 180 s)' : `${(ms / 1000).toFixed(1)} s`;
}
