import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { InProcessBus } from '@lapor/bus';
import {
  ChannelCommand,
  ComplaintInbound,
  ComplaintInboundPayload,
  ComplaintRegistered,

  deadLetterTopic,
  Envelope,
  StatusReply,
  Topics,
  trackingIdFor,
} from '@lapor/contracts';
import { UnitClassifier } from '@lapor/routing';
import { loadConfig } from '@lapor/runtime';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createTestDatabase } from '../../../test/support/database';
import { waitFor } from '../../../test/support/wait-for';
import { createRouterApp } from './router.app';

/** The router on the real PostgreSQL, driven through the bus as in production. */
describe('router service', () => {
  let app: INestApplication;
  let bus: InProcessBus;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const seen: Record<string, Envelope<any>[]> = {};
  const events = (topic: string) => (seen[topic] ??= []);

  beforeAll(async () => {
    db = await createTestDatabase();
    const models = mkdtempSync(join(tmpdir(), 'lapor-models-'));
    // A tiny unit model for Kota Surabaya (35.78): the router applies level 2 where a model exists.
    const rows = [
      ...['sampah menumpuk tidak diangkut', 'bau sampah di tps', 'truk sampah tidak datang', 'tumpukan sampah liar'].map((text) => ({ text, label: 'Dinas Lingkungan Hidup' })),
      ...['jalan berlubang besar', 'aspal jalan rusak parah', 'jalan amblas', 'perbaikan jalan berlubang'].map((text) => ({ text, label: 'Dinas Sumber Daya Air dan Bina Marga' })),
    ];
    UnitClassifier.train([...rows, ...rows, ...rows], { seed: 1 }).save(join(models, '35.78.model.json'));
    bus = new InProcessBus();
    for (const topic of [Topics.complaintRegistered, Topics.complaintStatusChanged, Topics.statusReply, deadLetterTopic(Topics.complaintInbound)]) {
      bus.subscribe('test-observer', topic, async (r) => void events(topic).push(topic.endsWith('.dlq') ? (r as never) : JSON.parse(r.value)));
    }
    const config = loadConfig({ DATABASE_URL: db.url, DATA_DIR: mkdtempSync(join(tmpdir(), 'lapor-router-')), ROUTING_MODELS_DIR: models, FOLLOW_UP_WINDOW_SECONDS: '600', LOG_LEVEL: 'warn', ADMIN_API_TOKEN: 'rahasia-admin' } as NodeJS.ProcessEnv);
    app = await createRouterApp(config, { bus });
    await app.startAllMicroservices();
    await app.init();
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const inbound = (p: Partial<ComplaintInboundPayload> & { text: string }) => {
    const channel = p.channel ?? 'sms';
    const channelMessageId = p.channelMessageId ?? `SM${randomUUID().replace(/-/g, '')}`;
    const payload = {
      trackingId: trackingIdFor(channel, channelMessageId),
      channel,
      channelMessageId,
      senderId: p.senderId ?? `+62812${Math.floor(Math.random() * 1e7)}`,
      receivedAt: new Date().toISOString(),
      ...p,
    } as ComplaintInboundPayload;
    return ComplaintInbound.create(ComplaintInbound.payload.parse(payload), { correlationId: payload.trackingId });
  };
  const publish = (event: Envelope<any>, def: { topic: string; key(p: any): string } = ComplaintInbound) =>
    bus.publish({ topic: def.topic, key: def.key(event.payload), value: JSON.stringify(event) });
  const sql = (q: string, params: unknown[] = []) => app.get(DataSource).query(q, params);
  const statusesOf = (trackingId: string) => events(Topics.complaintStatusChanged).filter((e) => e.payload.trackingId === trackingId).map((e) => e.payload.status);

  it('should register an event delivered twice once, and announce it each time', async () => {
    const event = inbound({ text: 'Jalan rusak parah di Kelurahan Ketintang, Kecamatan Gayungan, Surabaya', channel: 'web', channelMessageId: `idem:${randomUUID()}` });
    await publish(event);
    await publish(event);
    const id = event.payload.trackingId;
    await waitFor(() => events(Topics.complaintRegistered).filter((e) => e.payload.trackingId === id).length === 2, { what: 'two announcements' });
    expect(await sql('SELECT count(*)::int AS n FROM complaints WHERE tracking_id = $1', [id])).toEqual([{ n: 1 }]);
    expect(await sql('SELECT count(*)::int AS n FROM complaint_messages WHERE tracking_id = $1', [id])).toEqual([{ n: 1 }]);
    const registered = events(Topics.complaintRegistered).find((e) => e.payload.trackingId === id)!;
    expect(ComplaintRegistered.envelope.parse(registered).payload.decision).toMatchObject({ kind: 'kota', code: '35.78', place: { districtName: 'Gayungan', villageName: 'Ketintang' } });
    // The same status changes both times (same sequence numbers): the notifier dedupes on them.
    expect(statusesOf(id)).toEqual(['received', 'assigned', 'received', 'assigned']);
  });

  it('should add the unit inside the body where the body has a trained model', async () => {
    const event = inbound({ text: 'Sampah menumpuk tidak diangkut di Kecamatan Gayungan, Kota Surabaya', channel: 'web' });
    await publish(event);
    await waitFor(() => events(Topics.complaintRegistered).find((e) => e.payload.trackingId === event.payload.trackingId), { what: 'registration' });
    const decision = events(Topics.complaintRegistered).find((e) => e.payload.trackingId === event.payload.trackingId)!.payload.decision;
    expect(decision.unit).toMatchObject({ unit: 'Dinas Lingkungan Hidup' });
    expect(decision.unit.alternatives.length).toBeGreaterThan(0);
    const [row] = await sql('SELECT decision FROM complaints WHERE tracking_id = $1', [event.payload.trackingId]);
    expect(row.decision.unit.unit).toBe('Dinas Lingkungan Hidup');
    const view = await request(app.getHttpServer()).get(`/internal/v1/complaints/${event.payload.trackingId}`).expect(200);
    expect(view.body.assignment).toEqual({ kind: 'kota', code: '35.78', name: 'Kota Surabaya', unit: 'Dinas Lingkungan Hidup' });
  });

  it('should thread a second SMS from the same sender into the open complaint, and route it out of triage', async () => {
    const sender = '+6281299990001';
    const first = inbound({ text: 'Tolong, sudah 3 bulan jalan di depan rumah kami rusak berat', senderId: sender });
    await publish(first);
    const id = first.payload.trackingId;
    await waitFor(() => statusesOf(id).includes('triage'), { what: 'triage' });
    const second = inbound({ text: 'Lokasinya di Desa Sukamaju, Kecamatan Cibadak, Kabupaten Sukabumi', senderId: sender });
    await publish(second);
    await waitFor(() => statusesOf(id).includes('assigned'), { what: 're-routing' });
    expect(await sql('SELECT count(*)::int AS n FROM complaints WHERE sender_id = $1', [sender])).toEqual([{ n: 1 }]);
    expect(await sql('SELECT count(*)::int AS n FROM complaint_messages WHERE tracking_id = $1', [id])).toEqual([{ n: 2 }]);
    const [c] = await sql('SELECT status, assignment_kind, assignment_name FROM complaints WHERE tracking_id = $1', [id]);
    expect(c).toEqual({ status: 'assigned', assignment_kind: 'kabupaten', assignment_name: 'Kabupaten Sukabumi' });
  });

  it('should open a new complaint when the next SMS comes after the follow-up window', async () => {
    const sender = '+6281299990002';
    const first = inbound({ text: 'Jalan rusak di Kota Bandung dekat alun-alun', senderId: sender, receivedAt: new Date(Date.now() - 3600_000).toISOString() });
    await publish(first);
    await waitFor(() => statusesOf(first.payload.trackingId).length >= 2, { what: 'first complaint' });
    const later = inbound({ text: 'Lampu jalan mati di Kota Bandung dekat terminal', senderId: sender });
    await publish(later);
    await waitFor(() => statusesOf(later.payload.trackingId).length >= 2, { what: 'second complaint' });
    expect(await sql('SELECT count(*)::int AS n FROM complaints WHERE sender_id = $1', [sender])).toEqual([{ n: 2 }]);
  });

  it('should answer a status query, and call a mistyped id mistyped rather than show another complaint', async () => {
    const event = inbound({ text: 'Pelayanan KTP di Disdukcapil Kota Malang sangat lambat', channel: 'web' });
    await publish(event);
    const id = event.payload.trackingId;
    await waitFor(() => statusesOf(id).length >= 2, { what: 'registration' });
    const ask = (argument: string) => {
      const cmd = ChannelCommand.create(
        ChannelCommand.payload.parse({ channel: 'sms', channelMessageId: `SM${randomUUID()}`, senderId: '+6281211112222', command: 'status', argument, receivedAt: new Date().toISOString() }),
        { correlationId: randomUUID() },
      );
      return publish(cmd, ChannelCommand).then(() => cmd.payload.channelMessageId);
    };
    const reply = async (inReplyTo: string) => StatusReply.envelope.parse(await waitFor(() => events(Topics.statusReply).find((e) => e.payload.inReplyTo === inReplyTo), { what: 'reply' })).payload.result;
    expect(await reply(await ask(id.toLowerCase()))).toMatchObject({ outcome: 'found', trackingId: id, status: 'assigned', assignment: { name: 'Kota Malang' } });
    const typo = id.slice(0, 3) + (id[3] === 'A' ? 'B' : 'A') + id.slice(4);
    expect(await reply(await ask(typo))).toEqual({ outcome: 'mistyped' });
    expect(await reply(await ask('HALO'))).toEqual({ outcome: 'malformed' });
  });

  it('should dead-letter an event that does not match its schema, and keep consuming', async () => {
    await bus.publish({ topic: Topics.complaintInbound, key: 'x', value: JSON.stringify({ type: 'complaint.inbound', payload: { text: 'no envelope' } }) });
    const ok = inbound({ text: 'Jalan rusak di Kota Bandung, tolong diperbaiki', channel: 'web' });
    await publish(ok);
    await waitFor(() => statusesOf(ok.payload.trackingId).length >= 2, { what: 'the next event' });
    expect(events(deadLetterTopic(Topics.complaintInbound))).toHaveLength(1);
    expect((events(deadLetterTopic(Topics.complaintInbound))[0] as unknown as { headers: Record<string, string> }).headers['x-dlq-reason']).toBeTruthy();
  });

  describe('admin queues', () => {
    const admin = () => request(app.getHttpServer());
    const auth = { Authorization: 'Bearer rahasia-admin' };

    it('should refuse callers without the admin token', async () => {
      await admin().get('/admin/v1/queue').expect(401);
      await admin().get('/admin/v1/queue').set({ Authorization: 'Bearer salah' }).expect(401);
    });

    it('should list a triage complaint with its suggestions, and let the admin assign it', async () => {
      const event = inbound({ text: 'Tolong perbaiki jalan yang rusak parah di depan rumah saya', channel: 'web', reporter: { name: 'Rahasia', email: 'x@example.com' } });
      await publish(event);
      const id = event.payload.trackingId;
      await waitFor(() => statusesOf(id).includes('triage'), { what: 'triage' });
      const queue = (await admin().get('/admin/v1/queue').set(auth).expect(200)).body;
      const item = queue.find((q: { trackingId: string }) => q.trackingId === id);
      expect(item).toMatchObject({ status: 'triage', text: event.payload.text });
      expect(JSON.stringify(item)).not.toContain('Rahasia');
      expect(item.evidence.length).toBeGreaterThan(0);

      await admin().post(`/admin/v1/complaints/${id}/assignment`).set(auth).send({ code: '99.99' }).expect(400);
      await admin().post(`/admin/v1/complaints/${id}/assignment`).set(auth).send({ code: '32.04', by: 'admin nasional' }).expect(204);
      await waitFor(() => statusesOf(id).filter((s) => s === 'assigned').length === 1, { what: 'the assigned status change' });
      const change = events(Topics.complaintStatusChanged).find((e) => e.payload.trackingId === id && e.payload.status === 'assigned')!;
      expect(change.payload).toMatchObject({ sequence: 3, previousStatus: 'triage', assignment: { kind: 'kabupaten', code: '32.04', name: 'Kabupaten Bandung' } });
      const queueAfter = (await admin().get('/admin/v1/queue').set(auth).expect(200)).body;
      expect(queueAfter.find((q: { trackingId: string }) => q.trackingId === id)).toBeUndefined();
    });
  });
});
