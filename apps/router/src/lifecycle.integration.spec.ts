import { randomUUID } from 'node:crypto';
import {
  Actor,
  AgencyComplaintView,
  ComplaintAction,
  ComplaintInbound,
  ComplaintInboundPayload,
  ComplaintStatus,
  ChannelCommand,
  CommandName,
  trackingIdFor,
} from '@lapor/contracts';
import { RouterHarness } from '../../../test/support/router-harness';
import { waitFor } from '../../../test/support/wait-for';

const admin: Actor = { kind: 'officer', officerId: 'adm-1', role: 'national-admin', displayName: 'Siti Admin Nasional' };
const liaison: Actor = { kind: 'officer', officerId: 'lia-3273', role: 'liaison', bodyCode: '32.73', displayName: 'Budi Penghubung Kota Bandung' };
const officer: Actor = { kind: 'officer', officerId: 'off-3273', role: 'officer', bodyCode: '32.73', unit: 'Dinas Sumber Daya Air dan Bina Marga', displayName: 'Rina Petugas DSDABM' };
const reporter: Actor = { kind: 'reporter' };
const system: Actor = { kind: 'system', reason: 'batas waktu keberatan berakhir' };
const BANDUNG = 'Jalan rusak di Kota Bandung dekat alun-alun, tolong diperbaiki';
const TRIAGE = 'Tolong perbaiki jalan yang rusak parah di depan rumah saya';

/**
 * The lifecycle in the record's owner, on the real PostgreSQL, through the router's
 * internal action API as the desk calls it: every action's happy path and a refused one,
 * version conflicts, idempotent retries, return → re-routing, merge, and the agency view.
 */
describe('router: the complaint lifecycle', () => {
  const router = new RouterHarness();
  const { bus, changes, replies } = router;

  beforeAll(() => router.start(), 60_000);
  afterAll(() => router.stop());

  const http = () => router.http();
  const statusesOf = (id: string) => router.statusesOf(id);
  /** A web complaint, registered and routed (assigned or triage). */
  const register = (text = BANDUNG, over: Partial<ComplaintInboundPayload> = {}) => router.register(text, over);
  const act = (...a: Parameters<RouterHarness['act']>) => router.act(...a);
  const ok = (...a: Parameters<RouterHarness['ok']>) => router.ok(...a);

  /** The actions that bring a fresh Kota Bandung complaint (assigned) to `status`. */
  const PATHS: Partial<Record<ComplaintStatus, [ComplaintAction, Actor][]>> = {
    assigned: [],
    accepted: [[{ action: 'accept' }, liaison]],
    disposed: [[{ action: 'accept' }, liaison], [{ action: 'dispose', unit: 'Dinas Sumber Daya Air dan Bina Marga' }, liaison]],
    in_progress: [[{ action: 'accept' }, liaison], [{ action: 'dispose', unit: 'Dinas Sumber Daya Air dan Bina Marga' }, liaison], [{ action: 'start' }, officer]],
  };
  PATHS.waiting_info = [...PATHS.in_progress!, [{ action: 'request-info', question: 'Di RT berapa tepatnya?' }, officer]];
  PATHS.responded = [...PATHS.in_progress!, [{ action: 'respond', response: 'Jalan sudah ditambal pada 3 Maret.' }, officer]];
  PATHS.reopened = [...PATHS.responded, [{ action: 'object', reason: 'Masih berlubang' }, reporter]];
  PATHS.closed = [...PATHS.responded, [{ action: 'close' }, reporter]];

  async function reach(status: ComplaintStatus): Promise<string> {
    if (status === 'triage') return register(TRIAGE);
    const id = await register();
    for (const [action, actor] of PATHS[status]!) await ok(id, action, actor);
    return id;
  }

  describe('every action', () => {
    // [action, from, actor, expected status, what else the answer must show]
    const happy: [ComplaintAction, ComplaintStatus, Actor, ComplaintStatus, (v: AgencyComplaintView) => void][] = [
      [{ action: 'assign', body: '32.04', unit: 'Dinas PUTR' }, 'triage', admin, 'assigned', (v) => expect(v.assignment).toEqual({ kind: 'kabupaten', code: '32.04', name: 'Kabupaten Bandung', unit: 'Dinas PUTR' })],
      [{ action: 'accept' }, 'assigned', liaison, 'accepted', (v) => expect(v.timeline.at(-1)!.actor).toEqual({ kind: 'officer', role: 'liaison', displayName: 'Budi Penghubung Kota Bandung', bodyCode: '32.73' })],
      [{ action: 'forward', body: '32', reason: 'Jalan provinsi' }, 'accepted', liaison, 'assigned', (v) => expect(v.assignment).toMatchObject({ kind: 'province', code: '32', unit: null })],
      [{ action: 'dispose', unit: 'Dinas Sumber Daya Air dan Bina Marga' }, 'accepted', liaison, 'disposed', (v) => expect(v.assignment?.unit).toBe('Dinas Sumber Daya Air dan Bina Marga')],
      [{ action: 'start' }, 'disposed', officer, 'in_progress', () => undefined],
      [{ action: 'request-info', question: 'Di RT berapa tepatnya?' }, 'in_progress', officer, 'waiting_info', (v) => expect(v.timeline.at(-1)!.reporterMessage).toBe('Di RT berapa tepatnya?')],
      [{ action: 'provide-info', text: 'RT 03 RW 05, depan masjid' }, 'waiting_info', reporter, 'in_progress', (v) => expect(v.messages.at(-1)!.text).toBe('RT 03 RW 05, depan masjid')],
      [{ action: 'respond', response: 'Sudah ditambal.' }, 'in_progress', officer, 'responded', (v) => expect(v.timeline.at(-1)!.reporterMessage).toBe('Sudah ditambal.')],
      [{ action: 'object', reason: 'Masih berlubang' }, 'responded', reporter, 'reopened', (v) => expect(v.timeline.at(-1)).toMatchObject({ note: 'Masih berlubang', actor: { kind: 'reporter' } })],
      [{ action: 'close' }, 'responded', reporter, 'closed', (v) => expect(v.timeline.at(-1)!.closedBy).toBe('reporter')],
      [{ action: 'close' }, 'responded', system, 'closed', (v) => expect(v.timeline.at(-1)!.closedBy).toBe('system')],
      [{ action: 'close', note: 'Duplikat lama' }, 'accepted', liaison, 'closed', (v) => expect(v.timeline.at(-1)!.closedBy).toBe('admin')],
      [{ action: 'archive', reason: 'unclear' }, 'assigned', liaison, 'archived', (v) => expect(v.timeline.at(-1)).toMatchObject({ archiveReason: 'unclear', closedBy: 'admin' })],
      [{ action: 'classify', submissionType: 'aspiration' }, 'in_progress', officer, 'in_progress', (v) => expect(v.submissionType).toBe('aspiration')],
    ];
    it.each(happy)('should apply %o from %s by the right actor', async (action, from, actor, to, check) => {
      const id = await reach(from);
      const before = AgencyComplaintView.parse((await http().get(`/internal/v1/agency/complaints/${id}`).expect(200)).body);
      const view = await ok(id, action, actor);
      expect(view.status).toBe(to);
      expect(view.version).toBe(before.version + 1);
      check(view);
      if (action.action !== 'classify') {
        const event = await waitFor(() => changes.find((c) => c.trackingId === id && c.sequence === view.timeline.at(-1)!.sequence));
        expect(event).toMatchObject({ status: to, version: view.version, actor: { kind: actor.kind } });
        expect(JSON.stringify(event)).not.toMatch(/Budi|Rina|Siti|adm-1|lia-3273|off-3273/); // the bus reaches citizens' channels: never an official's name or id
      } else {
        expect(view.timeline).toHaveLength(before.timeline.length);
      }
    });

    // [action, from, actor, why it is refused]
    const refused: [ComplaintAction, ComplaintStatus, Actor, RegExp][] = [
      [{ action: 'assign', body: '32.04' }, 'triage', liaison, /tidak boleh dilakukan oleh Pejabat penghubung/],
      [{ action: 'accept' }, 'accepted', liaison, /berstatus "Diterima instansi"/],
      [{ action: 'return', reason: 'bukan kami' }, 'disposed', liaison, /Didisposisikan/],
      [{ action: 'forward', body: '32', reason: 'x' }, 'waiting_info', liaison, /Menunggu kelengkapan/],
      [{ action: 'dispose', unit: 'Dinas X' }, 'assigned', liaison, /Diteruskan ke instansi/],
      [{ action: 'start' }, 'accepted', officer, /Diterima instansi/],
      [{ action: 'request-info', question: 'Apa?' }, 'waiting_info', officer, /Menunggu kelengkapan/],
      [{ action: 'provide-info', text: 'ini' }, 'waiting_info', officer, /tidak boleh dilakukan oleh Petugas unit kerja/],
      [{ action: 'respond', response: 'x' }, 'waiting_info', officer, /Menunggu kelengkapan/],
      [{ action: 'object' }, 'in_progress', reporter, /Sedang ditindaklanjuti/],
      [{ action: 'close' }, 'in_progress', reporter, /setelah ditanggapi/],
      [{ action: 'archive', reason: 'unclear' }, 'closed', admin, /Selesai/],
      [{ action: 'merge', into: trackingIdFor('web', 'never-registered') }, 'closed', liaison, /Selesai/],
      [{ action: 'classify', submissionType: 'aspiration' }, 'closed', officer, /Selesai/],
    ];
    it.each(refused)('should refuse %o from %s with 409 and the reason, changing nothing', async (action, from, actor, reason) => {
      const id = await reach(from);
      const before = (await http().get(`/internal/v1/agency/complaints/${id}`).expect(200)).body;
      const res = await act(id, action, actor).expect(409);
      expect(res.body.message).toMatch(reason);
      expect((await http().get(`/internal/v1/agency/complaints/${id}`).expect(200)).body).toEqual(before);
    });
  });

  describe('escalate (a missed deadline, from the desk\'s scheduler)', () => {
    const dueAt = '2026-12-07T23:59:59.999+07:00';
    const escalate = (stage: 'acceptance' | 'follow-up' | 'verification', escalatedTo = 'Pejabat penghubung Provinsi Jawa Barat'): ComplaintAction => ({ action: 'escalate', stage, dueAt, escalatedTo });

    it('should keep the status, flag the stage overdue, add the timeline entry and publish it once; the flag goes when the stage ends', async () => {
      const id = await reach('assigned');
      const before = AgencyComplaintView.parse((await http().get(`/internal/v1/agency/complaints/${id}`).expect(200)).body);
      const first = await act(id, escalate('acceptance'), system, { idempotencyKey: `deadline:${id}:acceptance` }).expect(200);
      const again = await act(id, escalate('acceptance'), system, { idempotencyKey: `deadline:${id}:acceptance` }).expect(200);
      const view = AgencyComplaintView.parse(first.body);
      expect(again.body).toEqual(first.body);
      expect(view.status).toBe('assigned');
      expect(view.version).toBe(before.version + 1);
      expect(view.timeline).toHaveLength(before.timeline.length + 1);
      expect(view.timeline.at(-1)).toMatchObject({
        status: 'assigned',
        note: 'Tenggat penerimaan oleh instansi terlewati; dieskalasi ke Pejabat penghubung Provinsi Jawa Barat',
        actor: { kind: 'system' },
        escalation: { stage: 'acceptance', dueAt, escalatedTo: 'Pejabat penghubung Provinsi Jawa Barat' },
      });
      expect(view.overdue).toEqual([expect.objectContaining({ stage: 'acceptance', dueAt, escalatedTo: 'Pejabat penghubung Provinsi Jawa Barat' })]);
      const event = await waitFor(() => changes.find((c) => c.trackingId === id && c.sequence === view.timeline.at(-1)!.sequence));
      expect(event).toMatchObject({ status: 'assigned', previousStatus: 'assigned', escalation: { stage: 'acceptance', dueAt }, actor: { kind: 'system' } });
      expect(changes.filter((c) => c.trackingId === id && c.escalation)).toHaveLength(1);

      const accepted = await ok(id, { action: 'accept' }, liaison);
      expect(accepted.overdue).toEqual([]);
      expect(accepted.timeline.some((t) => t.escalation?.stage === 'acceptance')).toBe(true); // the lateness stays in the timeline
    });

    it('should publish a follow-up escalation (the Ombudsman offer reacts to it) and keep other stages\' flags apart', async () => {
      const id = await reach('in_progress');
      const view = await ok(id, escalate('follow-up', 'Pejabat penghubung Kota Bandung'), system);
      expect(view.overdue?.map((o) => o.stage)).toEqual(['follow-up']);
      await waitFor(() => changes.find((c) => c.trackingId === id && c.escalation?.stage === 'follow-up'), { what: 'follow-up escalation published' });
      const responded = await ok(id, { action: 'respond', response: 'Sudah ditambal.' }, officer);
      expect(responded.overdue).toEqual([]);
    });

    it.each([
      [escalate('acceptance'), 'assigned', liaison, /tidak boleh dilakukan oleh Pejabat penghubung/],
      [escalate('follow-up'), 'assigned', system, /Tahap tindak lanjut sudah selesai/],
      [escalate('verification'), 'closed', system, /Selesai/],
    ] as [ComplaintAction, ComplaintStatus, Actor, RegExp][])('should refuse %o on %s by %o with 409, changing nothing', async (action, from, actor, reason) => {
      const id = await reach(from);
      const before = (await http().get(`/internal/v1/agency/complaints/${id}`).expect(200)).body;
      expect((await act(id, action, actor).expect(409)).body.message).toMatch(reason);
      expect((await http().get(`/internal/v1/agency/complaints/${id}`).expect(200)).body).toEqual(before);
    });
  });

  describe('the request', () => {
    it('should answer 400 for a bad body, naming the field, and for an unknown body code', async () => {
      const id = await register();
      const missing = await http().post(`/internal/v1/complaints/${id}/actions`).send({ action: { action: 'accept' } }).expect(400);
      expect(missing.body.fields).toHaveProperty('actor');
      await http().post(`/internal/v1/complaints/${id}/actions`).send({ action: { action: 'terbang' }, actor: liaison }).expect(400);
      await http().post(`/internal/v1/complaints/${id}/actions`).send({ action: { action: 'respond', response: '   ' }, actor: officer }).expect(400);
      await http().post(`/internal/v1/complaints/${id}/actions`).set('Content-Type', 'application/json').send('{"action":').expect(400);
      await ok(id, { action: 'accept' }, liaison);
      const unknown = await act(id, { action: 'forward', body: '99.99', reason: 'x' }, liaison).expect(400);
      expect(unknown.body.message).toMatch(/99\.99/);
    });

    it('should answer 404 for an unknown or mistyped tracking id', async () => {
      const unknown = trackingIdFor('web', `nobody-${randomUUID()}`);
      await act(unknown, { action: 'accept' }, liaison).expect(404);
      await act(unknown.slice(0, 10) + (unknown[10] === 'A' ? 'B' : 'A'), { action: 'accept' }, liaison).expect(404);
      await http().get(`/internal/v1/agency/complaints/${unknown}`).expect(404);
      await http().get(`/internal/v1/complaints/${unknown}/reporter`).query({ officer: 'adm-1', reason: 'uji' }).expect(404);
    });

    it('should refuse a stale expectedVersion with 409, so a colleague\'s change is never overwritten', async () => {
      const id = await register();
      const v0 = (await http().get(`/internal/v1/agency/complaints/${id}`).expect(200)).body.version;
      await act(id, { action: 'accept' }, liaison, { expectedVersion: v0 }).expect(200);
      const stale = await act(id, { action: 'dispose', unit: 'Dinas X' }, liaison, { expectedVersion: v0 }).expect(409);
      expect(stale.body.message).toMatch(/diubah/);
      await act(id, { action: 'dispose', unit: 'Dinas X' }, liaison, { expectedVersion: v0 + 1 }).expect(200);
    });

    it('should let exactly one of two officers acting at once on the same version win', async () => {
      const id = await reach('accepted');
      const v = (await http().get(`/internal/v1/agency/complaints/${id}`).expect(200)).body.version;
      const answers = await Promise.all([
        act(id, { action: 'dispose', unit: 'Dinas A' }, liaison, { expectedVersion: v }),
        act(id, { action: 'respond', response: 'Langsung ditanggapi' }, officer, { expectedVersion: v }),
      ]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
      const view = (await http().get(`/internal/v1/agency/complaints/${id}`).expect(200)).body as AgencyComplaintView;
      expect(view.timeline.map((t) => t.sequence)).toEqual(view.timeline.map((_, i) => i + 1));
    });

    it('should apply a retried action (same idempotency key) once and answer the same', async () => {
      const id = await reach('in_progress');
      const first = await act(id, { action: 'respond', response: 'Sudah diperbaiki.' }, officer, { idempotencyKey: 'form-123' }).expect(200);
      const again = await act(id, { action: 'respond', response: 'Sudah diperbaiki.' }, officer, { idempotencyKey: 'form-123' }).expect(200);
      expect(again.body.version).toBe(first.body.version);
      expect(again.body.timeline.filter((t: { status: string }) => t.status === 'responded')).toHaveLength(1);
    });
  });

  describe('return and re-routing', () => {
    it('should re-route a returned complaint without the returning bodies, recording both steps, and end in triage when no body is left', async () => {
      const id = await register('Pelayanan paspor di kantor imigrasi Kota Bandung lambat, juga KTP di Disdukcapil');
      const imigrasi: Actor = { kind: 'officer', officerId: 'lia-imi', role: 'liaison', bodyCode: 'ditjen-imigrasi' };
      const start = AgencyComplaintView.parse((await http().get(`/internal/v1/agency/complaints/${id}`).expect(200)).body);
      expect(start.assignment).toMatchObject({ code: 'ditjen-imigrasi' });

      const first = await ok(id, { action: 'return', reason: 'KTP bukan urusan imigrasi' }, imigrasi);
      expect(first.timeline.slice(-2).map((t) => t.status)).toEqual(['returned', 'assigned']);
      expect(first.timeline.at(-2)).toMatchObject({ note: 'KTP bukan urusan imigrasi', actor: { kind: 'officer', role: 'liaison', bodyCode: 'ditjen-imigrasi' } });
      expect(first.assignment).toMatchObject({ kind: 'kota', code: '32.73' });
      expect(first.decision!.evidence.at(-1)!.detail).toMatch(/dikembalikan oleh Direktorat Jenderal Imigrasi/);
      expect(first.version).toBe(start.version + 1);

      const second = await ok(id, { action: 'return', reason: 'Paspor urusan imigrasi' }, liaison);
      expect(second.timeline.slice(-2).map((t) => t.status)).toEqual(['returned', 'triage']);
      expect(second.assignment).toMatchObject({ kind: 'triage' });
      expect(second.decision!.alternatives.map((a) => a.code)).not.toContain('ditjen-imigrasi');
      expect(second.decision!.alternatives.map((a) => a.code)).not.toContain('32.73');
      await waitFor(() => statusesOf(id).filter((s) => s === 'returned').length === 2 && statusesOf(id).at(-1) === 'triage', { what: 'both returns announced' });
    });
  });

  describe('merge', () => {
    it('should merge into an open complaint of the same body, and refuse an unknown, closed or itself as the target', async () => {
      const target = await reach('accepted');
      const id = await reach('accepted');
      await act(id, { action: 'merge', into: trackingIdFor('web', `nobody-${randomUUID()}`) }, liaison).expect(404);
      await act(id, { action: 'merge', into: id }, liaison).expect(409);
      const closed = await reach('closed');
      expect((await act(id, { action: 'merge', into: closed }, liaison).expect(409)).body.message).toMatch(/sudah selesai|Selesai/);
      const other = await register('Pelayanan KTP di Disdukcapil Kota Malang sangat lambat');
      expect((await act(id, { action: 'merge', into: other }, liaison).expect(409)).body.message).toMatch(/instansi lain/);
      const view = await ok(id, { action: 'merge', into: target, note: 'Laporan yang sama' }, liaison);
      expect(view).toMatchObject({ status: 'merged', mergedInto: target });
      expect(view.timeline.at(-1)).toMatchObject({ status: 'merged', mergedInto: target });
      const citizen = (await http().get(`/internal/v1/complaints/${id}`).expect(200)).body;
      expect(citizen).toMatchObject({ status: 'merged', mergedInto: target });
    });
  });

  describe('what officials and citizens see', () => {
    const identity = { name: 'Dewi Kartikasari', email: 'dewi.kartika@example.com', phone: '+6281234509876' };

    it('should never put an Anonim reporter\'s name, e-mail or phone in the agency view, and show them otherwise', async () => {
      const anon = await register(BANDUNG, { anonymous: true, reporter: identity, replyTo: [{ channel: 'email', address: identity.email }] });
      const named = await register(BANDUNG, { anonymous: false, reporter: identity });
      const anonView = await http().get(`/internal/v1/agency/complaints/${anon}`).expect(200);
      expect(anonView.body.reporter).toBeNull();
      for (const value of Object.values(identity)) expect(anonView.text).not.toContain(value);
      const acted = await act(anon, { action: 'accept' }, liaison).expect(200); // the action's answer is agency-facing too
      for (const value of Object.values(identity)) expect(acted.text).not.toContain(value);
      const namedView = await http().get(`/internal/v1/agency/complaints/${named}`).expect(200);
      expect(namedView.body.reporter).toEqual(identity);
      // The national admin's reveal is the only way to the identity (the desk audits it).
      await http().get(`/internal/v1/complaints/${anon}/reporter`).query({ officer: 'adm-1' }).expect(400); // never without a reason
      expect((await http().get(`/internal/v1/complaints/${anon}/reporter`).query({ officer: 'adm-1', reason: 'Permintaan Ombudsman no. 12/2026' }).expect(200)).body).toEqual({ anonymous: true, reporter: identity });
    });

    it('should show the citizen the whole timeline with the body\'s messages, in the body\'s time zone, naming no official', async () => {
      const id = await reach('in_progress');
      await ok(id, { action: 'request-info', question: 'Di RT berapa tepatnya?' }, officer);
      await ok(id, { action: 'provide-info', text: 'RT 03' }, reporter);
      await ok(id, { action: 'respond', response: 'Jalan sudah ditambal.' }, officer);
      const res = await http().get(`/internal/v1/complaints/${id}`).expect(200);
      const view = res.body;
      expect(view.history.map((h: { status: string }) => h.status)).toEqual(['received', 'assigned', 'accepted', 'disposed', 'in_progress', 'waiting_info', 'in_progress', 'responded']);
      expect(view.history.find((h: { status: string }) => h.status === 'waiting_info').message).toBe('Di RT berapa tepatnya?');
      expect(view.history.at(-1).message).toBe('Jalan sudah ditambal.');
      expect(view.history.find((h: { status: string }) => h.status === 'disposed').handledBy).toBe('Kota Bandung, Dinas Sumber Daya Air dan Bina Marga');
      expect(view.timeZone).toEqual({ name: 'Asia/Jakarta', abbreviation: 'WIB' });
      for (const h of view.history) expect(h.at).toMatch(/\+07:00$/);
      expect(res.text).not.toMatch(/Budi|Rina|Siti|adm-1|lia-3273|off-3273|Penghubung|displayName|note/);
    });
  });

  describe('the reporter, by channel', () => {
    let phoneCounter = 0;
    const phone = () => `+62813${String(process.pid % 1000).padStart(3, '0')}${String(phoneCounter++).padStart(4, '0')}`;
    /** An SMS complaint from `from`, registered. */
    const smsComplaint = (from: string, text = BANDUNG, over: Partial<ComplaintInboundPayload> = {}) => {
      const sid = `SM${randomUUID().replace(/-/g, '')}`;
      return register(text, { channel: 'sms', channelMessageId: sid, trackingId: trackingIdFor('sms', sid), senderId: from, ...over });
    };
    const command = async (from: string, name: CommandName, argument: string, channel: 'sms' | 'telegram' = 'sms') => {
      const payload = ChannelCommand.payload.parse({ channel, channelMessageId: `SM${randomUUID()}`, senderId: from, command: name, argument, receivedAt: new Date().toISOString() });
      const event = ChannelCommand.create(payload, { correlationId: payload.channelMessageId });
      await bus.publish({ topic: ChannelCommand.topic, key: ChannelCommand.key(payload), value: JSON.stringify(event) });
      return { payload, event };
    };
    const replyTo = (channelMessageId: string) => waitFor(() => replies.find((r) => r.inReplyTo === channelMessageId), { what: `the reply to ${channelMessageId}` });
    const message = async (from: string, text: string, over: Partial<ComplaintInboundPayload> = {}) => {
      const sid = `SM${randomUUID().replace(/-/g, '')}`;
      const payload = ComplaintInbound.payload.parse({ trackingId: trackingIdFor('sms', sid), channel: 'sms', channelMessageId: sid, senderId: from, text, receivedAt: new Date().toISOString(), ...over });
      await bus.publish({ topic: ComplaintInbound.topic, key: ComplaintInbound.key(payload), value: JSON.stringify(ComplaintInbound.create(payload, { correlationId: payload.trackingId })) });
      return payload;
    };
    const view = async (id: string) => AgencyComplaintView.parse((await http().get(`/internal/v1/agency/complaints/${id}`).expect(200)).body);
    const toResponded = async (id: string) => {
      for (const [action, actor] of PATHS.responded!) await ok(id, action, actor);
    };

    it('should reopen the complaint on KEBERATAN from its reporter, with the reason, once even when the command comes twice', async () => {
      const from = phone();
      const id = await smsComplaint(from);
      await toResponded(id);
      const { event } = await command(from, 'object', `${id.slice(0, 5)}-${id.slice(5, 10)}-${id.slice(10)} lubangnya masih ada`);
      await waitFor(() => statusesOf(id).includes('reopened'), { what: 'reopened' });
      await bus.publish({ topic: ChannelCommand.topic, key: ChannelCommand.key(event.payload), value: JSON.stringify(event) }); // redelivered
      const marker = await command(from, 'status', id);
      await replyTo(marker.payload.channelMessageId);
      const v = await view(id);
      expect(v.status).toBe('reopened');
      expect(v.timeline.filter((t) => t.status === 'reopened')).toEqual([expect.objectContaining({ note: 'lubangnya masih ada', actor: { kind: 'reporter' } })]);
      expect(replies.find((r) => r.inReplyTo === event.payload.channelMessageId)).toBeUndefined(); // the status change is the answer
    });

    it('should close on SELESAI from its reporter, as closed by the reporter', async () => {
      const from = phone();
      const id = await smsComplaint(from);
      await toResponded(id);
      await command(from, 'confirm', id);
      await waitFor(() => statusesOf(id).includes('closed'), { what: 'closed' });
      expect((await view(id)).timeline.at(-1)).toMatchObject({ status: 'closed', closedBy: 'reporter' });
    });

    it('should answer anyone but the reporter exactly as for an unknown complaint, and change nothing', async () => {
      const from = phone();
      const id = await smsComplaint(from);
      await toResponded(id);
      const stranger = await command(phone(), 'object', `${id} bukan laporan saya`);
      const unknown = await command(phone(), 'object', trackingIdFor('sms', `unknown-${randomUUID()}`));
      const otherChannel = await command(from, 'confirm', id, 'telegram'); // same number, another channel: not the sender
      for (const c of [stranger, unknown, otherChannel]) expect((await replyTo(c.payload.channelMessageId)).result).toEqual({ outcome: 'not_found' });
      expect((await view(id)).status).toBe('responded');
    });

    it('should tell the reporter when the action is not possible yet, and answer a missing or mistyped id', async () => {
      const from = phone();
      const id = await smsComplaint(from);
      const early = await command(from, 'object', id);
      expect((await replyTo(early.payload.channelMessageId)).result).toEqual({ outcome: 'not_allowed', trackingId: id, status: 'assigned' });
      const missing = await command(from, 'confirm', '');
      expect((await replyTo(missing.payload.channelMessageId))).toMatchObject({ command: 'confirm', result: { outcome: 'missing' } });
      const typo = await command(from, 'confirm', id.slice(0, 10) + (id[10] === 'A' ? 'B' : 'A'));
      expect((await replyTo(typo.payload.channelMessageId)).result).toEqual({ outcome: 'mistyped' });
    });

    it('should let the web reporter act by SMS from the phone they gave on the form', async () => {
      const from = phone();
      const id = await register(BANDUNG, { reporter: { phone: `0${from.slice(3)}` }, replyTo: [{ channel: 'sms', address: `0${from.slice(3)}` }] });
      await toResponded(id);
      await command(from, 'confirm', id);
      await waitFor(() => statusesOf(id).includes('closed'), { what: 'closed by SMS from the form\'s phone' });
    });

    it('should thread the reporter\'s next SMS into the complaint waiting for information, whatever the follow-up window, and return it to the officer', async () => {
      const from = phone();
      const id = await smsComplaint(from, BANDUNG, { receivedAt: new Date(Date.now() - 86_400_000).toISOString() });
      for (const [action, actor] of PATHS.waiting_info!) await ok(id, action, actor);
      const answer = await message(from, 'Di RT 03 RW 05, depan masjid Al-Ikhlas');
      await waitFor(() => statusesOf(id).at(-1) === 'in_progress', { what: 'back to the officer' });
      const v = await view(id);
      expect(v.messages.map((m) => m.text)).toEqual([BANDUNG, answer.text]);
      expect(v.timeline.at(-1)).toMatchObject({ status: 'in_progress', note: answer.text, actor: { kind: 'reporter' } });
      // The next message is no answer any more: within the follow-up window it only joins the complaint.
      await message(from, 'Foto menyusul besok pagi');
      await waitFor(async () => (await view(id)).messages.length === 3, { what: 'the follow-up stored' });
      expect(statusesOf(id).filter((s) => s === 'in_progress')).toHaveLength(2); // started, then answered: nothing more
    });

    it('should honour threadTo only for a web complaint waiting for information', async () => {
      const web = await reach('waiting_info');
      const answer = await message('thread:x', 'RT 03 RW 05', { channel: 'web', channelMessageId: `info:${randomUUID()}`, senderId: `thread:${web}`, threadTo: web });
      await waitFor(() => statusesOf(web).at(-1) === 'in_progress', { what: 'the web answer threaded' });
      expect((await view(web)).messages.at(-1)!.text).toBe(answer.text);

      const from = phone();
      const sms = await smsComplaint(from);
      for (const [action, actor] of PATHS.waiting_info!) await ok(sms, action, actor);
      const forged = await message('thread:y', 'Saya bukan pelapornya tetapi tahu nomornya', { channel: 'web', channelMessageId: `info:${randomUUID()}`, senderId: `thread:${sms}`, threadTo: sms });
      await waitFor(() => statusesOf(forged.trackingId).length >= 2, { what: 'handled as a complaint of its own' });
      expect((await view(sms)).status).toBe('waiting_info');
    });
  });
});
