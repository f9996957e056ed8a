import type { DeadLetter } from './kafka';
import type { FaultWindow, Poison } from './faults';
import type { LedgerEntry } from './traffic';
import type { VendorSend } from './vendors';

/** One line of the result table. `ok: undefined` is a figure to read, not a pass/fail check. */
export interface AuditRow {
  check: string;
  value: string;
  ok?: boolean;
  note?: string;
}

export interface RouterData {
  messages: { channel: string; channel_message_id: string; tracking_id: string; text_has_controls: boolean }[];
  complaints: { tracking_id: string; channel: string; sender_id: string; reply_to: { channel: string; address: string; publicReplyTo?: string }[] }[];
  statusChanges: { tracking_id: string; sequence: number; status: string; at: Date }[];
  /** Same message stored twice (impossible while the unique key holds). */
  duplicateMessages: number;
}

export interface NotificationRow {
  id: string;
  dedupe_key: string;
  kind: string;
  channel: string;
  address: string;
  body: string;
  state: string;
  possible_duplicate: boolean;
}

/** Counts, per expected message, how many times the vendors received it. */
class SendIndex {
  private readonly byId = new Map<string, number>();
  private readonly byContent = new Map<string, number>();
  private readonly rowsByContent = new Map<string, number>();
  readonly unmatched: VendorSend[] = [];

  constructor(sends: VendorSend[], rows: NotificationRow[]) {
    const ids = new Set(rows.map((r) => r.id));
    for (const r of rows) this.rowsByContent.set(content(r.channel, r.address, r.body), (this.rowsByContent.get(content(r.channel, r.address, r.body)) ?? 0) + 1);
    for (const s of sends) {
      if (s.notificationId) {
        if (!ids.has(s.notificationId)) this.unmatched.push(s);
        this.byId.set(s.notificationId, (this.byId.get(s.notificationId) ?? 0) + 1);
      } else {
        const k = content(s.channel, s.address, s.body);
        if (!this.rowsByContent.has(k)) this.unmatched.push(s);
        this.byContent.set(k, (this.byContent.get(k) ?? 0) + 1);
      }
    }
  }

  /**
   * Sends of one notification. SMS and e-mail carry its id; Telegram and X only its
   * recipient and text, so rows with identical text to one recipient share their sends.
   */
  count(row: NotificationRow): number {
    if (row.channel === 'sms' || row.channel === 'email') return this.byId.get(row.id) ?? 0;
    const k = content(row.channel, row.address, row.body);
    const sends = this.byContent.get(k) ?? 0;
    const rows = this.rowsByContent.get(k) ?? 1;
    return rows === 1 ? sends : sends / rows;
  }
}

function content(channel: string, address: string, body: string): string {
  return `${channel}\u0001${address}\u0001${body.trim()}`;
}

const REPLYABLE = new Set(['sms', 'telegram', 'x']);

export function percentile(xs: number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

export interface AuditInput {
  ledger: LedgerEntry[];
  skipped: number;
  offered: number;
  trafficSeconds: number;
  rate: number;
  router: RouterData;
  notifications: NotificationRow[];
  sends: VendorSend[];
  deadLetters: DeadLetter[];
  poisons: Poison[];
  consumedTopics: Set<string>;
  registeredCounts: Map<string, { count: number; times: number[] }>;
  windows: FaultWindow[];
  /** Windows of crashes after which a record may be published again (at least once): router kill -9, PostgreSQL crash, broker kill. */
  crashWindows: FaultWindow[];
  lag: { caughtUpAfterLastFaultMs?: number; zeroAfterTrafficMs?: number; maxLag: number; maxLagByGroup?: Record<string, number>; deadlineMs: number };
  notifierDrainMs?: number;
  /** Lag reached 0 and the outbox emptied before the audit; if not, what is missing may still be on its way. */
  drained: boolean;
  unexpectedExits: { name: string; code: number | null; signal: string | null }[];
  faultErrors: string[];
}

export interface AuditResult {
  rows: AuditRow[];
  failures: string[];
  lost: LedgerEntry[];
  latency: { window: string; acceptP50: number; acceptP99: number; assignP50: number; assignP99: number; n: number }[];
}

export function audit(input: AuditInput): AuditResult {
  const rows: AuditRow[] = [];
  const failures: string[] = [];
  const check = (row: AuditRow) => {
    rows.push(row);
    if (row.ok === false) failures.push(`${row.check}: ${row.value}${row.note ? ` (${row.note})` : ''}`);
  };
  const { ledger } = input;
  const acked = ledger.filter((e) => e.ackedAt !== undefined);
  const achieved = acked.length / input.trafficSeconds;

  // ---- traffic
  check({ check: 'messages offered (open loop)', value: `${input.offered} in ${input.trafficSeconds.toFixed(0)} s = ${(input.offered / input.trafficSeconds).toFixed(1)}/s (target ${input.rate}/s)` });
  check({
    check: 'messages acknowledged (2xx)',
    value: `${acked.length} = ${achieved.toFixed(1)}/s`,
    note: input.skipped ? `${input.skipped} not offered: harness in-flight cap reached (the system answered too slowly)` : undefined,
  });
  const refused = ledger.filter((e) => e.ackedAt === undefined);
  const reasons = new Map<string, number>();
  for (const e of refused) reasons.set(e.refused ?? 'no answer', (reasons.get(e.refused ?? 'no answer') ?? 0) + 1);
  check({
    check: 'never acknowledged (client gave up after 10 tries, or 4xx)',
    value: String(refused.length),
    note: [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([r, n]) => `${n}× ${r}`).join('; ') || undefined,
  });
  const retried = acked.filter((e) => e.attempts > 1).length;
  check({ check: 'acknowledged after client retries (503 / broken connection)', value: String(retried) });
  check({ check: 'redeliveries of acknowledged messages (same key)', value: String(ledger.reduce((n, e) => n + e.redeliveries, 0)) });

  // ---- complaints: nothing lost, nothing twice
  const stored = new Map(input.router.messages.map((m) => [`${m.channel}\u0001${m.channel_message_id}`, m]));
  const registrable = acked.filter((e) => e.kind === 'complaint' || e.kind === 'follow-up');
  const lost = registrable.filter((e) => !stored.has(`${e.channel}\u0001${e.key}`));
  check({ check: 'acknowledged messages registered', value: `${registrable.length - lost.length} of ${registrable.length}`, ok: lost.length === 0, note: lost.length ? `${lost.length} not registered${input.drained ? ' (LOST)' : ' when audited (the system had not drained: some may still be in Kafka)'}, e.g. ${lost.slice(0, 3).map((e) => `${e.channel}:${e.key}`).join(', ')}` : undefined });
  check({ check: 'messages stored twice', value: String(input.router.duplicateMessages), ok: input.router.duplicateMessages === 0 });
  const dirty = registrable.filter((e) => e.dirty);
  const dirtyStored = dirty.filter((e) => stored.has(`${e.channel}\u0001${e.key}`)).length;
  check({ check: 'acknowledged messages with NUL/control/surrogate characters registered', value: `${dirtyStored} of ${dirty.length}`, ok: dirtyStored === dirty.length });
  const withControls = input.router.messages.filter((m) => m.text_has_controls).length;
  check({ check: 'stored texts with control characters', value: String(withControls), ok: withControls === 0 });
  const followUps = registrable.filter((e) => e.kind === 'follow-up');
  const threaded = followUps.filter((e) => stored.get(`${e.channel}\u0001${e.key}`)?.tracking_id === e.trackingId).length;
  check({ check: 'follow-ups attached to their complaint', value: `${threaded} of ${followUps.length}`, note: 'a follow-up after its complaint left the window starts a new one' });
  const ackedKeys = new Set(acked.map((e) => `${e.channel}\u0001${e.key}`));
  const unacked = input.router.messages.filter((m) => !ackedKeys.has(`${m.channel}\u0001${m.channel_message_id}`) && !m.channel_message_id.startsWith('chaos-poison')).length;
  check({ check: 'registered although the client never saw its 2xx', value: String(unacked), note: 'stored, then the answer was lost or late: the retry with the same key found it' });

  // complaint.registered: once per complaint
  let twice = 0;
  let twiceInCrash = 0;
  const inCrash = (t: number) => input.crashWindows.some((w) => t >= w.start - 2_000 && t <= w.end);
  for (const [, { count, times }] of input.registeredCounts) {
    if (count < 2) continue;
    if (times.slice(1).every(inCrash)) twiceInCrash++;
    else twice++;
  }
  const complaintsWithoutEvent = input.router.complaints.filter((c) => !input.registeredCounts.has(c.tracking_id)).length;
  check({ check: 'complaints announced (complaint.registered) more than once', value: String(twice), ok: twice === 0, note: twiceInCrash ? `plus ${twiceInCrash} re-published within a crash window (router kill -9, PostgreSQL or broker crash: at least once)` : undefined });
  check({ check: 'complaints never announced', value: String(complaintsWithoutEvent), ok: complaintsWithoutEvent === 0 });

  // ---- notifications: every status change exactly once per recipient
  const sends = new SendIndex(input.sends, input.notifications);
  const byKey = new Map<string, NotificationRow>();
  for (const n of input.notifications) byKey.set(`${n.dedupe_key}\u0001${n.channel}\u0001${n.address}`, n);
  const complaints = new Map(input.router.complaints.map((c) => [c.tracking_id, c]));
  let expected = 0;
  let notQueued = 0;
  let zero = 0;
  let twiceSent = 0;
  let possible = 0;
  let suppressed = 0;
  const examples: string[] = [];
  const judge = (n: NotificationRow | undefined, what: string) => {
    expected++;
    if (!n) {
      notQueued++;
      if (examples.length < 5) examples.push(`not queued: ${what}`);
      return;
    }
    const c = sends.count(n);
    if (n.state === 'suppressed') {
      suppressed++;
      return;
    }
    if (c < 1) {
      zero++;
      if (examples.length < 5) examples.push(`0 sends: ${what} (${n.state})`);
    } else if (c > 1) {
      if (n.possible_duplicate) possible++;
      else {
        twiceSent++;
        if (examples.length < 5) examples.push(`${c} sends: ${what}`);
      }
    }
  };
  for (const s of input.router.statusChanges) {
    if (s.status === 'received') continue; // announced with the routing outcome
    const c = complaints.get(s.tracking_id);
    if (!c) continue;
    const dedupe = `status:${s.tracking_id}:${s.sequence}`;
    const recipients: [string, string][] = [];
    if (REPLYABLE.has(c.channel)) recipients.push([c.channel, c.sender_id]);
    for (const r of c.reply_to ?? []) if (!r.publicReplyTo) recipients.push([r.channel, r.address]);
    for (const [channel, address] of recipients) judge(byKey.get(`${dedupe}\u0001${channel}\u0001${address}`), `${dedupe} → ${channel}:${address}`);
  }
  const statusExpected = expected;
  // Answers to commands (CEK): one per acknowledged command.
  for (const e of acked.filter((x) => x.kind === 'command')) judge(byKey.get(`reply:${e.channel}:${e.key}\u0001${e.channel}\u0001${e.sender}`), `reply:${e.channel}:${e.key}`);
  const notified = expected - notQueued - zero - twiceSent - possible - suppressed;
  check({ check: 'status changes and answers to notify (per recipient)', value: `${expected} (${statusExpected} status changes, ${expected - statusExpected} CEK answers)` });
  check({ check: 'notified exactly once', value: String(notified + possible) });
  check({ check: 'notified zero times (never queued)', value: String(notQueued), ok: notQueued === 0, note: notQueued ? examples.filter((x) => x.startsWith('not queued')).slice(0, 3).join('; ') : undefined });
  check({ check: 'notified zero times (queued, never reached the vendor)', value: String(zero), ok: zero === 0, note: zero ? examples.filter((x) => x.startsWith('0 sends')).slice(0, 3).join('; ') : undefined });
  check({ check: 'notified two or more times', value: String(twiceSent), ok: twiceSent === 0, note: twiceSent ? examples.filter((x) => /^\d+ sends/.test(x)).slice(0, 3).join('; ') : undefined });
  const flagged = input.notifications.filter((n) => n.possible_duplicate);
  const flaggedByChannel = new Map<string, number>();
  for (const n of flagged) flaggedByChannel.set(n.channel, (flaggedByChannel.get(n.channel) ?? 0) + 1);
  check({
    check: 'possible duplicates (vendor cannot be asked; resent after a crash mid-send)',
    value: `${flagged.length} flagged, ${possible} actually received twice`,
    note: flagged.length ? [...flaggedByChannel].map(([c, n]) => `${c} ${n}`).join(', ') : undefined,
  });
  if (suppressed) check({ check: 'suppressed by the notifier (opt-out / reply limit)', value: String(suppressed) });
  check({ check: 'vendor sends matching no notification', value: String(sends.unmatched.length), ok: sends.unmatched.length === 0, note: sends.unmatched.slice(0, 2).map((s) => `${s.channel}:${s.address}`).join(', ') || undefined });

  // ---- dead letters: only the poison records
  const foreign = input.deadLetters.filter((d) => !d.key.startsWith('chaos-poison:') && !d.headers['x-chaos-poison']);
  check({
    check: 'dead letters that are not the harness\'s poison records',
    value: String(foreign.length),
    ok: foreign.length === 0,
    note: foreign.length ? foreign.slice(0, 3).map((d) => `${d.topic}@${d.partition}:${d.offset} ${d.headers['x-dlq-reason'] ?? d.headers['x-dlq-error'] ?? ''}`.slice(0, 160)).join('; ') : undefined,
  });
  const dlqKeys = new Set(input.deadLetters.map((d) => `${d.topic.replace(/\.dlq$/, '')}\u0001${d.key}`));
  const storedKeys = new Set(input.router.messages.map((m) => m.channel_message_id));
  const missing: string[] = [];
  let consumedPoisons = 0;
  for (const p of input.poisons) {
    if (!input.consumedTopics.has(p.topic)) continue;
    consumedPoisons++;
    const inDlq = dlqKeys.has(`${p.topic}\u0001${p.key}`);
    // A NUL-text event may also be cleaned and stored instead; then it did not block anything either.
    const cleaned = p.kind === 'nul-text' && [...storedKeys].some((k) => k.startsWith('chaos-poison-nul-'));
    if (!inDlq && !cleaned) missing.push(`${p.kind} on ${p.topic}`);
  }
  const unconsumed = input.poisons.filter((p) => !input.consumedTopics.has(p.topic)).map((p) => p.topic);
  check({
    check: 'poison records dead-lettered',
    value: `${consumedPoisons - missing.length} of ${consumedPoisons} on consumed topics`,
    ok: missing.length === 0,
    note: [missing.length ? `not in a DLQ: ${missing.slice(0, 4).join(', ')}` : '', unconsumed.length ? `${new Set(unconsumed).size} topics have no consumer yet` : ''].filter(Boolean).join('; ') || undefined,
  });

  // ---- nothing blocked
  const lagOk = (ms: number | undefined) => ms !== undefined && ms <= input.lag.deadlineMs;
  check({ check: 'consumer lag caught up after the last fault', value: fmtMs(input.lag.caughtUpAfterLastFaultMs), ok: lagOk(input.lag.caughtUpAfterLastFaultMs), note: `≤ 1 s of traffic behind, within ${input.lag.deadlineMs / 1000} s` });
  check({ check: 'consumer lag 0 after the traffic stopped', value: fmtMs(input.lag.zeroAfterTrafficMs), ok: lagOk(input.lag.zeroAfterTrafficMs), note: `max lag during the run ${input.lag.maxLag}${input.lag.maxLagByGroup && Object.keys(input.lag.maxLagByGroup).length ? ` (${Object.entries(input.lag.maxLagByGroup).map(([g, n]) => `${g} ${n}`).join(', ')})` : ''}` });
  check({ check: 'notifier outbox drained after the traffic stopped', value: fmtMs(input.notifierDrainMs) });
  check({ check: 'faults carried out and undone', value: input.faultErrors.length ? `${input.faultErrors.length} failed` : 'all', ok: input.faultErrors.length === 0, note: input.faultErrors.join('; ') || undefined });
  check({ check: 'service processes that died unasked', value: String(input.unexpectedExits.length), ok: input.unexpectedExits.length === 0, note: input.unexpectedExits.map((x) => `${x.name} (${x.signal ?? x.code})`).join(', ') || undefined });

  // ---- latency by fault window
  const assignedAt = new Map<string, number>();
  for (const s of input.router.statusChanges) if (s.sequence === 2) assignedAt.set(s.tracking_id, new Date(s.at).getTime());
  const windowOf = (t: number) => input.windows.find((w) => t >= w.start && t <= w.end)?.name ?? 'outside fault windows';
  const groups = new Map<string, { accept: number[]; assign: number[] }>();
  for (const w of [...input.windows.map((x) => x.name), 'outside fault windows']) groups.set(w, { accept: [], assign: [] });
  for (const e of acked) {
    const g = groups.get(windowOf(e.sentAt))!;
    g.accept.push(e.ackedAt! - e.sentAt);
    if (e.kind === 'complaint' && e.trackingId) {
      const at = assignedAt.get(e.trackingId);
      if (at !== undefined) g.assign.push(Math.max(0, at - e.ackedAt!));
    }
  }
  const latency = [...groups].map(([window, g]) => ({
    window,
    n: g.accept.length,
    acceptP50: percentile(g.accept, 50),
    acceptP99: percentile(g.accept, 99),
    assignP50: percentile(g.assign, 50),
    assignP99: percentile(g.assign, 99),
  }));
  return { rows, failures, lost, latency };
}

export function fmtMs(ms: number | undefined): string {
  if (ms === undefined || Number.isNaN(ms)) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
