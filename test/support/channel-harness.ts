import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { AddressInfo } from 'node:net';
import { CapturingBus } from '../../apps/social-intake/src/testing/capturing-bus';

/** What a channel's webhook published while the harness watched. */
interface Published {
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
  send(url: string, fixture: unknown, signing: 'valid' | 'wrong-secret' | 'missing'): Promise<Answer>;
  /** Bytes the platform would never send, correctly signed (not JSON, or not a form). */
  sendMalformed(url: string): Promise<Answer>;
}

interface Expected {
  status: number;
  published: Array<{ type: string; payload: Record<string, unknown> }>;
}

/**
 * The shared harness: every fixture of every channel against its expected normalized items
 * and answer, plus the cases every channel gets by itself — a wrong signature and a missing
 * one (refused, nothing published), a replay of a published fixture (answered the same,
 * with the same ids, so the router registers it once), and malformed bodies (4xx, never 5xx,
 * nothing published).
 */
export function describeChannelHarness(channels: ChannelUnderTest[]): void {
  describe.each(channels.map((c) => [c.channel, c] as const))('channel %s', (_name, c) => {
    let app: INestApplication;
    let url: string;
    const bus = new CapturingBus();
    // The webhook answers 2xx only once its events are published, so they are here when the answer is.
    const published = {
      splice: (n: number) => bus.records.splice(n).map((r) => JSON.parse(r.value) as Published),
      get all(): Published[] {
        return bus.records.map((r) => JSON.parse(r.value) as Published);
      },
    };
    const expected: Record<string, Expected> = JSON.parse(readFileSync(join(c.fixturesDir, 'expected.json'), 'utf8'));
    const fixture = (name: string) => JSON.parse(readFileSync(join(c.fixturesDir, name), 'utf8'));
    const firstPublishing = Object.entries(expected).find(([, e]) => e.published.length)![0];

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
      const answer = await c.send(url, fixture(name), 'valid');
      expect(answer.status).toBe(e.status);
      expect(published.all.map((p) => p.type)).toEqual(e.published.map((p) => p.type));
      published.all.forEach((p, i) => expect(p.payload).toMatchObject(e.published[i].payload));
    });

    it.each(['wrong-secret', 'missing'] as const)('should refuse a request with a %s signature (401/403) and publish nothing', async (signing) => {
      const answer = await c.send(url, fixture(firstPublishing), signing);
      expect([401, 403]).toContain(answer.status);
      expect(published.all).toEqual([]);
    });

    it('should answer a replayed request the same way, with the same ids (the router registers it once)', async () => {
      const first = await c.send(url, fixture(firstPublishing), 'valid');
      const once = published.splice(0);
      const again = await c.send(url, fixture(firstPublishing), 'valid');
      expect(again.status).toBe(first.status);
      const ids = (list: Published[]) => list.map((p) => [p.type, p.payload.channel, p.payload.channelMessageId ?? p.payload.externalId, p.payload.trackingId]);
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
