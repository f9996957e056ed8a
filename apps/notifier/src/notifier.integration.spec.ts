import { ChannelCommand, ComplaintStatusChanged, ComplaintStatusChangedPayload, DeliveryStatusPayload, newTrackingId } from '@lapor/contracts';
import { NotifierHarness } from '../../../test/support/notifier-harness';
import { waitFor } from '../../../test/support/wait-for';
import { DeliveryReportsService } from './services/delivery-reports.service';

/** The notifier on the real PostgreSQL and a real SMTP server: once per change, retries, dead addresses. */
describe('notifier service (e-mail)', () => {
  const notifier = new NotifierHarness();
  const tempFailures = new Map<string, number>();

  beforeAll(async () => {
    await notifier.start(
      { NOTIFY_RETRY_BASE_MS: '200', NOTIFY_MAX_ATTEMPTS: '4', NOTIFY_MAX_REPLIES_PER_HOUR: '2' },
      {
        rcptTo: (address) => {
          if (address.startsWith('dead')) return { code: 550, message: 'No such user here' };
          const left = tempFailures.get(address) ?? 0;
          if (left > 0) {
            tempFailures.set(address, left - 1);
            return { code: 451, message: 'Try again later' };
          }
          return undefined;
        },
      },
    );
  }, 60_000);

  afterAll(() => notifier.stop());

  const statusChange = (email: string, over: Partial<ComplaintStatusChangedPayload> = {}) => {
    const trackingId = over.trackingId ?? newTrackingId();
    return ComplaintStatusChanged.create(
      {
        trackingId,
        status: 'assigned',
        previousStatus: 'received',
        sequence: 2,
        changedAt: new Date().toISOString(),
        channel: 'web',
        senderId: 'h:abc',
        replyTo: [{ channel: 'email', address: email }],
        locale: 'id',
        assignment: { kind: 'kabupaten', code: '32.04', name: 'Kabupaten Bandung', unit: null },
        ...over,
      },
      { correlationId: trackingId },
    );
  };
  const publish = (e: ReturnType<typeof statusChange>) => notifier.bus.publish({ topic: ComplaintStatusChanged.topic, key: e.payload.trackingId, value: JSON.stringify(e) });
  const mailsTo = (address: string) => notifier.mailsTo(address);
  const row = async (address: string) => (await notifier.sql('SELECT * FROM notifications WHERE address = $1', [address]))[0];

  it('should send one e-mail per status change even when the event arrives twice', async () => {
    const event = statusChange('dua-kali@example.com');
    await publish(event);
    await publish(event);
    const marker = statusChange('penanda@example.com');
    await publish(marker); // handled after both copies: the in-process bus keeps one order per topic
    await waitFor(() => mailsTo('penanda@example.com').length === 1, { what: 'the marker e-mail' });
    await waitFor(async () => (await row('dua-kali@example.com'))?.state === 'sent', { what: 'the first e-mail sent' });
    expect(mailsTo('dua-kali@example.com')).toHaveLength(1);
    expect(mailsTo('dua-kali@example.com')[0].mail.subject).toMatch(/Diteruskan ke instansi$/);
  });

  it('should not notify the bare `received` status (the routing outcome that follows acknowledges it)', async () => {
    await publish(statusChange('diterima@example.com', { status: 'received', previousStatus: null, sequence: 1, assignment: null }));
    const marker = statusChange('penanda-2@example.com');
    await publish(marker);
    await waitFor(() => mailsTo('penanda-2@example.com').length === 1, { what: 'the marker e-mail' });
    expect(mailsTo('diterima@example.com')).toHaveLength(0);
  });

  it('should retry a temporary SMTP failure with backoff and then deliver', async () => {
    tempFailures.set('sementara@example.com', 2);
    await publish(statusChange('sementara@example.com'));
    await waitFor(() => mailsTo('sementara@example.com').length === 1, { what: 'delivery after retries', timeoutMs: 30_000 });
    const r = await waitFor(async () => {
      const x = await row('sementara@example.com');
      return x?.state === 'sent' ? x : undefined;
    });
    expect(r.attempts).toBe(3);
  });

  it('should stop at a permanent failure, remember the dead address, and suppress later messages to it', async () => {
    await publish(statusChange('dead@example.com'));
    const failed = await waitFor(async () => {
      const x = await row('dead@example.com');
      return x?.state === 'failed' ? x : undefined;
    }, { what: 'a permanent failure' });
    expect(failed.attempts).toBe(1);
    expect(failed.last_error).toMatch(/550/);
    const [recipient] = await notifier.sql(`SELECT unreachable FROM recipients WHERE channel = 'email' AND address = 'dead@example.com'`);
    expect(recipient.unreachable).toBe(true);

    await publish(statusChange('dead@example.com', { status: 'in_progress', previousStatus: 'assigned', sequence: 3 }));
    await waitFor(async () => {
      const rows = await notifier.sql(`SELECT state FROM notifications WHERE address = 'dead@example.com' AND dedupe_key LIKE '%:3'`);
      return rows[0]?.state === 'suppressed';
    }, { what: 'the later message to be suppressed' });
  });

  it('should treat a new complaint from a number marked unreachable as proof it works again', async () => {
    const phone = '+6281377770000';
    await notifier.sql(`INSERT INTO recipients (channel, address, unreachable, reason) VALUES ('sms', $1, true, 'twilio error 30003')`, [phone]);
    await publish(statusChange('', { channel: 'sms', senderId: phone, replyTo: [] }));
    const sms = await waitFor(async () => {
      const x = (await notifier.sql(`SELECT state FROM notifications WHERE channel = 'sms' AND address = $1`, [phone]))[0];
      return x?.state === 'sent' ? x : undefined;
    }, { what: 'the acknowledgement SMS (to the outbox: no Twilio credentials here)' });
    expect(sms.state).toBe('sent');
    const [recipient] = await notifier.sql(`SELECT unreachable FROM recipients WHERE channel = 'sms' AND address = $1`, [phone]);
    expect(recipient.unreachable).toBe(false);
  });

  describe('delivery reports', () => {
    const insertSent = async (externalId: string, address: string) =>
      notifier.sql(
        `INSERT INTO notifications (id, dedupe_key, kind, channel, address, body, state, external_id, sent_at) VALUES (gen_random_uuid(), $1, 'status', 'sms', $2, 'x', 'sent', $3, now())`,
        [`test:${externalId}`, address, externalId],
      );
    const stateOf = async (externalId: string) => (await notifier.sql(`SELECT state, vendor_status, vendor_error FROM notifications WHERE external_id = $1`, [externalId]))[0];
    const report = (externalId: string, status: DeliveryStatusPayload['status'], errorCode?: string) =>
      notifier.app.get(DeliveryReportsService).record({ channel: 'sms', externalId, status, errorCode, reportedAt: new Date().toISOString() });

    it('should never let an older report move a message back', async () => {
      await insertSent('SMorder1', '+6281200000001');
      await report('SMorder1', 'delivered');
      await report('SMorder1', 'sent');
      expect(await stateOf('SMorder1')).toEqual({ state: 'delivered', vendor_status: 'delivered', vendor_error: null });
    });

    it('should keep a report that arrives before the send was recorded, and apply it afterwards', async () => {
      await report('SMearly1', 'undelivered', '30003');
      await insertSent('SMearly1', '+6281200000002');
      await notifier.app.get(DeliveryReportsService).apply('sms', 'SMearly1'); // what the dispatcher does right after a send
      expect(await stateOf('SMearly1')).toEqual({ state: 'undelivered', vendor_status: 'undelivered', vendor_error: '30003' });
    });
  });

  it('should answer at most NOTIFY_MAX_REPLIES_PER_HOUR commands per hour to one number (each SMS costs money)', async () => {
    const phone = '+6281388880000';
    for (let i = 0; i < 3; i++) {
      const cmd = ChannelCommand.create(
        ChannelCommand.payload.parse({ channel: 'sms', channelMessageId: `SMhelp${i}`, senderId: phone, command: 'help', receivedAt: new Date().toISOString() }),
        { correlationId: `c${i}` },
      );
      await notifier.bus.publish({ topic: ChannelCommand.topic, key: ChannelCommand.key(cmd.payload), value: JSON.stringify(cmd) });
    }
    const rows = await waitFor(async () => {
      const r = await notifier.sql(`SELECT dedupe_key, state, last_error FROM notifications WHERE address = $1 ORDER BY dedupe_key`, [phone]);
      return r.length === 3 && r.every((x: { state: string }) => x.state !== 'pending' && x.state !== 'sending') ? r : undefined;
    }, { what: 'three answers recorded' });
    expect(rows.map((r: { state: string }) => r.state)).toEqual(['sent', 'sent', 'suppressed']);
    expect(rows[2].last_error).toBe('reply limit: 2 per hour');
  });

  it('should write to an English reporter in English, with an HTML part saying the same', async () => {
    await publish(statusChange('english@example.com', { locale: 'en-GB' }));
    const [{ mail }] = await waitFor(() => (mailsTo('english@example.com').length ? mailsTo('english@example.com') : undefined), { what: 'the English e-mail' });
    expect(mail.subject).toMatch(/^\[LAPOR!\] Report .*: Sent to the agency$/);
    expect(mail.text).toContain('We have received your report');
    expect(mail.html).toContain('<html lang="en">');
    expect(mail.headers.get('content-language')).toBe('en');
  });

  describe('the Ombudsman RI offer when an admin closes a complaint the reporter objected to', () => {
    const closedWhileObjecting = (phone: string) => statusChange('', { channel: 'sms', senderId: phone, replyTo: [], status: 'closed', previousStatus: 'reopened', closedBy: 'admin', ombudsmanOffer: true, sequence: 7 });
    const rowsFor = (phone: string) => notifier.sql(`SELECT dedupe_key, kind, state, last_error, body FROM notifications WHERE address = $1 ORDER BY dedupe_key`, [phone]);
    const settled = (rows: { state: string }[]) => rows.every((r) => r.state !== 'pending' && r.state !== 'sending');

    it('should say the close and the offer in one SMS', async () => {
      const phone = '+6281399990001';
      const event = closedWhileObjecting(phone);
      await publish(event);
      const rows = await waitFor(async () => {
        const r = await rowsFor(phone);
        return r.length && settled(r) ? r : undefined;
      }, { what: 'the close SMS' });
      expect(rows).toEqual([expect.objectContaining({ kind: 'status', state: 'sent' })]);
      expect(rows[0].body).toBe(`LAPOR! Laporan ${event.payload.trackingId} ditutup admin saat Anda masih keberatan. Balas OMBUDSMAN ${event.payload.trackingId} untuk meneruskannya ke Ombudsman RI.`);
    });

    it('should still offer it once to a reporter who sent STOP (a right, not an update), saying why', async () => {
      const phone = '+6281399990002';
      await notifier.sql(`INSERT INTO recipients (channel, address, opted_out, reason) VALUES ('sms', $1, true, 'opted out by the citizen')`, [phone]);
      const event = closedWhileObjecting(phone);
      await publish(event);
      await publish(event);
      const rows = await waitFor(async () => {
        const r = await rowsFor(phone);
        return r.length === 2 && settled(r) ? r : undefined;
      }, { what: 'the suppressed close and the offer' });
      expect(rows.map((r: { kind: string; state: string; last_error: string | null }) => [r.kind, r.state, r.last_error])).toEqual([
        ['right', 'sent', null],
        ['status', 'suppressed', 'opted out'],
      ]);
      expect(rows[0].body).toBe(`Laporan ${event.payload.trackingId} ditutup saat Anda masih keberatan. Balas OMBUDSMAN ${event.payload.trackingId} untuk meneruskannya ke Ombudsman RI. Dikirim walau Anda STOP: ini hak Anda.`);
    });
  });
});
