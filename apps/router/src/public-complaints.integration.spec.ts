import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { InProcessBus } from '@lapor/bus';
import { Actor, ComplaintAction, ComplaintInbound, ComplaintInboundPayload, ComplaintStatusChangedPayload, Envelope, PublicComplaint, PublicComplaintList, Topics, trackingIdFor } from '@lapor/contracts';
import { loadConfig } from '@lapor/runtime';
import request from 'supertest';
import { createTestDatabase } from '../../../test/support/database';
import { waitFor } from '../../../test/support/wait-for';
import { createRouterApp } from './router.app';

const liaison: Actor = { kind: 'officer', officerId: 'lia-3273', role: 'liaison', bodyCode: '32.73', displayName: 'Budi Penghubung Kota Bandung' };
const REPORTER = { name: 'Siti Aminah', email: 'siti.aminah@example.com', phone: '+6281234567890' };
const TEXT = 'Jalan rusak di Kota Bandung dekat alun-alun, tolong diperbaiki';
/** A free-text category (the web API takes any) that happens to carry the reporter's name and number. */
const FREE_TEXT_CATEGORY = 'Siti Aminah 081234567890';
const RESPONSE = 'Jalan sudah ditambal oleh Dinas SDABM pada 2 Desember.';
const DAY = 86_400_000;

type Name = 'ordinary' | 'anonim' | 'rahasia' | 'anonimRahasia' | 'freeText' | 'old' | 'webKey' | 'school';

/**
 * The router's public query (GET /internal/v1/public/complaints, behind Open311's lists) on
 * the real PostgreSQL: each filter, the order and the cap, and what it must never show (a
 * Rahasia complaint, anything about the reporter, a free-text category, a web complaint's
 * tracking id to whoever does not already hold it).
 */
describe('router: the public complaint query', () => {
  let app: INestApplication;
  let bus: InProcessBus;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const changes: ComplaintStatusChangedPayload[] = [];
  const ids = {} as Record<Name, string>;
  const http = () => request(app.getHttpServer());

  /** An SMS complaint by default (its tracking id is no key); `web` for one whose id is its reporter's key. */
  async function register(over: Partial<ComplaintInboundPayload>, channel: 'sms' | 'web' = 'sms'): Promise<string> {
    const channelMessageId = channel === 'sms' ? `SM${randomUUID().replace(/-/g, '')}` : `idem:${randomUUID()}`;
    const senderId = channel === 'sms' ? `+62812${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}` : `h:${randomUUID()}`;
    const payload = ComplaintInbound.payload.parse({
      trackingId: trackingIdFor(channel, channelMessageId), channel, channelMessageId, senderId, text: TEXT, receivedAt: new Date().toISOString(), reporter: REPORTER, ...over,
    });
    await bus.publish({ topic: ComplaintInbound.topic, key: ComplaintInbound.key(payload), value: JSON.stringify(ComplaintInbound.create(payload, { correlationId: payload.trackingId })) });
    await waitFor(() => changes.some((c) => c.trackingId === payload.trackingId && c.status === 'assigned'), { what: `${payload.trackingId} routed` });
    return payload.trackingId;
  }

  async function act(id: string, action: ComplaintAction): Promise<void> {
    await http().post(`/internal/v1/complaints/${id}/actions`).send({ action, actor: liaison }).expect(200);
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    bus = new InProcessBus();
    bus.subscribe('test-observer', Topics.complaintStatusChanged, async (r) => void changes.push((JSON.parse(r.value) as Envelope<ComplaintStatusChangedPayload>).payload));
    const config = loadConfig({ DATABASE_URL: db.url, DATA_DIR: mkdtempSync(join(tmpdir(), 'lapor-public-')), ROUTING_MODELS_DIR: mkdtempSync(join(tmpdir(), 'no-models-')), LOG_LEVEL: 'warn' } as NodeJS.ProcessEnv);
    app = await createRouterApp(config, { bus });
    await app.startAllMicroservices();
    await app.init();

    // Registered one after another, so newest first is freeText … ordinary; `old` is then moved 100 days back.
    ids.old = await register({ category: 'jalan-lokal' });
    ids.ordinary = await register({ category: 'jalan-lokal' });
    ids.anonim = await register({ category: 'jalan-lokal', anonymous: true });
    ids.rahasia = await register({ category: 'jalan-lokal', confidential: true });
    ids.anonimRahasia = await register({ category: 'jalan-lokal', anonymous: true, confidential: true });
    ids.freeText = await register({ category: FREE_TEXT_CATEGORY });
    ids.webKey = await register({ category: 'jalan-lokal' }, 'web');
    // No category (as from SMS): its service code is the catalogue rule routing matched.
    ids.school = await register({ text: 'Atap ruang kelas SD Negeri 1 di Kota Bandung bocor dan hampir roboh' });
    await act(ids.ordinary, { action: 'accept' });
    await act(ids.ordinary, { action: 'respond', response: RESPONSE });
    await act(ids.anonim, { action: 'accept' });
    await act(ids.anonim, { action: 'close', note: 'Sudah ditangani' });
    const pool = db.pool();
    await pool.query(`UPDATE complaints SET registered_at = now() - interval '100 days' WHERE tracking_id = $1`, [ids.old]);
    await pool.end();
  }, 90_000);

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  async function list(query: Record<string, string>): Promise<PublicComplaint[]> {
    const res = await http().get('/internal/v1/public/complaints').query(query).expect(200);
    return PublicComplaintList.parse(res.body).complaints;
  }
  const names = (found: PublicComplaint[]) => found.map((c) => (Object.keys(ids) as Name[]).find((n) => ids[n] === c.trackingId) ?? c.trackingId);
  const iso = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();

  it.each<[string, (i: Record<Name, string>) => Record<string, string>, Name[]]>([
    ['no filter: neither Rahasia nor web complaints, newest first', () => ({}), ['school', 'freeText', 'anonim', 'ordinary', 'old']],
    ['ids, Rahasia ones among them', (i) => ({ ids: [i.rahasia, i.ordinary, i.anonimRahasia].join(',') }), ['ordinary']],
    ['ids of a web complaint (the caller holds its key already)', (i) => ({ ids: [i.ordinary, i.webKey].join(',') }), ['webKey', 'ordinary']],
    ['a service code: filed under it, or matched by routing', () => ({ categories: 'jalan-lokal' }), ['freeText', 'anonim', 'ordinary', 'old']],
    ['a service code only routing matched', () => ({ categories: 'pendidikan-dasar' }), ['school']],
    ['a free-text category (never a public filter)', () => ({ categories: FREE_TEXT_CATEGORY }), []],
    ['state closed', () => ({ states: 'closed' }), ['anonim']],
    ['state open', () => ({ states: 'open' }), ['school', 'freeText', 'ordinary', 'old']],
    ['states open and closed', () => ({ states: 'open,closed' }), ['school', 'freeText', 'anonim', 'ordinary', 'old']],
    ['from yesterday', () => ({ from: iso(DAY) }), ['school', 'freeText', 'anonim', 'ordinary']],
    ['up to 50 days ago', () => ({ to: iso(50 * DAY) }), ['old']],
    ['a window, a service code and a state together', () => ({ from: iso(DAY), to: iso(-DAY), categories: 'jalan-lokal', states: 'open' }), ['freeText', 'ordinary']],
    ['limit 2', () => ({ limit: '2' }), ['school', 'freeText']],
  ])('should answer %s', async (_what, query, expected) => {
    expect(names(await list(query(ids)))).toEqual(expected);
  });

  it('should show progress, the body and its response, and nothing about the reporter or the text', async () => {
    const found = await list({});
    for (const c of found) PublicComplaint.strict().parse(c);
    expect(found.find((c) => c.trackingId === ids.ordinary)).toEqual({
      trackingId: ids.ordinary,
      status: 'responded',
      statusLabel: 'Sudah ditanggapi',
      state: 'open',
      category: 'jalan-lokal',
      body: 'Kota Bandung',
      response: RESPONSE,
      registeredAt: expect.stringMatching(/\+07:00$/),
      updatedAt: expect.stringMatching(/\+07:00$/),
    });
    expect(found.find((c) => c.trackingId === ids.anonim)).toMatchObject({ status: 'closed', state: 'closed', response: null });
    expect(found.find((c) => c.trackingId === ids.freeText)).toMatchObject({ category: 'jalan-lokal' });
    expect(found.find((c) => c.trackingId === ids.school)).toMatchObject({ category: 'pendidikan-dasar' });
    const body = JSON.stringify(found);
    for (const secret of ['Siti', 'Aminah', REPORTER.email, '81234567890', '+62812', 'alun-alun', 'bocor', ids.rahasia, ids.anonimRahasia, ids.webKey]) expect(body).not.toContain(secret);
  });

  it.each([
    ['an unknown state', { states: 'pending' }, 'states'],
    ['a limit over the cap', { limit: '5000' }, 'limit'],
    ['a date without its zone', { from: '2026-12-01T00:00:00' }, 'from'],
  ])('should refuse %s with 400 naming the field', async (_what, query, field) => {
    const res = await http().get('/internal/v1/public/complaints').query(query).expect(400);
    expect(Object.keys(res.body.fields as Record<string, string[]>).map((path) => path.split('.')[0])).toEqual([field]);
  });
});
