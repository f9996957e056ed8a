import { createHmac, randomInt, randomUUID } from 'node:crypto';
import twilio from 'twilio';
import { trackingIdFor } from '@lapor/contracts';
import { inboundSms } from '../../test/support/fake-twilio';
import { CHAOS_TELEGRAM_SECRET, CHAOS_TWILIO_SID, CHAOS_TWILIO_TOKEN, CHAOS_X_ACCOUNT, CHAOS_X_CONSUMER_SECRET } from './vendors';

/** What one generated message is, and so what the audit expects of it. */
export type Kind = 'complaint' | 'follow-up' | 'command' | 'admin';
export type Scenario =
  | 'web-api'
  | 'web-form'
  | 'sms'
  | 'sms-follow-up'
  | 'sms-cek'
  | 'telegram'
  | 'telegram-follow-up'
  | 'telegram-cek'
  | 'x-dm'
  | 'admin-assign';

/** One message the harness offered, and what became of it: the harness's own log of 2xx answers. */
export interface LedgerEntry {
  n: number;
  scenario: Scenario;
  kind: Kind;
  /** Channel as the router stores it (web, sms, telegram, x). */
  channel: 'web' | 'sms' | 'telegram' | 'x';
  /** The channel's message id as the router stores it (complaint_messages.channel_message_id). */
  key: string;
  /** The complaint this message belongs to (a new complaint's own id, a follow-up's parent, a CEK's subject). */
  trackingId?: string;
  sender: string;
  /** Text contains characters PostgreSQL cannot store as sent (NUL, controls, lone surrogates). */
  dirty: boolean;
  /** When the first attempt started (ms since epoch). */
  sentAt: number;
  /** When the 2xx came back. */
  ackedAt?: number;
  status?: number;
  attempts: number;
  /** Extra deliveries of the same message after its 2xx (Twilio/Telegram re-deliveries, a double-tapped form). */
  redeliveries: number;
  /** Why it was never acknowledged (the last answer or error), if so. */
  refused?: string;
}

export interface Targets {
  webIntake: string[];
  smsIntake: string;
  socialIntake: string;
  routers: string[];
  publicBaseUrl: string;
  adminToken: string;
}

// Written for this harness (not real complaints): each names a place the router knows, so
// most are assigned; the vague ones go to triage (and can be assigned by an admin or
// re-routed by a follow-up).
const PLACED = [
  'Jalan berlubang besar di Kecamatan Coblong, Kota Bandung, sudah dua bulan tidak diperbaiki',
  'Sampah menumpuk di pasar Kelurahan Ketintang, Kota Surabaya, tidak diangkut seminggu',
  'Pelayanan KTP di Disdukcapil Kabupaten Malang sangat lambat, antre dari subuh',
  'Lampu penerangan jalan mati di depan SMPN 2 Kota Bogor, rawan kecelakaan malam hari',
  'Drainase tersumbat di Kecamatan Tebet, Jakarta Selatan, banjir setiap hujan deras',
  'Jembatan desa di Kabupaten Garut retak dan miring, berbahaya untuk anak sekolah',
  'Puskesmas di Kecamatan Depok, Kabupaten Sleman kekurangan obat untuk lansia',
  'Pungutan liar saat mengurus akta kelahiran di Kota Medan, mohon ditindak',
  'Trotoar di Jalan Malioboro Kota Yogyakarta dipakai parkir motor, pejalan kaki terganggu',
  'Air PDAM di Kota Makassar keruh dan berbau sejak tiga hari, warga kesulitan',
  'Perpanjangan paspor di kantor imigrasi ditolak tanpa alasan yang jelas',
  'Pengurusan SIM di Polres dipersulit dan diminta biaya tambahan',
];
const VAGUE = [
  'Mohon bantuannya, pelayanan di kantor kelurahan kami sangat lambat dan petugasnya tidak ramah',
  'Sudah lapor berkali-kali tapi jalan di depan rumah saya tetap rusak, tolong ditindaklanjuti',
  'Bantuan sosial tidak sampai ke warga yang berhak di lingkungan kami, mohon diperiksa',
  'Pembangunan gedung di sebelah rumah bising sampai malam hari setiap hari',
];
const FOLLOW_UPS = ['tambahan: lokasinya di Kecamatan Cisarua, Kabupaten Bogor', 'tambahan: kondisinya makin parah setelah hujan kemarin', 'ini foto dan lokasinya sudah saya kirim, mohon dicek'];

/** Characters PostgreSQL cannot store or that no channel should pass on, inside otherwise good text. */
const DIRT = ['\u0000', '\u0007', '\ud800', '\u200b\u0000', '\u001b[31m'];

const pick = <T>(xs: readonly T[]): T => xs[randomInt(xs.length)];

/** The mix of messages, by share of the arrival rate. */
const MIX: [Scenario, number][] = [
  ['web-api', 30],
  ['web-form', 5],
  ['sms', 20],
  ['sms-follow-up', 5],
  ['sms-cek', 4],
  ['telegram', 15],
  ['telegram-follow-up', 4],
  ['telegram-cek', 3],
  ['x-dm', 12],
  ['admin-assign', 2],
];
const MIX_TOTAL = MIX.reduce((n, [, w]) => n + w, 0);

function pickScenario(): Scenario {
  let r = randomInt(MIX_TOTAL);
  for (const [s, w] of MIX) if ((r -= w) < 0) return s;
  return MIX[0][0];
}

interface Answer {
  status: number;
  retryAfterMs?: number;
}

/**
 * Mixed traffic at a steady arrival rate (open loop: a message is offered on schedule
 * whether or not earlier ones were answered), as clients behave: a 503 or a broken
 * connection is retried with the same idempotency key (Idempotency-Key, MessageSid,
 * update_id, DM event id); channels that re-deliver do so now and then after a 2xx too.
 */
export class TrafficGenerator {
  readonly ledger: LedgerEntry[] = [];
  /** Messages not offered because too many were still unanswered (the harness's own safety cap). */
  skipped = 0;
  inFlight = 0;
  maxInFlight = 0;
  private n = 0;
  private stopped = false;
  private readonly pending = new Set<Promise<void>>();
  /** Acknowledged new complaints, for follow-ups and CEK commands. */
  private readonly acked: { sms: LedgerEntry[]; telegram: LedgerEntry[]; any: LedgerEntry[] } = { sms: [], telegram: [], any: [] };
  private phoneSeq = 0;

  constructor(
    private readonly targets: Targets,
    private readonly opts: { dirtyShare: number; maxInFlight: number; triageCandidates: () => Promise<string[]> },
  ) {}

  /** Offers `rate` messages per second for `durationMs`, then waits (bounded) for the answers. */
  async run(rate: number, durationMs: number, onTick?: (elapsedMs: number) => void): Promise<{ offered: number; seconds: number }> {
    const start = Date.now();
    let issued = 0;
    while (!this.stopped) {
      const elapsed = Date.now() - start;
      if (elapsed >= durationMs) break;
      const due = Math.floor((elapsed * rate) / 1000) - issued;
      for (let i = 0; i < due; i++) {
        issued++;
        if (this.inFlight >= this.opts.maxInFlight) {
          this.skipped++;
          continue;
        }
        this.track(this.offer(pickScenario()));
      }
      onTick?.(elapsed);
      await new Promise((r) => setTimeout(r, 5));
    }
    const seconds = (Date.now() - start) / 1000;
    // Answers still coming (retries included), bounded by the retry budget of each message.
    await Promise.race([Promise.allSettled([...this.pending]), new Promise((r) => setTimeout(r, 120_000))]);
    return { offered: issued, seconds };
  }

  stop(): void {
    this.stopped = true;
  }

  private track(p: Promise<void>): void {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const done = p.catch(() => undefined).finally(() => {
      this.inFlight--;
      this.pending.delete(done);
    });
    this.pending.add(done);
  }

  private text(base: string): { text: string; dirty: boolean } {
    const dirty = Math.random() < this.opts.dirtyShare;
    const text = `${base} (ref ${this.n})`;
    if (!dirty) return { text, dirty };
    const at = randomInt(10, text.length);
    return { text: text.slice(0, at) + pick(DIRT) + text.slice(at), dirty };
  }

  private nextPhone(): string {
    return `+6281${String(process.pid % 1000).padStart(3, '0')}${String(this.phoneSeq++).padStart(6, '0')}`;
  }

  private entry(scenario: Scenario, kind: Kind, channel: LedgerEntry['channel'], key: string, sender: string, dirty: boolean, trackingId?: string): LedgerEntry {
    const e: LedgerEntry = { n: this.n++, scenario, kind, channel, key, sender, dirty, trackingId, sentAt: Date.now(), attempts: 0, redeliveries: 0 };
    this.ledger.push(e);
    return e;
  }

  private async offer(scenario: Scenario): Promise<void> {
    switch (scenario) {
      case 'web-api':
        return this.webApi();
      case 'web-form':
        return this.webForm();
      case 'sms':
        return this.sms(this.nextPhone(), pick([...PLACED, ...PLACED, ...VAGUE]), 'complaint');
      case 'sms-follow-up': {
        const parent = this.recent(this.acked.sms);
        return parent ? this.sms(parent.sender, pick(FOLLOW_UPS), 'follow-up', parent.trackingId) : this.sms(this.nextPhone(), pick(PLACED), 'complaint');
      }
      case 'sms-cek': {
        const subject = this.recent(this.acked.any);
        return subject ? this.sms(this.nextPhone(), `CEK ${subject.trackingId}`, 'command', subject.trackingId) : this.sms(this.nextPhone(), pick(PLACED), 'complaint');
      }
      case 'telegram':
        return this.telegram(randomInt(100_000_000, 2_000_000_000), pick([...PLACED, ...PLACED, ...VAGUE]), 'complaint');
      case 'telegram-follow-up': {
        const parent = this.recent(this.acked.telegram);
        return parent ? this.telegram(Number(parent.sender), pick(FOLLOW_UPS), 'follow-up', parent.trackingId) : this.telegram(randomInt(100_000_000, 2_000_000_000), pick(PLACED), 'complaint');
      }
      case 'telegram-cek': {
        const subject = this.recent(this.acked.any);
        return subject ? this.telegram(randomInt(100_000_000, 2_000_000_000), `/cek ${subject.trackingId}`, 'command', subject.trackingId) : this.telegram(randomInt(100_000_000, 2_000_000_000), pick(PLACED), 'complaint');
      }
      case 'x-dm':
        return this.xDm();
      case 'admin-assign':
        return this.adminAssign();
    }
  }

  /** One of the last 200 acknowledged entries, taken out so each is followed up or checked at most once. */
  private recent(list: LedgerEntry[]): LedgerEntry | undefined {
    if (!list.length) return undefined;
    const from = Math.max(0, list.length - 200);
    const i = from + randomInt(list.length - from);
    return list.splice(i, 1)[0];
  }

  private remember(e: LedgerEntry): void {
    if (e.kind !== 'complaint' || e.ackedAt === undefined) return;
    this.acked.any.push(e);
    if (e.channel === 'sms') this.acked.sms.push(e);
    if (e.channel === 'telegram') this.acked.telegram.push(e);
    for (const list of Object.values(this.acked)) if (list.length > 2_000) list.splice(0, list.length - 1_000);
  }

  /**
   * Sends until a 2xx, retrying 5xx and broken connections with the same content, as a
   * client does (Retry-After honoured up to 3 s), at most 10 times; 4xx is final.
   */
  private async deliver(e: LedgerEntry, send: () => Promise<Answer>, redeliver = 0): Promise<void> {
    for (let attempt = 0; attempt < 10; attempt++) {
      e.attempts++;
      let answer: Answer | undefined;
      let why: string;
      try {
        answer = await send();
        why = `HTTP ${answer.status}`;
      } catch (error) {
        why = (error as Error).cause ? String(((error as Error).cause as Error).message ?? (error as Error).cause) : (error as Error).message;
      }
      if (answer && answer.status >= 200 && answer.status < 400) {
        e.ackedAt = Date.now();
        e.status = answer.status;
        this.remember(e);
        // A channel re-delivering what it already got a 2xx for (lost answer on its side).
        if (redeliver > 0 && Math.random() < redeliver && !this.stopped) {
          await new Promise((r) => setTimeout(r, randomInt(0, 2_000)));
          e.redeliveries++;
          await send().catch(() => undefined);
        }
        return;
      }
      if (answer && answer.status < 500) {
        e.refused = why;
        e.status = answer.status;
        return;
      }
      e.refused = why;
      const delay = Math.min(3_000, answer?.retryAfterMs ?? 250 * 2 ** attempt);
      await new Promise((r) => setTimeout(r, delay));
    }
  }

  private async post(url: string, body: string, headers: Record<string, string>): Promise<Answer> {
    const res = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(30_000) });
    await res.arrayBuffer();
    const retryAfter = Number(res.headers.get('retry-after'));
    return { status: res.status, retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined };
  }

  private webIntake(): string {
    return pick(this.targets.webIntake);
  }

  private async webApi(): Promise<void> {
    const key = randomUUID();
    const { text, dirty } = this.text(pick([...PLACED, ...PLACED, ...VAGUE]));
    const reporter: Record<string, string> = {};
    const r = Math.random();
    if (r < 0.35) reporter.email = `warga.${this.n}@chaos.example.id`;
    else if (r < 0.5) reporter.phone = this.nextPhone();
    const channelMessageId = `idem:${key}`;
    const e = this.entry('web-api', 'complaint', 'web', channelMessageId, reporter.email ?? reporter.phone ?? channelMessageId, dirty, trackingIdFor('web', channelMessageId));
    const body = JSON.stringify({ text, ...(Object.keys(reporter).length ? { reporter } : {}) });
    // Each attempt may reach another replica, as behind a load balancer; 3% are double-tapped.
    await this.deliver(e, () => this.post(`${this.webIntake()}/api/v1/complaints`, body, { 'Content-Type': 'application/json', 'Idempotency-Key': key }), 0.03);
  }

  private async webForm(): Promise<void> {
    const key = randomUUID();
    const { text, dirty } = this.text(pick(PLACED));
    const channelMessageId = `idem:form:${key}`;
    const e = this.entry('web-form', 'complaint', 'web', channelMessageId, channelMessageId, dirty, trackingIdFor('web', channelMessageId));
    const body = new URLSearchParams({ text, lokasi: '', idempotencyKey: key }).toString();
    await this.deliver(e, () => this.post(`${this.webIntake()}/lapor`, body, { 'Content-Type': 'application/x-www-form-urlencoded' }), 0.03);
  }

  private async sms(from: string, base: string, kind: Kind, trackingId?: string): Promise<void> {
    const sid = `SM${randomUUID().replace(/-/g, '')}`;
    const { text, dirty } = kind === 'command' ? { text: base, dirty: false } : this.text(base);
    const scenario: Scenario = kind === 'complaint' ? 'sms' : kind === 'follow-up' ? 'sms-follow-up' : 'sms-cek';
    const e = this.entry(scenario, kind, 'sms', sid, from, dirty, kind === 'complaint' ? trackingIdFor('sms', sid) : trackingId);
    const params = inboundSms(from, text, { MessageSid: sid, AccountSid: CHAOS_TWILIO_SID });
    const signedUrl = `${this.targets.publicBaseUrl}/webhooks/twilio/sms`;
    const body = new URLSearchParams(params).toString();
    // Twilio signs the parameters as it sends them; what the server parses back from the form is what it checks.
    const parsed = Object.fromEntries(new URLSearchParams(body));
    const signature = twilio.getExpectedTwilioSignature(CHAOS_TWILIO_TOKEN, signedUrl, parsed);
    await this.deliver(
      e,
      () => this.post(`${this.targets.smsIntake}/webhooks/twilio/sms`, body, { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': signature, 'User-Agent': 'TwilioProxy/1.1' }),
      0.1,
    );
  }

  private async telegram(chatId: number, base: string, kind: Kind, trackingId?: string): Promise<void> {
    const updateId = randomInt(1, 2 ** 47);
    const { text, dirty } = kind === 'command' ? { text: base, dirty: false } : this.text(base);
    const scenario: Scenario = kind === 'complaint' ? 'telegram' : kind === 'follow-up' ? 'telegram-follow-up' : 'telegram-cek';
    const e = this.entry(scenario, kind, 'telegram', String(updateId), String(chatId), dirty, kind === 'complaint' ? trackingIdFor('telegram', String(updateId)) : trackingId);
    const person = { id: chatId, first_name: 'Warga', last_name: 'Uji' };
    const body = JSON.stringify({
      update_id: updateId,
      message: {
        message_id: randomInt(1, 1_000_000),
        from: { ...person, is_bot: false, language_code: 'id' },
        chat: { ...person, type: 'private' },
        date: Math.floor(Date.now() / 1000),
        text,
        ...(text.startsWith('/') ? { entities: [{ offset: 0, length: text.indexOf(' ') > 0 ? text.indexOf(' ') : text.length, type: 'bot_command' }] } : {}),
      },
    });
    await this.deliver(e, () => this.post(`${this.targets.socialIntake}/webhooks/telegram`, body, { 'Content-Type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': CHAOS_TELEGRAM_SECRET }), 0.1);
  }

  private async xDm(): Promise<void> {
    const eventId = String(randomInt(1, 2 ** 47));
    const sender = String(randomInt(10_000_000, 2 ** 47));
    const { text, dirty } = this.text(pick(PLACED));
    const channelMessageId = `dm:${eventId}`;
    const e = this.entry('x-dm', 'complaint', 'x', channelMessageId, sender, dirty, trackingIdFor('x', channelMessageId));
    const body = JSON.stringify({
      for_user_id: CHAOS_X_ACCOUNT,
      direct_message_events: [
        {
          type: 'message_create',
          id: eventId,
          created_timestamp: String(Date.now()),
          message_create: { target: { recipient_id: CHAOS_X_ACCOUNT }, sender_id: sender, message_data: { text, entities: { hashtags: [], symbols: [], user_mentions: [], urls: [] } } },
        },
      ],
      users: { [sender]: { id: sender, name: 'Warga Uji', screen_name: `warga${sender}` } },
    });
    const signature = `sha256=${createHmac('sha256', CHAOS_X_CONSUMER_SECRET).update(body).digest('base64')}`;
    await this.deliver(e, () => this.post(`${this.targets.socialIntake}/webhooks/x`, body, { 'Content-Type': 'application/json', 'x-twitter-webhooks-signature': signature }), 0.1);
  }

  /** An admin assigns a complaint waiting in triage (while its sender may be sending a follow-up that re-routes it). */
  private async adminAssign(): Promise<void> {
    const candidates = await this.opts.triageCandidates().catch(() => []);
    const trackingId = candidates.length ? pick(candidates) : undefined;
    if (!trackingId) return this.webApi();
    const e = this.entry('admin-assign', 'admin', 'web', `admin:${trackingId}:${this.n}`, 'admin', false, trackingId);
    const body = JSON.stringify({ code: '32.73', by: 'chaos-admin' });
    await this.deliver(e, () => this.post(`${pick(this.targets.routers)}/admin/v1/complaints/${trackingId}/assignment`, body, { 'Content-Type': 'application/json', Authorization: `Bearer ${this.targets.adminToken}` }));
  }
}
