import { randomUUID } from 'node:crypto';
import {
  Actor,
  AgencyComplaintView,
  ChannelCommand,
  CommandName,
  ComplaintAction,
  ComplaintInboundPayload,
  ComplaintStatus,
  ComplaintView,
  DeadlineStage,
  trackingIdFor,
} from '@lapor/contracts';
import { RouterHarness } from '../../../test/support/router-harness';
import { waitFor } from '../../../test/support/wait-for';

const liaison: Actor = { kind: 'officer', officerId: 'lia-3273', role: 'liaison', bodyCode: '32.73', displayName: 'Budi Penghubung Kota Bandung' };
const officer: Actor = { kind: 'officer', officerId: 'off-3273', role: 'officer', bodyCode: '32.73', unit: 'Dinas Sumber Daya Air dan Bina Marga', displayName: 'Rina Petugas DSDABM' };
const reporter: Actor = { kind: 'reporter' };
const scheduler: Actor = { kind: 'system', reason: 'penjadwal tenggat' };
const BANDUNG = 'Jalan rusak di Kota Bandung dekat alun-alun, tolong diperbaiki';

/**
 * Forwarding to Ombudsman RI in the record's owner (issue 10, docs/ombudsman.md), on the real
 * PostgreSQL: who may forward when (the eligibility matrix), the offer, the reporter's
 * command from the right and the wrong sender, idempotency, and what the Ombudsman receives
 * (identity only as the reporter allowed).
 */
describe('router: forwarding to Ombudsman RI', () => {
  const router = new RouterHarness();
  const { bus, changes, replies, escalated } = router;

  beforeAll(() => router.start(), 60_000);
  afterAll(() => router.stop());

  const http = () => router.http();
  let phoneCounter = 0;
  const phone = () => `+62814${String(process.pid % 1000).padStart(3, '0')}${String(phoneCounter++).padStart(4, '0')}`;
  const register = (over: Partial<ComplaintInboundPayload> = {}) => router.register(BANDUNG, over);
  const smsComplaint = (from: string, over: Partial<ComplaintInboundPayload> = {}) => {
    const sid = `SM${randomUUID().replace(/-/g, '')}`;
    return register({ channel: 'sms', channelMessageId: sid, trackingId: trackingIdFor('sms', sid), senderId: from, ...over });
  };
  const act = (...a: Parameters<RouterHarness['act']>) => router.act(...a);
  const ok = (...a: Parameters<RouterHarness['ok']>) => router.ok(...a);
  const escalate = (id: string, stage: DeadlineStage) => ok(id, { action: 'escalate', stage, dueAt: new Date(Date.now() - 3_600_000).toISOString(), escalatedTo: 'Pejabat penghubung Kota Bandung' }, scheduler);
  const view = async (id: string) => AgencyComplaintView.parse((await http().get(`/internal/v1/agency/complaints/${id}`).expect(200)).body);
  const citizen = async (id: string) => ComplaintView.parse((await http().get(`/internal/v1/complaints/${id}`).expect(200)).body);

  const IN_PROGRESS: [ComplaintAction, Actor][] = [[{ action: 'accept' }, liaison], [{ action: 'dispose', unit: 'Dinas Sumber Daya Air dan Bina Marga' }, liaison], [{ action: 'start' }, officer]];
  const RESPONDED: [ComplaintAction, Actor][] = [...IN_PROGRESS, [{ action: 'respond', response: 'Jalan sudah ditambal pada 3 Maret.' }, officer]];
  /** How each case gets where it is: the steps after registration. */
  const SETUPS: Record<string, (id: string) => Promise<unknown>> = {
    'in progress, on time': async (id) => { for (const [a, by] of IN_PROGRESS) await ok(id, a, by); },
    'acceptance overdue only': async (id) => { await escalate(id, 'acceptance'); for (const [a, by] of IN_PROGRESS) await ok(id, a, by); },
    'follow-up overdue': async (id) => { for (const [a, by] of IN_PROGRESS) await ok(id, a, by); await escalate(id, 'follow-up'); },
    'first response overdue, then responded': async (id) => { await ok(id, { action: 'accept' }, liaison); await escalate(id, 'first-response'); for (const [a, by] of RESPONDED.slice(1)) await ok(id, a, by); },
    'closed while objecting': async (id) => { for (const [a, by] of RESPONDED) await ok(id, a, by); await ok(id, { action: 'object', reason: 'Masih berlubang' }, reporter); await ok(id, { action: 'close', note: 'Sudah sesuai SOP' }, liaison); },
    'closed satisfied': async (id) => { for (const [a, by] of RESPONDED) await ok(id, a, by); await ok(id, { action: 'close' }, reporter); },
    'closed after a second response to an objection': async (id) => { for (const [a, by] of RESPONDED) await ok(id, a, by); await ok(id, { action: 'object' }, reporter); await ok(id, { action: 'start' }, officer); await ok(id, { action: 'respond', response: 'Sudah diaspal ulang.' }, officer); await ok(id, { action: 'close' }, scheduler); },
    'archived after the follow-up was overdue': async (id) => { for (const [a, by] of IN_PROGRESS) await ok(id, a, by); await escalate(id, 'follow-up'); await ok(id, { action: 'archive', reason: 'unclear' }, liaison); },
  };
  // [case, forwarded?, status afterwards, the reason (forwarded) or part of the refusal]
  const MATRIX: [string, boolean, ComplaintStatus, string][] = [
    ['in progress, on time', false, 'in_progress', 'belum melewati batas waktu tindak lanjut'],
    ['acceptance overdue only', false, 'in_progress', 'belum melewati batas waktu tindak lanjut'],
    ['follow-up overdue', true, 'in_progress', 'follow-up-overdue'],
    ['first response overdue, then responded', true, 'responded', 'follow-up-overdue'],
    ['closed while objecting', true, 'closed', 'closed-while-objecting'],
    ['closed satisfied', false, 'closed', 'ditutup tanpa keberatan'],
    ['closed after a second response to an objection', false, 'closed', 'ditutup tanpa keberatan'],
    ['archived after the follow-up was overdue', false, 'archived', 'Diarsipkan'],
  ];

  it.each(MATRIX)('%s: forwarded = %s', async (name, forwarded, status, why) => {
    const id = await register();
    await SETUPS[name](id);
    const before = await view(id);
    expect(before.status).toBe(status);
    expect((await citizen(id)).ombudsmanAvailable).toBe(forwarded);
    const res = await act(id, { action: 'forward-ombudsman', note: 'Sudah dua bulan tanpa kabar' }, reporter, { idempotencyKey: `web:${randomUUID()}` });
    if (!forwarded) {
      expect(res.status).toBe(409);
      expect(JSON.stringify(res.body)).toContain(why);
      expect((await view(id)).version).toBe(before.version);
      expect(escalated.filter((e) => e.trackingId === id)).toEqual([]);
      return;
    }
    expect(res.status).toBe(200);
    const after = AgencyComplaintView.parse(res.body);
    expect(after.status).toBe(status); // no status change
    expect(after.forwardedToOmbudsmanAt).toEqual(expect.any(String));
    expect(after.timeline.at(-1)).toMatchObject({ status, event: 'forwarded-ombudsman', label: 'Diteruskan ke Ombudsman RI', note: 'Sudah dua bulan tanpa kabar', actor: { kind: 'reporter' } });
    const event = await waitFor(() => escalated.find((e) => e.trackingId === id), { what: `complaint.escalated of ${id}` });
    expect(event).toMatchObject({ escalationId: `${id}:ombudsman`, reason: why, reporterNote: 'Sudah dua bulan tanpa kabar', agency: { code: '32.73', name: 'Kota Bandung' }, complaint: { text: BANDUNG, channel: 'web', status } });
    expect(event.timeline.map((t) => t.sequence)).toEqual(after.timeline.map((t) => t.sequence));
    expect(event.missedDeadlines.map((d) => d.stage)).toEqual(why === 'follow-up-overdue' ? [name.startsWith('first') ? 'first-response' : 'follow-up'] : []);
    const c = await citizen(id);
    expect(c.forwardedToOmbudsmanAt).toEqual(expect.any(String));
    expect(c.history.at(-1)).toMatchObject({ event: 'forwarded-ombudsman', label: 'Diteruskan ke Ombudsman RI' });
    expect(c.ombudsmanAvailable).toBe(false);
    // Once: a second forward is refused with the reason.
    const again = await act(id, { action: 'forward-ombudsman' }, reporter, { idempotencyKey: `web:${randomUUID()}` });
    expect(again.status).toBe(409);
    expect(JSON.stringify(again.body)).toContain('sudah diteruskan ke Ombudsman RI');
  });

  it('should offer Ombudsman RI once with the first missed follow-up, record every escalation, and never change the status', async () => {
    const id = await register();
    await escalate(id, 'acceptance');
    for (const [a, by] of IN_PROGRESS) await ok(id, a, by);
    const first = await escalate(id, 'follow-up');
    const second = await escalate(id, 'follow-up');
    expect(second.status).toBe('in_progress');
    expect(second.timeline.filter((t) => t.event === 'escalated').map((t) => t.escalation?.stage)).toEqual(['acceptance', 'follow-up', 'follow-up']);
    expect(first.timeline.at(-1)).toMatchObject({ status: 'in_progress', label: 'Tenggat terlewati, dieskalasi', actor: { kind: 'system' }, note: expect.stringContaining('tindak lanjut') });
    const events = await waitFor(() => { const e = changes.filter((c) => c.trackingId === id && c.escalation); return e.length === 3 ? e : undefined; }, { what: 'three escalated events' });
    expect(events.map((e) => [e.status, e.previousStatus, e.escalation?.stage, e.ombudsmanOffer ?? false])).toEqual([
      ['assigned', 'assigned', 'acceptance', false],
      ['in_progress', 'in_progress', 'follow-up', true],
      ['in_progress', 'in_progress', 'follow-up', false],
    ]);
    // Only the scheduler escalates.
    const byOfficer = await act(id, { action: 'escalate', stage: 'follow-up', dueAt: new Date().toISOString(), escalatedTo: 'x' }, liaison);
    expect(byOfficer.status).toBe(409);
  });

  it('should offer Ombudsman RI with a close while the reporter objects, and not with a satisfied close', async () => {
    const objecting = await register();
    await SETUPS['closed while objecting'](objecting);
    const satisfied = await register();
    await SETUPS['closed satisfied'](satisfied);
    const closed = (id: string) => waitFor(() => changes.find((c) => c.trackingId === id && c.status === 'closed'), { what: `${id} closed` });
    expect(await closed(objecting)).toMatchObject({ closedBy: 'admin', ombudsmanOffer: true });
    expect((await closed(satisfied)).ombudsmanOffer).toBeUndefined();
  });

  describe('the reporter, by channel command', () => {
    const command = async (from: string, name: CommandName, argument: string, channel: 'sms' | 'telegram' = 'sms') => {
      const payload = ChannelCommand.payload.parse({ channel, channelMessageId: `SM${randomUUID()}`, senderId: from, command: name, argument, receivedAt: new Date().toISOString() });
      const event = ChannelCommand.create(payload, { correlationId: payload.channelMessageId });
      await bus.publish({ topic: ChannelCommand.topic, key: ChannelCommand.key(payload), value: JSON.stringify(event) });
      return { payload, event };
    };
    const replyTo = (channelMessageId: string) => waitFor(() => replies.find((r) => r.inReplyTo === channelMessageId), { what: `the reply to ${channelMessageId}` });

    it('should forward on OMBUDSMAN from its reporter once, even when the command is redelivered or sent again', async () => {
      const from = phone();
      const id = await smsComplaint(from);
      await SETUPS['follow-up overdue'](id);
      const { event } = await command(from, 'ombudsman', `${id.slice(0, 5)}-${id.slice(5, 10)}-${id.slice(10)} sudah dua bulan`);
      const forwarded = await waitFor(() => escalated.find((e) => e.trackingId === id), { what: 'forwarded' });
      expect(forwarded).toMatchObject({ reporterNote: 'sudah dua bulan', complaint: { channel: 'sms' } });
      await bus.publish({ topic: ChannelCommand.topic, key: ChannelCommand.key(event.payload), value: JSON.stringify(event) }); // redelivered
      const again = await command(from, 'ombudsman', id); // sent again
      expect(await replyTo(again.payload.channelMessageId)).toMatchObject({ command: 'ombudsman', result: { outcome: 'not_allowed', trackingId: id, reason: 'Laporan ini sudah diteruskan ke Ombudsman RI' } });
      const v = await view(id);
      expect(v.timeline.filter((t) => t.event === 'forwarded-ombudsman')).toHaveLength(1);
      expect(escalated.filter((e) => e.trackingId === id)).toHaveLength(1);
      expect(replies.find((r) => r.inReplyTo === event.payload.channelMessageId)).toBeUndefined(); // the timeline change is the answer
      expect(changes.filter((c) => c.trackingId === id && c.event === 'forwarded-ombudsman')).toEqual([expect.objectContaining({ actor: { kind: 'reporter' } })]);
    });

    it('should answer anyone but the reporter, and the reporter on another channel, as for an unknown complaint', async () => {
      const from = phone();
      const id = await smsComplaint(from);
      await SETUPS['follow-up overdue'](id);
      const stranger = await command(phone(), 'ombudsman', id);
      const otherChannel = await command(from, 'ombudsman', id, 'telegram');
      for (const c of [stranger, otherChannel]) expect(await replyTo(c.payload.channelMessageId)).toMatchObject({ command: 'ombudsman', result: { outcome: 'not_found' } });
      expect((await view(id)).forwardedToOmbudsmanAt).toBeNull();
    });

    it('should tell the reporter why when the complaint cannot be forwarded, and answer a mistyped id', async () => {
      const from = phone();
      const id = await smsComplaint(from);
      await SETUPS['in progress, on time'](id);
      const early = await command(from, 'ombudsman', id);
      expect(await replyTo(early.payload.channelMessageId)).toMatchObject({ result: { outcome: 'not_allowed', status: 'in_progress', reason: expect.stringContaining('belum melewati batas waktu') } });
      const typo = await command(from, 'ombudsman', id.slice(0, 10) + (id[10] === 'A' ? 'B' : 'A'));
      expect(await replyTo(typo.payload.channelMessageId)).toMatchObject({ result: { outcome: 'mistyped' } });
    });
  });

  describe('the reporter\'s identity, as they allowed it', () => {
    const reporterGiven = { name: 'Dewi Lestari', email: 'dewi@example.id', phone: '081234567890' };
    it.each([
      ['Anonim', { anonymous: true }, 'anonymous', null],
      ['Rahasia', { confidential: true }, 'confidential', expect.objectContaining({ name: 'Dewi Lestari', email: 'dewi@example.id' })],
      ['open', {}, 'open', expect.objectContaining({ name: 'Dewi Lestari', phone: '081234567890' })],
    ] as const)('%s: %s', async (_name, flags, disclosure, identity) => {
      const id = await register({ ...flags, reporter: reporterGiven });
      await SETUPS['follow-up overdue'](id);
      await ok(id, { action: 'forward-ombudsman' }, reporter);
      const event = await waitFor(() => escalated.find((e) => e.trackingId === id), { what: 'forwarded' });
      expect(event.reporter).toEqual({ disclosure, identity });
      if (disclosure === 'anonymous') expect(JSON.stringify(event)).not.toMatch(/Dewi|dewi@|081234567890/);
    });
  });
});
