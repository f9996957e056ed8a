import { createHash, randomUUID } from 'node:crypto';
import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventBus } from '@lapor/bus';
import { ComplaintInbound, Topics, trackingIdFor } from '@lapor/contracts';
import { EVENT_BUS } from '@lapor/runtime';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { FakeTwilio, inboundSms, postTwilioWebhook } from '../support/fake-twilio';
import { RunningSystem, startEmbedded, SYSTEM_MODES } from '../support/system';
import { waitFor } from '../support/wait-for';

/**
 * Issue 8, reproduction 1: one anonymous POST with a NUL character used to stop every
 * complaint behind it, even across a restart (PostgreSQL cannot store NUL, the router
 * retried forever, the embedded journal resumed at the same record). The decision: intake
 * normalizes text (`normalizeText`: NUL and other control characters removed), so such a
 * complaint is registered without them; text with no words at all is refused (400 on the
 * API, the help text on SMS). A record that reaches the bus anyway fails its schema and is
 * dead-lettered, and the records after it on the same partition go on.
 */
const TOKEN = 'e2e-auth-token-poison-000000000000';
const PUBLIC = 'https://lapor.example.id';

let counter = 0;
const phone = () => `+62813${String(process.pid % 1000).padStart(3, '0')}${String(counter++).padStart(4, '0')}`;
const email = () => `warga-${randomUUID().slice(0, 8)}@example.com`;
/** web-intake's sender key for a reporter with this e-mail: the same key, so the same partition, as the complaint under test. */
const webSenderOf = (address: string) => `h:${createHash('sha256').update(address).digest('hex').slice(0, 32)}`;

/** A complaint.inbound record as an old producer would have put it on the bus: valid but for a NUL in its text. */
function poisonRecord(senderId: string): { topic: string; key: string; value: string; trackingId: string } {
  const channelMessageId = `req:${randomUUID()}`;
  const trackingId = trackingIdFor('web', channelMessageId);
  const event = ComplaintInbound.create(
    ComplaintInbound.payload.parse({ trackingId, channel: 'web', channelMessageId, senderId, text: 'Jalan rusak parah sekali di depan sekolah', receivedAt: new Date().toISOString() }),
    { correlationId: trackingId },
  );
  const value = JSON.stringify(event).replace('Jalan rusak parah', 'Jalan rusak \\u0000 parah');
  return { topic: Topics.complaintInbound, key: ComplaintInbound.key(event.payload), value, trackingId };
}

function shown(system: RunningSystem, trackingId: string) {
  return waitFor(
    async () => {
      const res = await request(system.baseUrl).get(`/api/v1/complaints/${trackingId}`);
      return res.status === 200 ? res.body : undefined;
    },
    { what: `complaint ${trackingId} on GET`, timeoutMs: 60_000 },
  );
}

describe.each(SYSTEM_MODES)('poison input: $name', ({ start }) => {
  let system: RunningSystem;
  let cleanup: () => Promise<void>;
  let fake: FakeTwilio;
  const routerDb = () => (system.apps.router ?? system.apps.embedded).get(DataSource);
  const post = (body: object) => request(system.baseUrl).post('/api/v1/complaints').send(body);
  const sms = (from: string, body: string) => {
    const params = inboundSms(from, body);
    return postTwilioWebhook({ deliverTo: system.smsIntakeUrl!, path: '/webhooks/twilio/sms', params, authToken: TOKEN, signedUrl: `${PUBLIC}/webhooks/twilio/sms` }).then((res) => ({ res, sid: params.MessageSid }));
  };

  beforeAll(async () => {
    fake = await new FakeTwilio().start();
    const started = await start({
      DATA_DIR: mkdtempSync(join(tmpdir(), 'lapor-poison-e2e-')),
      TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000000',
      TWILIO_AUTH_TOKEN: TOKEN,
      TWILIO_FROM_NUMBER: '1708',
      TWILIO_API_BASE_URL: fake.url,
      PUBLIC_BASE_URL: PUBLIC,
      NOTIFY_POLL_MS: '100',
    });
    system = started.system;
    cleanup = started.cleanup;
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
    await cleanup?.();
    await fake?.stop();
  });

  it('should register a POST whose text carries NUL without the NUL, and the next complaint of the same reporter', async () => {
    const reporter = { email: email() };
    const poisoned = await post({ text: 'Jalan rusak \u0000 parah sekali di depan sekolah', reporter }).expect(202);
    const next = await post({ text: 'Lampu jalan mati di depan SDN 1 Kota Bandung', reporter }).expect(202);
    await shown(system, next.body.trackingId);
    await shown(system, poisoned.body.trackingId);
    expect(await routerDb().query('SELECT text FROM complaints WHERE tracking_id = $1', [poisoned.body.trackingId])).toEqual([{ text: 'Jalan rusak  parah sekali di depan sekolah' }]);
  });

  it.each([
    ['emoji only', '😡🙏'.repeat(6)],
    ['zero-width characters only', '\u200B'.repeat(20)],
    ['control characters only', '\u0000\u0007'.repeat(10)],
  ])('should refuse a complaint of %s with 400 and a reason in Bahasa Indonesia', async (_name, text) => {
    const res = await post({ text }).expect(400);
    expect(res.body.fields.text.join(' ')).toMatch(/tuliskan laporan dengan kata-kata/);
  });

  it('should register a signed SMS whose body carries NUL without it, and thread the next SMS of that number into it', async () => {
    const from = phone();
    const first = await sms(from, 'Jalan rusak \u0000 parah sekali di depan sekolah Kota Bandung');
    const second = await sms(from, 'tambahan: sudah dua bulan\u0000 tidak diperbaiki');
    expect([first.res.status, second.res.status]).toEqual([200, 200]);
    const trackingId = trackingIdFor('sms', first.sid);
    await shown(system, trackingId);
    const texts = await waitFor(
      async () => {
        const rows: { text: string }[] = await routerDb().query('SELECT text FROM complaint_messages WHERE tracking_id = $1 ORDER BY received_at', [trackingId]);
        return rows.length === 2 ? rows.map((r) => r.text) : undefined;
      },
      { what: 'both SMS on the complaint', timeoutMs: 60_000 },
    );
    expect(texts).toEqual(['Jalan rusak  parah sekali di depan sekolah Kota Bandung', 'tambahan: sudah dua bulan tidak diperbaiki']);
  });

  it('should dead-letter a record with NUL that reaches the bus anyway, and register the next record on its partition', async () => {
    const reporter = { email: email() };
    const poison = poisonRecord(webSenderOf(reporter.email));
    const bus = (system.apps.web ?? system.apps.embedded).get<typeof EVENT_BUS, EventBus>(EVENT_BUS);
    await bus.publish(poison);
    const next = await post({ text: 'Drainase tersumbat di depan rumah, Kota Bandung', reporter }).expect(202);
    await shown(system, next.body.trackingId);
    expect(await routerDb().query('SELECT count(*)::int AS n FROM complaints WHERE tracking_id = $1', [poison.trackingId])).toEqual([{ n: 0 }]);
  });
});

describe('poison input across a restart of the embedded process', () => {
  it('should register the next complaint after a restart on the same DATA_DIR, also when an earlier version left a poison record in the journal', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lapor-poison-restart-'));
    let system = await startEmbedded({ DATA_DIR: dataDir });
    let stopped = false;
    try {
      const first = await post(system, { text: 'Jalan rusak \u0000 parah sekali di depan sekolah' }).expect(202);
      await shown(system, first.body.trackingId);
      await system.stop();
      stopped = true;
      // What `npm start` journaled before this fix: an acknowledged record PostgreSQL cannot store.
      const poison = poisonRecord(`req:${randomUUID()}`);
      appendFileSync(join(dataDir, 'bus', 'journal.jsonl'), `${JSON.stringify({ topic: poison.topic, key: poison.key, value: poison.value })}\n`);

      system = await startEmbedded({ DATA_DIR: dataDir });
      stopped = false;
      const next = await post(system, { text: 'Lampu jalan mati di depan SDN 1 Kota Bandung' }).expect(202);
      await shown(system, next.body.trackingId);
      await shown(system, first.body.trackingId);
      expect((await request(system.baseUrl).get(`/api/v1/complaints/${poison.trackingId}`)).status).toBe(404);
    } finally {
      if (!stopped) await system.stop();
    }
  }, 120_000);

  function post(system: RunningSystem, body: object) {
    return request(system.baseUrl).post('/api/v1/complaints').send(body);
  }
});
