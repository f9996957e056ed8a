import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { AddressInfo } from 'node:net';
import { CapturingBus } from '../../apps/social-intake/src/testing/capturing-bus';

/** What a channel's webhook published while the harness watched: the record's topic and key, and its event. */
interface Published {
  topic: string;
  key: string;
  type: string;
  payload: Record<string, any>;
}

export interface Answer {
  status: number;
  text: string;
}

/**
 * One channel (one inbound adapter) under the shared fixture harness: how to start the
 * service that serves it on the in-process bus, and how the platform sends a request —
 * correctly signed, signed with the wrong secret, or unsigned. No Kafka, no database.
 */
export interface ChannelUnderTest {
  channel: string;
  /** The folder of real payloads (`<name>.json`) and `expected.json` ({ "<name>.json": { status, published: [{ type, payload }] } }). */
  fixturesDir: string;
  /** The service serving the channel, on the given bus (a CapturingBus: no Kafka, no database). */
  start(bus: CapturingBus): Promise<INestApplication>;
  stop?(): Promise<void>;
  /** Sends a fixture as the platform does; `name` is its file name (a vendor with several webhook URLs picks the URL by it). */
  send(url: string, fixture: unknown, signing: 'valid' | 'wrong-secret' | 'missing', name?: string): Promise<Answer>;
  /** Bytes the platform would never send, correctly signed (not JSON, or not a form). */
  sendMalformed(url: string): Promise<Answer>;
}

interface Expected {
  status: number;
  /** The answer's body when the platform reads it (Twilio's TwiML as text; a JSON answer as its value). */
  answer?: unknown;
  /** In order; `topic` and `key` (the Kafka record's) are checked where given. */
  published: Array<{ topic?: string; key?: string; type: string; payload: Record<string, unknown> }>;
}

/**
 * The shared harness: every fixture of every channel against its expected normalized items
 * and answer, plus the cases every channel gets by itself — a wrong signature and a missing
 * one on every fixture that publishes (refused, nothing published), a redelivery of each
 * of them (answered the same, with the same ids, so the router registers it once), and
 * malformed bodies (4xx, never 5xx, nothing published).
 */
export function describeChannelHarness(channels: ChannelUnderTest[]): void {
  describe.each(channels.map((c) => [c.channel, c] as const))('channel %s', (_name, c) => {
    let app: INestApplication;
    let url: string;
    const bus = new CapturingBus();
    // The webhook answers 2xx only once its events are published, so they are here when the answer is.
    const read = (r: { topic: string; key: string; value: string }): Published => ({ topic: r.topic, key: r.key, ...(JSON.parse(r.value) as Pick<Published, 'type' | 'payload'>) });
    const published = {
      splice: (n: number) => bus.records.splice(n).map(read),
      get all(): Published[] {
        return bus.records.map(read);
      },
    };
    const expected: Record<string, Expected> = JSON.parse(readFileSync(join(c.fixturesDir, 'expected.json'), 'utf8'));
    const fixture = (name: string) => JSON.parse(readFileSync(join(c.fixturesDir, name), 'utf8'));

    beforeAll(async () => {
      app = await c.start(bus);
      await app.listen(0, '127.0.0.1');
      url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await app?.close();
      await c.stop?.();
    });
    beforeEach(() => bus.clear());

    it('should have an expectation for every fixture in __fixtures__', () => {
      const files = readdirSync(c.fixturesDir).filter((f) => f.endsWith('.json') && f !== 'expected.json');
      expect(Object.keys(expected).sort()).toEqual(files.sort());
    });

    it.each(Object.keys(expected))('%s: the expected answer and normalized items', async (name) => {
      const e = expected[name];
      const answer = await c.send(url, fixture(name), 'valid', name);
      expect(answer.status).toBe(e.status);
      if (e.answer !== undefined) expect(typeof e.answer === 'string' ? answer.text : JSON.parse(answer.text)).toEqual(e.answer);
      expect(published.all.map((p) => p.type)).toEqual(e.published.map((p) => p.type));
      published.all.forEach((p, i) => expect(p).toMatchObject(e.published[i]));
    });

    // Every fixture that publishes, so every webhook URL of the vendor (Twilio: message and status) is checked.
    const publishing = Object.keys(expected).filter((name) => expected[name].published.length);
    it.each(publishing.flatMap((name) => (['wrong-secret', 'missing'] as const).map((signing) => [name, signing] as const)))(
      '%s with a %s signature: refused (401/403), nothing published',
      async (name, signing) => {
        const answer = await c.send(url, fixture(name), signing, name);
        expect([401, 403]).toContain(answer.status);
        expect(published.all).toEqual([]);
      },
    );

    // Intake is stateless: a redelivered message is published again with the same topic, key and
    // ids (tracking id from the channel's message id), so the router registers it once.
    it.each(publishing)('%s delivered twice: answered the same, published with the same ids (the router registers it once)', async (name) => {
      const first = await c.send(url, fixture(name), 'valid', name);
      const once = published.splice(0);
      const again = await c.send(url, fixture(name), 'valid', name);
      expect(again.status).toBe(first.status);
      const ids = (list: Published[]) => list.map((p) => [p.topic, p.key, p.type, p.payload.channel, p.payload.channelMessageId ?? p.payload.externalId, p.payload.trackingId]);
      expect(ids(published.all)).toEqual(ids(once));
      expect(once.length).toBeGreaterThan(0);
    });

    it('should refuse malformed bodies with 4xx, never 5xx, and publish nothing', async () => {
      const answers = [await c.sendMalformed(url), await c.send(url, {}, 'valid'), await c.send(url, [], 'valid')];
      for (const a of answers) expect(a.status === 200 || (a.status >= 400 && a.status < 500)).toBe(true);
      expect(answers[0].status).toBeGreaterThanOrEqual(400);
      expect(answers[0].status).toBeLessThan(500);
      expect(published.all).toEqual([]);
    });
  });
}
