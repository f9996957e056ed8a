import { ComplaintStatusChanged, ComplaintStatusChangedPayload } from '@lapor/contracts';
import { NotifierHarness } from '../../../test/support/notifier-harness';
import { NotificationService } from './services/notification.service';

/**
 * The notifier's batch path for status changes (issue 12) queues exactly what one change at
 * a time queues, in the same order: the same rows, the same suppressions (an address proven
 * reachable in the middle of the batch counts from there on, as one at a time), the same
 * preferences afterwards, on PostgreSQL.
 */
describe('status changes queued as a batch = one at a time', () => {
  const notifier = new NotifierHarness();
  beforeAll(() => notifier.start(), 60_000);
  afterAll(() => notifier.stop());

  /** One scenario, its ids and addresses marked with `run`, so both runs share the database. */
  const scenario = (run: string): ComplaintStatusChangedPayload[] => {
    const base = (over: Partial<ComplaintStatusChangedPayload>): ComplaintStatusChangedPayload =>
      ComplaintStatusChanged.create(
        {
          trackingId: `A${run}`,
          status: 'in_progress',
          previousStatus: 'accepted',
          sequence: 4,
          changedAt: '2026-12-03T08:00:00.000Z',
          channel: 'web',
          senderId: `web-${run}`,
          replyTo: [],
          locale: 'id',
          assignment: { kind: 'kota', code: '32.73', name: 'Kota Bandung', unit: null },
          ...over,
        },
        { correlationId: run },
      ).payload;
    const phone = `+6281100${run}`;
    return [
      // to a phone that is unreachable so far: suppressed
      base({ replyTo: [{ channel: 'sms', address: phone }] }),
      // that phone sends a new complaint: its acknowledgement proves it reachable ...
      base({ trackingId: `B${run}`, channel: 'sms', senderId: phone, status: 'assigned', previousStatus: 'received', sequence: 2 }),
      // ... so the next change to it goes out
      base({ sequence: 5, status: 'responded', previousStatus: 'in_progress', reporterMessage: 'Sudah diperbaiki.', replyTo: [{ channel: 'sms', address: phone }, { channel: 'email', address: `a-${run}@example.com` }] }),
      // an opted-out address: suppressed
      base({ trackingId: `C${run}`, replyTo: [{ channel: 'email', address: `keluar-${run}@example.com` }] }),
      // a redelivery of the third: queued once
      base({ sequence: 5, status: 'responded', previousStatus: 'in_progress', reporterMessage: 'Sudah diperbaiki.', replyTo: [{ channel: 'sms', address: phone }, { channel: 'email', address: `a-${run}@example.com` }] }),
      // the reporter's own objection: a reply (one at a time, between the runs of the batch)
      base({ trackingId: `C${run}`, sequence: 6, status: 'reopened', previousStatus: 'responded', actor: { kind: 'reporter' }, replyTo: [{ channel: 'email', address: `keluar-${run}@example.com` }] }),
      // silent: `received`
      base({ trackingId: `D${run}`, status: 'received', previousStatus: null, sequence: 1, assignment: null, replyTo: [{ channel: 'email', address: `d-${run}@example.com` }] }),
      // an X mention: one public acknowledgement, and the DM
      base({ trackingId: `E${run}`, channel: 'x', senderId: `77${run}`, status: 'assigned', previousStatus: 'received', sequence: 2, replyTo: [{ channel: 'x', address: `77${run}`, publicReplyTo: `99${run}` }] }),
      // overdue: the Ombudsman offer (one at a time), then more ordinary changes
      base({ trackingId: `F${run}`, status: 'in_progress', previousStatus: 'in_progress', sequence: 7, escalation: { stage: 'follow-up', dueAt: '2026-12-01T08:00:00.000Z', escalatedTo: 'Pemerintah Provinsi Jawa Barat' }, ombudsmanOffer: true, replyTo: [{ channel: 'email', address: `f-${run}@example.com` }] }),
      base({ trackingId: `F${run}`, status: 'responded', previousStatus: 'in_progress', sequence: 8, reporterMessage: 'Selesai.', replyTo: [{ channel: 'email', address: `f-${run}@example.com` }] }),
    ];
  };

  const prepare = async (run: string) => {
    await notifier.sql(`INSERT INTO recipients (channel, address, opted_out, unreachable, reason) VALUES ('sms', $1, false, true, 'nomor tidak aktif'), ('email', $2, true, false, 'opted out by the citizen')`, [
      `+6281100${run}`,
      `keluar-${run}@example.com`,
    ]);
  };
  const rowsOf = async (run: string) =>
    (
      await notifier.sql(
        `SELECT dedupe_key, kind, tracking_id, channel, address, subject, headers, body, state, last_error FROM notifications
          WHERE dedupe_key LIKE '%' || $1 || '%' OR address LIKE '%' || $1 || '%' ORDER BY queue_position`,
        [run],
      )
    ).map((r) => ({
      ...JSON.parse(JSON.stringify(r).split(run).join('<run>')),
      // queued, whatever the dispatcher (kicked by each enqueue) did with it since
      state: r.state === 'suppressed' ? 'suppressed' : 'queued',
    }));
  const recipientsOf = async (run: string) =>
    (await notifier.sql(`SELECT channel, address, opted_out, unreachable, reason FROM recipients WHERE address LIKE '%' || $1 || '%' ORDER BY channel, address`, [run])).map((r) =>
      JSON.parse(JSON.stringify(r).split(run).join('<run>')),
    );

  it('queues the same rows, suppressions and order, and leaves the same preferences', async () => {
    const service = notifier.app.get(NotificationService);
    await prepare('101');
    await prepare('202');
    await service.onStatusChangedBatch(scenario('101'));
    for (const p of scenario('202')) await service.onStatusChanged(p);

    const batch = await rowsOf('101');
    expect(batch).toEqual(await rowsOf('202'));
    expect(await recipientsOf('101')).toEqual(await recipientsOf('202'));

    // And what that is, so the equality cannot hold by both paths doing nothing.
    const sms = batch.filter((r) => r.channel === 'sms');
    expect(sms.map((r) => [r.dedupe_key, r.state])).toEqual([
      ['status:A<run>:4', 'suppressed'],
      ['status:B<run>:2', 'queued'],
      ['status:A<run>:5', 'queued'],
    ]);
    expect(batch.filter((r) => r.dedupe_key === 'status:A<run>:5')).toHaveLength(2);
    expect(batch.find((r) => r.dedupe_key === 'status:C<run>:4')).toMatchObject({ state: 'suppressed', last_error: 'opted out' });
    expect(batch.find((r) => r.dedupe_key === 'status:C<run>:6')).toMatchObject({ kind: 'reply', state: 'queued' });
    expect(batch.some((r) => r.tracking_id === 'D<run>')).toBe(false);
    expect(batch.filter((r) => r.tracking_id === 'E<run>').map((r) => r.address)).toEqual([expect.stringContaining('99<run>'), '77<run>']);
    expect(batch.filter((r) => r.tracking_id === 'F<run>').map((r) => r.dedupe_key)).toEqual([expect.stringMatching(/ombudsman/), 'status:F<run>:8']);
    expect(await recipientsOf('101')).toEqual([
      { channel: 'email', address: 'keluar-<run>@example.com', opted_out: true, unreachable: false, reason: 'opted out by the citizen' },
      { channel: 'sms', address: '+6281100<run>', opted_out: false, unreachable: false, reason: null },
    ]);
  });
});
