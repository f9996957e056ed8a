import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BusObserver, ConsumedRecord, EventBus, InProcessBus, Journal, KafkaBus, NamespacedBus } from '@lapor/bus';
import { ReplayHeaders, Topics } from '@lapor/contracts';
import { logLevel } from 'kafkajs';
import { waitFor } from '../../test/support/wait-for';
import { main } from './cli';

const ROOT = resolve(__dirname, '../..');
const TOPIC = Topics.complaintInbound;

/** Runs the CLI in this process and collects what it prints. */
async function bus(args: string[], env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const status = await main(args, env as NodeJS.ProcessEnv, { out: (l) => void out.push(l), err: (l) => void err.push(l) });
  return { status, stdout: out.join('\n'), stderr: err.join('\n') };
}

/** A consumer group whose handler is broken until `fix()`, dead-lettering after two tries. */
async function brokenConsumer(make: (observer: BusObserver) => EventBus) {
  const state = { fixed: false, deadLettered: 0, handled: [] as ConsumedRecord[] };
  const b = make({ deadLettered: () => void state.deadLettered++ });
  b.subscribe('lapor-router', TOPIC, async (r) => {
    if (!state.fixed) throw new Error('handler bug: kolom "teks" tidak ada');
    state.handled.push(r);
  });
  await b.start();
  return { bus: b, state };
}

const quick = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 };

describe('npm run bus -- dlq', () => {
  describe('on the embedded journal', () => {
    let dataDir: string;
    const env = () => ({ DATA_DIR: dataDir });

    beforeEach(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'lapor-bus-cli-'));
      const { bus: b, state } = await brokenConsumer((observer) => new InProcessBus({ journalDir: join(dataDir, 'bus'), retry: quick, observer }));
      await b.publish([
        { topic: TOPIC, key: 'sms:+6281', value: '{"text":"Jalan rusak\\n di depan sekolah"}', headers: { 'x-correlation-id': 'HBWWY4RQS3N' } },
        { topic: TOPIC, key: 'sms:+6282', value: `{"text":"${'sampah '.repeat(40)}"}` },
      ]);
      await waitFor(() => state.deadLettered === 2, { what: 'two dead letters' });
      await b.stop();
    });

    it('should count the dead letters per topic', async () => {
      const r = await bus(['dlq', 'list'], env());
      expect(r).toMatchObject({ status: 0, stderr: '' });
      expect(r.stdout).toMatch(new RegExp(`^dead-letter topic\\s+records\\n${TOPIC.replace(/\./g, '\\.')}\\.dlq\\s+2$`));
    });

    it('should show each dead letter with where it was, its group, attempts, error and a value preview', async () => {
      const r = await bus(['dlq', 'list', TOPIC], env());
      expect(r.status).toBe(0);
      const [header, first, second, footer] = r.stdout.split('\n');
      expect(header).toMatch(/^id\s+from\s+group\s+attempts\s+at\s+error\s+value$/);
      expect(first).toMatch(new RegExp(`^0:0\\s+${TOPIC}\\[0\\]@0\\s+lapor-router\\s+2\\s+\\d{4}-\\d\\d-\\d\\dT\\S+\\s+Error: handler bug: kolom "teks" tidak ada\\s+\\{"text":"Jalan rusak\\\\n di depan sekolah"\\}$`));
      expect(second).toMatch(/^0:1\s+.*\{"text":"sampah sampah .*…$/);
      expect(footer).toBe(`2 dead letter(s); replay with: npm run bus -- dlq replay ${TOPIC} --id <id>`);

      const json = (await bus(['dlq', 'list', `${TOPIC}.dlq`, '--json'], env())).stdout.split('\n').map((l) => JSON.parse(l));
      expect(json.map((l) => [l.id, l.topic, l.offset, l.attempts, l.headers])).toEqual([
        ['0:0', TOPIC, '0', 2, { 'x-correlation-id': 'HBWWY4RQS3N' }],
        ['0:1', TOPIC, '1', 2, {}],
      ]);
    });

    it('should refuse to replay while npm start holds the journal, then replay one record that the next start handles', async () => {
      writeFileSync(join(dataDir, 'bus', Journal.LOCK_FILE), `${process.ppid}\n`); // a live process other than this one
      const refused = await bus(['dlq', 'replay', TOPIC, '--id', '0:1'], env());
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain(`in use by process ${process.ppid}`);
      rmSync(join(dataDir, 'bus', Journal.LOCK_FILE));

      const replayed = await bus(['dlq', 'replay', TOPIC, '--id', '0:1'], env());
      expect(replayed).toMatchObject({ status: 0, stderr: '' });
      expect(replayed.stdout).toBe(`replayed 1 record(s) to ${TOPIC}: 0:1\nThey are handled when npm start next starts.`);

      const { bus: b, state } = await brokenConsumer((observer) => new InProcessBus({ journalDir: join(dataDir, 'bus'), retry: quick, observer }));
      state.fixed = true;
      await waitFor(() => state.handled.length === 1, { what: 'the replayed record' });
      await b.stop();
      expect(state.handled[0]).toMatchObject({ key: 'sms:+6282', headers: { [ReplayHeaders.from]: `${TOPIC}.dlq/0:1` } });
    });

    it('should explain a wrong call', async () => {
      expect(await bus(['dlq', 'replay'], env())).toMatchObject({ status: 2, stderr: expect.stringContaining('replay needs a topic') });
      expect(await bus(['dlq', 'purge', TOPIC], env())).toMatchObject({ status: 2, stderr: expect.stringContaining('unknown dlq command "purge"') });
      expect(await bus(['dlq', 'list', '--bogus'], env())).toMatchObject({ status: 2 });
      expect(await bus(['dlq', 'replay', TOPIC, '--id', '9:9'], env())).toMatchObject({ status: 1, stderr: expect.stringContaining('no dead letter 9:9') });
    });

    it('should run as npm run bus', () => {
      const r = spawnSync('npm', ['run', '--silent', 'bus', '--', 'dlq', 'list'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, KAFKA_BROKERS: '', DATA_DIR: dataDir, NODE_OPTIONS: '' } });
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain(`${TOPIC}.dlq  2`);
      expect(r.status).toBe(0);
    });
  });

  describe('on Kafka, with BUS_NAMESPACE', () => {
    it('should list and replay the namespace\'s dead letters to a running consumer', async () => {
      const brokers = process.env.KAFKA_BROKERS!;
      const namespace = `cli-${randomUUID().slice(0, 8)}`;
      const env = { KAFKA_BROKERS: brokers, BUS_NAMESPACE: namespace };
      const { bus: b, state } = await brokenConsumer(
        (observer) => new NamespacedBus(new KafkaBus({ brokers: brokers.split(','), clientId: 'cli-test', retry: quick, observer, logLevel: logLevel.NOTHING, metadataMaxAgeMs: 1000 }), namespace),
      );
      try {
        await b.publish({ topic: TOPIC, key: 'web:1', value: '{"text":"Lampu jalan mati"}', headers: { 'x-correlation-id': 'C1' } });
        await waitFor(() => state.deadLettered === 1, { what: 'the dead letter' });

        const topics = await bus(['dlq', 'list'], env);
        expect(topics.stdout.split('\n')).toEqual([expect.stringMatching(/^dead-letter topic\s+records$/), expect.stringMatching(new RegExp(`^${TOPIC}\\.dlq\\s+1$`))]);
        const listed = await bus(['dlq', 'list', TOPIC, '--json'], env);
        const [letter] = listed.stdout.split('\n').map((l) => JSON.parse(l));
        expect(letter).toMatchObject({ topic: TOPIC, group: 'lapor-router', attempts: 2, reason: 'handler bug: kolom "teks" tidak ada', headers: { 'x-correlation-id': 'C1' } });

        state.fixed = true;
        const replayed = await bus(['dlq', 'replay', TOPIC], env);
        expect(replayed).toMatchObject({ status: 0, stdout: `replayed 1 record(s) to ${TOPIC}: ${letter.id}` });
        await waitFor(() => state.handled.length === 1, { what: 'the replayed record' });
        expect(state.handled[0]).toMatchObject({ topic: TOPIC, key: 'web:1', value: '{"text":"Lampu jalan mati"}', headers: { 'x-correlation-id': 'C1', [ReplayHeaders.from]: `${namespace}.${TOPIC}.dlq/${letter.id}` } });
      } finally {
        await b.stop();
      }
    });
  });
});
