import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { InProcessBus } from '@lapor/bus';
import { loadConfig } from '@lapor/runtime';
import type { Pool } from 'pg';
import { createTestDatabase } from '../../../test/support/database';
import { startFakeTelegram } from '../../../test/support/fake-telegram';
import { FakeTwilio } from '../../../test/support/fake-twilio';
import { ReceivedMail, startSmtpServer } from '../../../test/support/smtp';
import { startTcpProxy } from '../../../test/support/tcp-proxy';
import { waitFor } from '../../../test/support/wait-for';
import { createNotifierApp } from './notifier.app';
import { DispatcherService } from './services/dispatcher.service';

const REPO = resolve(__dirname, '../../..');
const SID = 'AC22222222222222222222222222222222';
const TOKEN = 'secret-token-1111111111111111111';
const BOT = '7000000001:AAtest-token';
const LEASE_MS = 1500;

/**
 * What the dispatcher promises under crashes, slow vendors, retries and replicas, on the
 * real PostgreSQL, the real twilio library against its stand-in, a real SMTP server and
 * telegraf against a Bot API stand-in. A crash is a real `kill -9` of a notifier process
 * (apps/notifier/src/main.ts) at the moment the vendor has taken the message.
 */
describe(DispatcherService.name, () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let sql: Pool;
  let twilio: FakeTwilio;
  let telegram: Awaited<ReturnType<typeof startFakeTelegram>>;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let onMail: ((received: ReceivedMail) => Promise<void>) | undefined;
  const apps: INestApplication[] = [];
  const processes: ChildProcess[] = [];

  const env = (over: Record<string, string> = {}): Record<string, string> => ({
    DATABASE_URL: db.url,
    SMTP_URL: smtp.url,
    TWILIO_ACCOUNT_SID: SID,
    TWILIO_AUTH_TOKEN: TOKEN,
    TWILIO_FROM_NUMBER: '1708',
    TWILIO_API_BASE_URL: twilio.url,
    PUBLIC_BASE_URL: 'https://lapor.example.id',
    TELEGRAM_BOT_TOKEN: BOT,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'lapor-dispatcher-')),
    NOTIFY_LEASE_MS: String(LEASE_MS),
    NOTIFY_LEASE_RENEW_MS: '300',
    NOTIFY_POLL_MS: '100',
    NOTIFY_RETRY_BASE_MS: '100',
    NOTIFY_MAX_ATTEMPTS: '5',
    LOG_LEVEL: 'error',
    ...over,
  });

  /** A notifier replica in this process. */
  const startReplica = async (over: Record<string, string> = {}): Promise<INestApplication> => {
    const app = await createNotifierApp(loadConfig(env(over) as NodeJS.ProcessEnv), { bus: new InProcessBus() });
    await app.init();
    apps.push(app);
    return app;
  };

  /** A notifier as deployed, in its own OS process, to be killed with SIGKILL. */
  const startProcess = (): { child: ChildProcess; kill9(): Promise<void> } => {
    const { KAFKA_BROKERS: _kafka, NODE_OPTIONS: _jest, ...inherited } = process.env;
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/notifier/src/main.ts'], {
      cwd: REPO,
      env: { ...inherited, ...env({ NOTIFIER_PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' }) },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const exited = once(child, 'exit');
    processes.push(child);
    return {
      child,
      kill9: async () => {
        child.kill('SIGKILL');
        await exited;
      },
    };
  };

  /** Queues a message as NotificationQueueService does (same table, same order). */
  const queue = async (channel: string, address: string, body: string, subject: string | null = null): Promise<string> => {
    const { rows } = await sql.query(
      `INSERT INTO notifications (id, dedupe_key, kind, channel, address, subject, body, state)
       VALUES (gen_random_uuid(), 'test:' || gen_random_uuid(), 'status', $1, $2, $3, $4, 'pending') RETURNING id`,
      [channel, address, subject, body],
    );
    return rows[0].id;
  };
  const row = async (id: string) => (await sql.query('SELECT *, now() AS db_now FROM notifications WHERE id = $1', [id])).rows[0];
  const settled = (id: string, what: string) =>
    waitFor(async () => {
      const r = await row(id);
      return ['sent', 'failed'].includes(r.state) ? r : undefined;
    }, { what, timeoutMs: 20_000 });

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = db.pool({ max: 2 });
    twilio = await new FakeTwilio().start();
    telegram = await startFakeTelegram();
    smtp = await startSmtpServer({ onMessage: (received) => onMail?.(received) });
    const migrate = await startReplica(); // runs the migrations once
    await migrate.close();
    apps.length = 0;
  }, 60_000);

  afterEach(async () => {
    twilio.onAccepted = undefined;
    onMail = undefined;
    for (const child of processes.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  afterAll(async () => {
    await sql?.end();
    await db?.drop();
    await twilio?.stop();
    await telegram?.stop();
    await smtp?.stop();
  });

  describe('a crash between the vendor call and the outcome', () => {
    it('should settle an SMS Twilio accepted just before the notifier was killed, from Twilio\'s message list, without a second SMS', async () => {
      const to = '+6281100000001';
      const notifier = startProcess();
      const killed = new Promise<void>((done) => {
        twilio.onAccepted = async (m) => {
          if (m.params.To !== to) return;
          twilio.onAccepted = undefined;
          await notifier.kill9();
          done();
        };
      });
      const id = await queue('sms', to, 'LAPOR! Laporan no. 7KQ4M9XWRTC diteruskan ke Kota Bandung.');
      await killed;
      expect(await row(id)).toMatchObject({ state: 'sending', attempts: 1, attempt_in_doubt: true, external_id: null });

      const replica = await startReplica();
      const sent = await settled(id, 'the second notifier to settle the SMS');
      expect(twilio.to(to)).toHaveLength(1);
      expect(sent).toMatchObject({ state: 'sent', external_id: twilio.to(to)[0].sid, attempts: 1, attempt_in_doubt: false, possible_duplicate: false });
      expect(twilio.to(to)[0].params.StatusCallback).toBe(`https://lapor.example.id/webhooks/twilio/status?attempt=${id}.1`);
      expect(twilio.lists.some((q) => q.To === to)).toBe(true);
      expect(replica.get(DispatcherService).stats).toMatchObject({ settledFromVendor: 1, possibleDuplicates: 0 });
    });

    it('should resend an e-mail with the same Message-ID and flag it a possible duplicate (SMTP cannot be asked)', async () => {
      const to = 'warga.crash@example.com';
      const notifier = startProcess();
      const killed = new Promise<void>((done) => {
        onMail = async (received) => {
          if (!received.rcptTo.includes(to)) return;
          onMail = undefined;
          await notifier.kill9();
          done();
        };
      });
      const id = await queue('email', to, 'Laporan Anda diteruskan ke Kota Bandung.', 'LAPOR! 7KQ4M9XWRTC: Diteruskan ke instansi');
      await killed;
      expect(await row(id)).toMatchObject({ state: 'sending', attempts: 1, attempt_in_doubt: true });

      const replica = await startReplica();
      const sent = await settled(id, 'the second notifier to resend the e-mail');
      const mails = smtp.inbox.filter((m) => m.rcptTo.includes(to));
      expect(mails.map((m) => m.mail.messageId)).toEqual([`<${id}@lapor.go.id>`, `<${id}@lapor.go.id>`]);
      expect(mails.map((m) => m.mail.headers.get('x-lapor-attempt'))).toEqual([`${id}.1`, `${id}.2`]);
      expect(sent).toMatchObject({ state: 'sent', external_id: `<${id}@lapor.go.id>`, attempts: 2, possible_duplicate: true, attempt_in_doubt: false });
      expect(replica.get(DispatcherService).stats.possibleDuplicates).toBe(1);
    });
  });

  describe('a vendor that took the message but never answered', () => {
    it('should find the SMS at Twilio instead of sending it again', async () => {
      const to = '+6281100000002';
      twilio.loseAnswerNext(to);
      await startReplica();
      const id = await queue('sms', to, 'LAPOR! Laporan no. 7KQ4M9XWRTC sedang ditindaklanjuti.');
      const sent = await settled(id, 'the SMS settled');
      expect(twilio.to(to)).toHaveLength(1);
      expect(sent).toMatchObject({ state: 'sent', external_id: twilio.to(to)[0].sid, attempts: 1, possible_duplicate: false });
    });

    it('should resend a Telegram message and flag it a possible duplicate (the Bot API has no look-up)', async () => {
      const chat = '5550000001';
      telegram.loseAnswerNext(chat);
      await startReplica();
      const id = await queue('telegram', chat, 'Status laporan 7KQ4M-9XWRT-C: Diteruskan ke instansi');
      const sent = await settled(id, 'the Telegram message resent');
      expect(telegram.sent.filter((m) => m.chatId === chat)).toHaveLength(2);
      expect(sent).toMatchObject({ state: 'sent', attempts: 2, possible_duplicate: true });
    });
  });

  describe('a database outage right after the vendor answered', () => {
    it('should keep trying to store the answer instead of leaving the message in doubt to be resent', async () => {
      const to = 'warga.outage@example.com';
      const database = new URL(db.url);
      const proxy = await startTcpProxy({ host: database.hostname, port: Number(database.port || 5432) });
      try {
        database.port = String(proxy.port);
        onMail = async (received) => {
          if (!received.rcptTo.includes(to)) return;
          onMail = undefined;
          proxy.cut();
        };
        await startReplica({ DATABASE_URL: database.toString() });
        const id = await queue('email', to, 'Laporan Anda selesai ditindaklanjuti.', 'LAPOR! 7KQ4M9XWRTC: Selesai');
        await waitFor(() => proxy.refused() > 0, { what: 'the notifier to find the database gone' });
        proxy.restore();
        const sent = await settled(id, 'the e-mail recorded as sent');
        expect(sent).toMatchObject({ state: 'sent', attempts: 1, possible_duplicate: false, external_id: `<${id}@lapor.go.id>` });
        expect(smtp.inbox.filter((m) => m.rcptTo.includes(to))).toHaveLength(1);
      } finally {
        await Promise.all(apps.splice(0).map((app) => app.close()));
        await proxy.stop();
      }
    });
  });

  describe('leases', () => {
    it('should keep renewing the lease of a slow send, so a second replica never takes it over', async () => {
      const to = '+6281100000003';
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      const accepted = new Promise<void>((done) => {
        twilio.onAccepted = async (m) => {
          if (m.params.To !== to) return;
          done();
          await held;
        };
      });
      await Promise.all([startReplica(), startReplica()]);
      const id = await queue('sms', to, 'LAPOR! Laporan no. 7KQ4M9XWRTC selesai.');
      await accepted;
      const firstLeaseEnd: Date = (await row(id)).locked_until;
      // Past the first lease by more than a poll interval of either replica, the send is still held by its dispatcher.
      const renewed = await waitFor(async () => {
        const r = await row(id);
        return r.db_now.getTime() > firstLeaseEnd.getTime() + 500 ? r : undefined;
      }, { what: 'the first lease to have run out', timeoutMs: 20_000 });
      expect(renewed.state).toBe('sending');
      expect(renewed.locked_until.getTime()).toBeGreaterThan(renewed.db_now.getTime());
      release();
      const sent = await settled(id, 'the slow SMS');
      expect(twilio.to(to)).toHaveLength(1);
      expect(twilio.lists.some((q) => q.To === to)).toBe(false);
      expect(sent).toMatchObject({ state: 'sent', attempts: 1, external_id: twilio.to(to)[0].sid });
      for (const app of apps) expect(app.get(DispatcherService).stats.leasesLost).toBe(0);
    });
  });

  describe('per-recipient order', () => {
    it('should send three messages to one number in queue order when the first fails twice, without holding up another number', async () => {
      const to = '+6281100000004';
      const other = '+6281100000005';
      twilio.failNext(FakeTwilio.error(500, 20500, 'Internal Server Error'), (p) => p.Body === 'pesan 1');
      twilio.failNext(FakeTwilio.error(500, 20500, 'Internal Server Error'), (p) => p.Body === 'pesan 1');
      const ids = [await queue('sms', to, 'pesan 1'), await queue('sms', to, 'pesan 2'), await queue('sms', to, 'pesan 3'), await queue('sms', other, 'pesan lain')];
      await startReplica();
      for (const id of ids) await settled(id, 'every message sent');
      expect(twilio.to(to).map((m) => m.params.Body)).toEqual(['pesan 1', 'pesan 2', 'pesan 3']);
      expect((await row(ids[0])).attempts).toBe(3);
      const order = twilio.messages.map((m) => m.params.Body);
      expect(order.indexOf('pesan lain')).toBeLessThan(order.indexOf('pesan 1'));
    });

    it('should let two replicas share one queue without sending any message twice or out of order, through failures and lost answers', async () => {
      const recipients = Array.from({ length: 8 }, (_, i) => `+62811000010${i}`);
      const ids: string[] = [];
      for (let n = 1; n <= 6; n++) {
        for (const to of recipients) ids.push(await queue('sms', to, `pesan ${n} untuk ${to}`));
      }
      for (const to of recipients.slice(0, 4)) twilio.failNext(FakeTwilio.error(503, 20503, 'Service Unavailable'), (p) => p.Body === `pesan 2 untuk ${to}`);
      for (const to of recipients.slice(4)) twilio.loseAnswerNext((p) => p.Body === `pesan 3 untuk ${to}`);
      await Promise.all([startReplica(), startReplica()]);
      for (const id of ids) await settled(id, 'every message sent');
      for (const to of recipients) {
        expect(twilio.to(to).map((m) => m.params.Body)).toEqual([1, 2, 3, 4, 5, 6].map((n) => `pesan ${n} untuk ${to}`));
      }
      const { rows } = await sql.query(`SELECT state, external_id, possible_duplicate FROM notifications WHERE id = ANY($1::uuid[])`, [ids]);
      expect(rows.every((r) => r.state === 'sent' && !r.possible_duplicate)).toBe(true);
      expect(new Set(rows.map((r) => r.external_id))).toEqual(new Set(recipients.flatMap((to) => twilio.to(to).map((m) => m.sid))));
      const settledFromVendor = apps.reduce((sum, app) => sum + app.get(DispatcherService).stats.settledFromVendor, 0);
      expect(settledFromVendor).toBe(4);
    });
  });

  it('should fail a message for a channel without a sender once, and go on with the rest', async () => {
    // Every registry channel has a sender (a vendor or the outbox); a row naming a channel this
    // version does not know (written by a newer replica during a rolling deploy) has none.
    const id = await queue('mastodon', '+6281100000009', 'tidak ada pengirim');
    const next = await queue('sms', '+6281100000009', 'pesan sms');
    await startReplica();
    const failed = await settled(id, 'the message without a sender');
    expect(failed).toMatchObject({ state: 'failed', attempts: 0, last_error: 'channel mastodon is not configured' });
    expect((await settled(next, 'the SMS')).state).toBe('sent');
  });
});
