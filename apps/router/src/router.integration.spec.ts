import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { BusRecord, BusUnavailableError, ConsumedRecord, InProcessBus } from '@lapor/bus';
import {
  ChannelCommand,
  ComplaintInbound,
  ComplaintInboundPayload,
  ComplaintRegistered,
  DeadLetterHeaders,
  deadLetterTopic,
  Envelope,
  StatusReply,
  Topics,
  trackingIdFor,
} from '@lapor/contracts';
import { UnitClassifier } from '@lapor/routing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { RouterHarness } from '../../../test/support/router-harness';
import { waitFor } from '../../../test/support/wait-for';
import { RouterOutbox } from './outbox/router-outbox.service';
import { AdminQueueService } from './services/admin-queue.service';
import { ComplaintBatchRegistrationService } from './services/complaint-batch-registration.service';
import { ComplaintRecordService } from './services/complaint-record.service';
import { ComplaintRegistrationService } from './services/complaint-registration.service';

/** The router on the real PostgreSQL, driven through the bus as in production. */
describe('router service', () => {
  let app: INestApplication;
  const bus = new InProcessBus();
  const router = new RouterHarness(bus, { record: false });
  const seen: Record<string, Envelope<any>[]> = {};
  const ROUTER_TOPICS = new Set<string>([Topics.complaintRegistered, Topics.complaintStatusChanged, Topics.channelNotice]);
  let busRefuses = false;
  const events = (topic: string) => (seen[topic] ??= []);

  beforeAll(async () => {
    const models = mkdtempSync(join(tmpdir(), 'lapor-models-'));
    // A tiny unit model for Kota Surabaya (35.78): the router applies level 2 where a model exists.
    const rows = [
      ...['sampah menumpuk tidak diangkut', 'bau sampah di tps', 'truk sampah tidak datang', 'tumpukan sampah liar'].map((text) => ({ text, label: 'Dinas Lingkungan Hidup' })),
      ...['jalan berlubang besar', 'aspal jalan rusak parah', 'jalan amblas', 'perbaikan jalan berlubang'].map((text) => ({ text, label: 'Dinas Sumber Daya Air dan Bina Marga' })),
    ];
    UnitClassifier.train([...rows, ...rows, ...rows], { seed: 1 }).save(join(models, '35.78.model.json'));
    // Fault injection: while `busRefuses`, the bus refuses the router's own events (as Kafka would when down).
    const publishToBus = bus.publish.bind(bus);
    bus.publish = async (records: BusRecord | BusRecord[]) => {
      if (busRefuses && [records].flat().some((r) => ROUTER_TOPICS.has(r.topic))) throw new BusUnavailableError('test: the bus refuses the router\'s events');
      return publishToBus(records);
    };
    for (const topic of [Topics.complaintRegistered, Topics.complaintStatusChanged, Topics.statusReply, deadLetterTopic(Topics.complaintInbound)]) {
      bus.subscribe('test-observer', topic, async (r) => void events(topic).push(topic.endsWith('.dlq') ? (r as never) : JSON.parse(r.value)));
    }
    ({ app } = await router.start({ ROUTING_MODELS_DIR: models, FOLLOW_UP_WINDOW_SECONDS: '600', ADMIN_API_TOKEN: 'rahasia-admin', ROUTER_OUTBOX_RELAY_MS: '600000' }));
  }, 60_000);

  afterAll(() => router.stop());

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
  const changesOf = (trackingId: string) =>
    events(Topics.complaintStatusChanged).filter((e) => e.payload.trackingId === trackingId).map((e) => ({ status: e.payload.status, sequence: e.payload.sequence }));
  const deadLettersOf = (key: string) => (events(deadLetterTopic(Topics.complaintInbound)) as unknown as ConsumedRecord[]).filter((r) => r.key === key);
  const registrationsOf = (trackingId: string) => events(Topics.complaintRegistered).filter((e) => e.payload.trackingId === trackingId);
  /**
   * Everything published on the inbound topic before now has been handled: the in-process
   * bus hands a topic's records to a group in order, so a marker complaint published now is
   * registered only after them.
   */
  const handled = async () => {
    // Two markers: the router registers a batch's new complaints before it handles the batch's
    // other messages one at a time, so a marker in the same batch as them may be announced
    // first; the second marker comes in a later batch, taken only once that batch was done.
    for (let i = 0; i < 2; i++) {
      const marker = inbound({ text: 'Penanda urutan: lampu jalan mati di Kota Bandung', channel: 'web' });
      await publish(marker);
      await waitFor(() => registrationsOf(marker.payload.trackingId).length > 0, { what: 'the marker after the records before it' });
    }
  };

  it('should register an event delivered twice once, and announce it once', async () => {
    const event = inbound({ text: 'Jalan rusak parah di Kelurahan Ketintang, Kecamatan Gayungan, Surabaya', channel: 'web', channelMessageId: `idem:${randomUUID()}` });
    await publish(event);
    await publish(event);
    const id = event.payload.trackingId;
    await handled();
    expect(await sql('SELECT count(*)::int AS n FROM complaints WHERE tracking_id = $1', [id])).toEqual([{ n: 1 }]);
    expect(await sql('SELECT count(*)::int AS n FROM complaint_messages WHERE tracking_id = $1', [id])).toEqual([{ n: 1 }]);
    expect(registrationsOf(id)).toHaveLength(1);
    const registered = registrationsOf(id)[0];
    expect(ComplaintRegistered.envelope.parse(registered).payload.decision).toMatchObject({ kind: 'kota', code: '35.78', place: { districtName: 'Gayungan', villageName: 'Ketintang' } });
    expect(registered.payload).toMatchObject({ receivedAt: event.payload.receivedAt, excerpt: event.payload.text });
    const [row] = await sql('SELECT registered_at FROM complaints WHERE tracking_id = $1', [id]);
    expect(registered.payload.registeredAt).toBe(row.registered_at.toISOString());
    expect(changesOf(id)).toEqual([{ status: 'received', sequence: 1 }, { status: 'assigned', sequence: 2 }]);
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

  it.each([
    ['Mohon informasi, apa saja syarat perpanjang paspor di Kantor Imigrasi Surabaya?', 'information_request'],
    ['Usul: sebaiknya ada halte bus baru di Jalan Ahmad Yani Kota Surabaya', 'aspiration'],
    ['Jalan rusak berlubang di Kecamatan Gayungan, Kota Surabaya', 'complaint'],
  ])('should store and announce the submission type routing proposes: %s → %s', async (text, type) => {
    const event = inbound({ text, channel: 'web' });
    await publish(event);
    await waitFor(() => registrationsOf(event.payload.trackingId).length > 0, { what: 'registration' });
    const registered = ComplaintRegistered.envelope.parse(registrationsOf(event.payload.trackingId)[0]).payload;
    expect(registered.submissionType).toBe(type);
    expect(registered.decision.submissionType).toMatchObject({ type });
    const [row] = await sql('SELECT submission_type FROM complaints WHERE tracking_id = $1', [event.payload.trackingId]);
    expect(row.submission_type).toBe(type);
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

  describe('a fetched batch of inbound messages (issue 12)', () => {
    const record = (event: Envelope<any>): BusRecord => ({ topic: Topics.complaintInbound, key: ComplaintInbound.key(event.payload), value: JSON.stringify(event) });
    const complaintsOf = (sender: string) => sql('SELECT tracking_id FROM complaints WHERE sender_id = $1 ORDER BY received_at', [sender]);

    it('should register the new complaints together and leave follow-ups, answers to a question and duplicates to one-at-a-time handling, with the same outcome', async () => {
      const registerAll = jest.spyOn(app.get(ComplaintBatchRegistrationService) as unknown as { registerAll(events: Envelope<any>[]): Promise<void> }, 'registerAll');
      const threadSender = '+6281299991001';
      const earlier = inbound({ text: 'Jalan rusak parah di Kota Bandung', senderId: threadSender });
      await publish(earlier);
      await waitFor(() => statusesOf(earlier.payload.trackingId).length >= 2, { what: 'the earlier complaint' });
      registerAll.mockClear();

      const webs = [0, 1, 2].map((i) => inbound({ text: `Sampah menumpuk di pasar Kelurahan Ketintang, Surabaya (${i})`, channel: 'web', channelMessageId: `req:${randomUUID()}` }));
      const lone = [0, 1].map((i) => inbound({ text: `Lampu jalan mati di Kota Bogor (${i})`, senderId: `+62812999920${i}${Math.floor(Math.random() * 1e4)}` }));
      const pairSender = `+6281299993${Math.floor(Math.random() * 1e4)}`;
      const pair = [inbound({ text: 'Tolong, jalan di depan rumah kami rusak berat', senderId: pairSender }), inbound({ text: 'Lokasinya di Kecamatan Cibadak, Kabupaten Sukabumi', senderId: pairSender })];
      const followUp = inbound({ text: 'Sudah tiga bulan tidak diperbaiki', senderId: threadSender });
      const batch = [webs[0], lone[0], pair[0], webs[1], followUp, webs[0], pair[1], lone[1], webs[2]];
      await bus.publish(batch.map(record));
      await handled();

      // New: the three web complaints and the two lone SMS, registered together (with the
      // marker, if it came in the same batch), each once; the others one at a time.
      const together = registerAll.mock.calls.map(([events]) => events.map((e) => e.payload.channelMessageId));
      expect(together.some((ids) => [...webs, ...lone].every((e) => ids.includes(e.payload.channelMessageId)))).toBe(true);
      expect(together.flat().filter((id) => [...pair, followUp].some((e) => e.payload.channelMessageId === id))).toEqual([]);
      expect(together.flat().filter((id) => id === webs[0].payload.channelMessageId)).toHaveLength(1);
      for (const e of [...webs, ...lone]) {
        expect(registrationsOf(e.payload.trackingId)).toHaveLength(1);
        expect(changesOf(e.payload.trackingId).map((c) => c.sequence)).toEqual([1, 2]);
      }
      // The pair's second message told where: routed out of triage, as one at a time does.
      expect(registrationsOf(pair[0].payload.trackingId)).toHaveLength(1);
      expect(changesOf(pair[0].payload.trackingId)).toEqual([{ status: 'received', sequence: 1 }, { status: 'triage', sequence: 2 }, { status: 'assigned', sequence: 3 }]);
      // One at a time: the pair makes one complaint of two messages, the follow-up joins the earlier complaint.
      expect(await complaintsOf(pairSender)).toEqual([{ tracking_id: pair[0].payload.trackingId }]);
      expect(await sql('SELECT count(*)::int AS n FROM complaint_messages WHERE tracking_id = $1', [pair[0].payload.trackingId])).toEqual([{ n: 2 }]);
      expect(await complaintsOf(threadSender)).toEqual([{ tracking_id: earlier.payload.trackingId }]);
      expect(await sql('SELECT count(*)::int AS n FROM complaint_messages WHERE tracking_id = $1', [earlier.payload.trackingId])).toEqual([{ n: 2 }]);
      // The duplicate of the first web complaint stored nothing twice.
      expect(await sql('SELECT count(*)::int AS n FROM complaint_messages WHERE channel_message_id = $1', [webs[0].payload.channelMessageId])).toEqual([{ n: 1 }]);
      const [row] = await sql('SELECT registered_at FROM complaints WHERE tracking_id = $1', [webs[1].payload.trackingId]);
      expect(registrationsOf(webs[1].payload.trackingId)[0].payload.registeredAt).toBe(row.registered_at.toISOString());
      await waitFor(async () => (await sql('SELECT count(*)::int AS n FROM router_outbox'))[0].n === 0, { what: 'an empty outbox' });
      registerAll.mockRestore();
    });

    it('should dead-letter a poison message of a batch alone, and register every other message of it once', async () => {
      const key = `+6281299994${Math.floor(Math.random() * 1e4)}`;
      const good = [0, 1, 2].map((i) => inbound({ text: `Jalan berlubang di Kota Bogor (${i})`, channel: 'web', channelMessageId: `req:${randomUUID()}` }));
      const poison = inbound({ text: 'Jalan rusak parah sekali', senderId: key });
      const poisoned = JSON.stringify(poison).replace('Jalan rusak parah sekali', 'Jalan rusak \\u0000 parah');
      await bus.publish([record(good[0]), record(good[1]), { topic: Topics.complaintInbound, key: ComplaintInbound.key(poison.payload), value: poisoned }, record(good[2])]);
      await handled();
      for (const e of good) expect(registrationsOf(e.payload.trackingId)).toHaveLength(1);
      expect(deadLettersOf(ComplaintInbound.key(poison.payload))).toHaveLength(1);
      expect(await sql('SELECT count(*)::int AS n FROM complaints WHERE tracking_id = $1', [poison.payload.trackingId])).toEqual([{ n: 0 }]);
    });
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
    const key = `no-envelope-${randomUUID()}`;
    await bus.publish({ topic: Topics.complaintInbound, key, value: JSON.stringify({ type: 'complaint.inbound', payload: { text: 'no envelope' } }) });
    const ok = inbound({ text: 'Jalan rusak di Kota Bandung, tolong diperbaiki', channel: 'web' });
    await publish(ok);
    await waitFor(() => statusesOf(ok.payload.trackingId).length >= 2, { what: 'the next event' });
    expect(deadLettersOf(key)).toHaveLength(1);
    expect(deadLettersOf(key)[0].headers?.[DeadLetterHeaders.reason]).toBeTruthy();
  });

  it.each([
    ['NUL', 'Jalan rusak \\u0000 parah sekali'],
    ['an unpaired surrogate', 'Jalan rusak \\ud83d parah sekali'],
  ])('should dead-letter at once a record whose text carries %s (PostgreSQL cannot store it), and register the next one', async (_name, poisoned) => {
    const poison = inbound({ text: 'Jalan rusak parah sekali di depan sekolah, Kota Bandung', channel: 'web' });
    const key = `poison-${randomUUID()}`;
    // Published straight to the bus, as an old producer or a replayed dead letter would.
    await bus.publish({ topic: Topics.complaintInbound, key, value: JSON.stringify(poison).replace('Jalan rusak parah sekali', poisoned) });
    const next = inbound({ text: 'Lampu jalan mati di Kota Bandung, mohon diperbaiki', channel: 'web' });
    await publish(next);
    await waitFor(() => registrationsOf(next.payload.trackingId).length, { what: 'the complaint after the poison record' });
    expect(deadLettersOf(key)).toHaveLength(1);
    // Dead-lettered on its first try, with the reason naming the field and the cause.
    const headers = deadLettersOf(key)[0].headers ?? {};
    expect(headers[DeadLetterHeaders.attempts]).toBe('1');
    expect(headers[DeadLetterHeaders.reason]).toMatch(/text/);
    expect(headers[DeadLetterHeaders.reason]).toMatch(/NUL/);
    expect(await sql('SELECT count(*)::int AS n FROM complaints WHERE tracking_id = $1', [poison.payload.trackingId])).toEqual([{ n: 0 }]);
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
      // The admin's free text is normalized like any text that enters (a stray NUL is removed).
      await admin().post(`/admin/v1/complaints/${id}/assignment`).set(auth).send({ code: '32.04', by: 'admin\u0000 nasional' }).expect(204);
      await waitFor(() => statusesOf(id).filter((s) => s === 'assigned').length === 1, { what: 'the assigned status change' });
      const change = events(Topics.complaintStatusChanged).find((e) => e.payload.trackingId === id && e.payload.status === 'assigned')!;
      expect(change.payload).toMatchObject({ sequence: 3, previousStatus: 'triage', assignment: { kind: 'kabupaten', code: '32.04', name: 'Kabupaten Bandung' } });
      expect(change.payload.note).toBe('Ditetapkan oleh admin (admin nasional): Kabupaten Bandung');
      const queueAfter = (await admin().get('/admin/v1/queue').set(auth).expect(200)).body;
      expect(queueAfter.find((q: { trackingId: string }) => q.trackingId === id)).toBeUndefined();
    });
  });
  describe('announcing what changed, once', () => {
    const admin = () => request(app.getHttpServer());
    const auth = { Authorization: 'Bearer rahasia-admin' };
    const outboxRows = async () => (await sql('SELECT count(*)::int AS n FROM router_outbox'))[0].n as number;

    it('should announce registered once across a follow-up, redeliveries and an admin assignment, each later event carrying only what is new', async () => {
      const sender = '6123400001';
      const first = inbound({ text: 'Tolong, jalan di depan rumah kami rusak berat', senderId: sender, channel: 'telegram' });
      const id = first.payload.trackingId;
      await publish(first);
      await waitFor(() => statusesOf(id).includes('triage'), { what: 'triage' });
      const followUp = inbound({ text: 'Sudah tiga bulan tidak diperbaiki, mohon segera', senderId: sender, channel: 'telegram' });
      await publish(followUp);
      await publish(first);
      await publish(followUp);
      await handled();
      expect(await sql('SELECT count(*)::int AS n FROM complaint_messages WHERE tracking_id = $1', [id])).toEqual([{ n: 2 }]);
      expect(changesOf(id)).toEqual([{ status: 'received', sequence: 1 }, { status: 'triage', sequence: 2 }]);

      await admin().post(`/admin/v1/complaints/${id}/assignment`).set(auth).send({ code: '32.04', by: 'admin nasional' }).expect(204);
      await waitFor(() => statusesOf(id).includes('assigned'), { what: 'the assignment' });
      await publish(followUp);
      await handled();

      expect(registrationsOf(id)).toHaveLength(1);
      expect(changesOf(id)).toEqual([{ status: 'received', sequence: 1 }, { status: 'triage', sequence: 2 }, { status: 'assigned', sequence: 3 }]);
      const assigned = events(Topics.complaintStatusChanged).find((e) => e.payload.trackingId === id && e.payload.sequence === 3)!;
      expect(assigned.payload).toMatchObject({ previousStatus: 'triage', assignment: { code: '32.04', name: 'Kabupaten Bandung' }, actor: { kind: 'officer', role: 'national-admin' } });
      // The in-process bus hands the marker's events to this test while the router is still
      // between its publish and the DELETE's commit: the outbox empties right after.
      await waitFor(async () => (await outboxRows()) === 0, { what: 'an empty outbox' });
    });

    it('should publish what a handler committed but could not publish when the message is delivered again, once', async () => {
      const event = inbound({ text: 'Sampah menumpuk di Kecamatan Gayungan, Kota Surabaya', channel: 'web' });
      const id = event.payload.trackingId;
      busRefuses = true;
      try {
        await publish(event);
        // The complaint is committed with its events in the outbox; the handler fails and the bus redelivers.
        await waitFor(async () => (await sql('SELECT count(*)::int AS n FROM router_outbox WHERE tracking_id = $1', [id]))[0].n === 3, { what: 'the events in the outbox' });
        expect(registrationsOf(id)).toHaveLength(0);
      } finally {
        busRefuses = false;
      }
      // The redelivery finds the message stored and publishes only what is pending.
      await waitFor(() => registrationsOf(id).length === 1, { what: 'the registration from the outbox' });
      await handled();
      expect(registrationsOf(id)).toHaveLength(1);
      expect(changesOf(id)).toEqual([{ status: 'received', sequence: 1 }, { status: 'assigned', sequence: 2 }]);
      expect(await sql('SELECT count(*)::int AS n FROM complaints WHERE tracking_id = $1', [id])).toEqual([{ n: 1 }]);
      expect(await outboxRows()).toBe(0);
    });

    it('should commit an admin assignment the bus refused, and let concurrent relays publish it exactly once', async () => {
      const ids: string[] = [];
      for (const text of ['Tolong perbaiki jalan yang rusak di depan rumah', 'Tolong lampu jalan di gang kami mati semua', 'Tolong selokan di depan rumah kami mampet']) {
        const event = inbound({ text, channel: 'web' });
        await publish(event);
        ids.push(event.payload.trackingId);
      }
      await waitFor(() => ids.every((id) => statusesOf(id).includes('triage')), { what: 'three triage complaints' });
      busRefuses = true;
      try {
        for (const id of ids) await admin().post(`/admin/v1/complaints/${id}/assignment`).set(auth).send({ code: '32.73' }).expect(204);
      } finally {
        busRefuses = false;
      }
      expect(await sql(`SELECT count(*)::int AS n FROM complaint_status_changes WHERE tracking_id = ANY($1) AND status = 'assigned'`, [ids])).toEqual([{ n: 3 }]);
      expect(await outboxRows()).toBe(3);
      // Three relays (as three router replicas would) and a handler's publish, all at once.
      const outbox = app.get(RouterOutbox);
      const published = await Promise.all([outbox.relayPass(0), outbox.relayPass(0), outbox.relayPass(0), outbox.publishPending(ids[0])]);
      expect(published.reduce((a, b) => a + b, 0)).toBe(3);
      await waitFor(() => ids.every((id) => statusesOf(id).includes('assigned')), { what: 'the assignments from the outbox' });
      await handled();
      for (const id of ids) expect(changesOf(id)).toEqual([{ status: 'received', sequence: 1 }, { status: 'triage', sequence: 2 }, { status: 'assigned', sequence: 3 }]);
      expect(await outboxRows()).toBe(0);
    });
  });

  describe('concurrent writers of one complaint', () => {
    it('should store every follow-up and every status in a gap-free sequence while admin, officer and citizen write at once, 100 rounds', async () => {
      const registration = app.get(ComplaintRegistrationService);
      const adminQueue = app.get(AdminQueueService);
      const records = app.get(ComplaintRecordService);
      const sender = '6123400100';
      const first = inbound({ text: 'Tolong, jalan di depan rumah kami rusak berat sudah lama', senderId: sender, channel: 'telegram' });
      const id = await registration.handleInbound(first);
      expect(id).toBe(first.payload.trackingId);
      const rounds = 100;
      const failures: unknown[] = [];
      for (let i = 0; i < rounds; i++) {
        const results = await Promise.allSettled([
          // The citizen's follow-up names the place: it re-routes the complaint if it is in triage when it gets the lock.
          registration.handleInbound(inbound({ text: `Lokasinya di Desa Sukamaju, Kecamatan Cibadak, Kabupaten Sukabumi (pesan ${i})`, senderId: sender, channel: 'telegram' })),
          adminQueue.assign(id, { code: '32.04', by: `admin ${i}` }),
          // Officer-like: the body returns it (returned, then back to triage), through the method the desk's actions use.
          records.change(id, id, async (c) => {
            await c.setStatus('returned', `dikembalikan ${i}`);
            await c.setStatus('triage', 'Perlu verifikasi admin', { assignmentKind: 'triage', assignmentCode: null, assignmentName: 'Verifikasi admin', assignmentUnit: null });
          }),
        ]);
        failures.push(...results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : [])));
      }
      expect(failures).toEqual([]);

      expect(await sql('SELECT count(*)::int AS n FROM complaint_messages WHERE tracking_id = $1', [id])).toEqual([{ n: rounds + 1 }]);
      const history: { sequence: number; status: string; note: string | null }[] = await sql('SELECT sequence, status, note FROM complaint_status_changes WHERE tracking_id = $1 ORDER BY sequence', [id]);
      expect(history.map((h) => h.sequence)).toEqual(history.map((_, i) => i + 1));
      expect(history.filter((h) => h.note?.startsWith('Ditetapkan oleh admin'))).toHaveLength(rounds);
      expect(history.filter((h) => h.status === 'returned')).toHaveLength(rounds);
      const rerouted = history.filter((h) => h.status === 'assigned' && h.note === 'Kabupaten Sukabumi');
      expect(rerouted.length).toBeGreaterThan(0);
      // Each change decided on the status it saw under the lock: a follow-up re-routes only a complaint in triage.
      expect(rerouted.map((r) => history[r.sequence - 2].status)).toEqual(rerouted.map(() => 'triage'));
      expect(history).toHaveLength(2 + rounds + 2 * rounds + rerouted.length);

      // Every stored status announced exactly once, each naming the status before it.
      await waitFor(() => changesOf(id).length >= history.length, { what: `${history.length} status changes` });
      await handled();
      const announced = events(Topics.complaintStatusChanged).filter((e) => e.payload.trackingId === id).map((e) => e.payload);
      expect(announced.map((e) => e.sequence)).toEqual(history.map((h) => h.sequence));
      expect(announced.map((e) => e.status)).toEqual(history.map((h) => h.status));
      expect(announced.slice(1).map((e) => e.previousStatus)).toEqual(history.slice(0, -1).map((h) => h.status));
      expect(registrationsOf(id)).toHaveLength(1);
    }, 300_000);
  });
});
