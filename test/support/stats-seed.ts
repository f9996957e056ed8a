import { Channel, ComplaintStatus, ComplaintStatusChangedPayload, SubmissionType } from '@lapor/contracts';
import type { DeskHarness } from './desk';

/** One synthetic complaint for the statistics tests: where it went, and its steps in minutes after registration. */
export interface StatsCase {
  body: { kind: 'kota' | 'agency'; code: string; name: string } | 'triage';
  channel: Channel;
  type: SubmissionType;
  confidential: boolean;
  registeredAt: Date;
  steps: [ComplaintStatus, number][];
}

const BODIES: Exclude<StatsCase['body'], 'triage'>[] = [
  { kind: 'kota', code: '32.73', name: 'Kota Bandung' },
  { kind: 'kota', code: '32.71', name: 'Kota Bogor' },
  { kind: 'kota', code: '33.74', name: 'Kota Semarang' },
  { kind: 'agency', code: 'kemenkes', name: 'Kementerian Kesehatan' },
];
const CHANNELS: Channel[] = ['web', 'sms', 'telegram', 'x', 'mobile'];
const TYPES: SubmissionType[] = ['complaint', 'information_request', 'aspiration'];

/** Lifecycle paths (status, minutes after registration) through every share. */
const PATHS: [ComplaintStatus, number][][] = [
  [['triage', 0]],
  [['triage', 0], ['assigned', 600]],
  [['assigned', 0], ['accepted', 90]],
  [['assigned', 5], ['accepted', 120], ['disposed', 200], ['in_progress', 300]],
  [['assigned', 10], ['accepted', 60], ['disposed', 70], ['in_progress', 80], ['responded', 2000]],
  [['assigned', 0], ['accepted', 30], ['disposed', 40], ['in_progress', 50], ['responded', 3000], ['closed', 3000 + 14400]],
  [['triage', 0], ['assigned', 3000], ['accepted', 3100], ['disposed', 3200], ['in_progress', 3300], ['responded', 9000], ['closed', 25000]],
  [['assigned', 0], ['archived', 400]],
  [['assigned', 0], ['accepted', 20], ['disposed', 30], ['in_progress', 40], ['waiting_info', 50]],
];

/** A deterministic spread of complaints over four weeks (November 2026), bodies, channels, types and statuses. */
export function statsCases(count: number): StatsCase[] {
  const start = Date.parse('2026-11-02T01:00:00Z');
  return Array.from({ length: count }, (_, i) => {
    const path = PATHS[i % PATHS.length];
    const triage = path.length === 1 && path[0][0] === 'triage';
    return {
      body: triage ? 'triage' : BODIES[(i * 7) % BODIES.length],
      channel: CHANNELS[(i * 3) % CHANNELS.length],
      type: TYPES[(i * 5) % TYPES.length],
      confidential: i % 6 === 0,
      registeredAt: new Date(start + ((i * 37) % (27 * 24)) * 3600_000 + (i % 5) * 61_000),
      steps: path,
    };
  });
}

/**
 * Publishes a case as the router would (complaint.registered and each complaint.status-changed),
 * through the desk's real consumer; some in an order Kafka may deliver (changes first), and
 * every fourth case redelivered entirely, so the test proves nothing is counted twice.
 */
export async function publishCase(desk: DeskHarness, c: StatsCase, i: number): Promise<string> {
  const { trackingId, events } = desk.fake.seed({ body: c.body, confidential: c.confidential });
  const at = (minutes: number) => new Date(c.registeredAt.getTime() + minutes * 60_000).toISOString();
  const registered = { ...events.registered, channel: c.channel, submissionType: c.type, registeredAt: at(0), receivedAt: at(0) };
  const base = events.statusChanges[0];
  const assignment = events.statusChanges[1].assignment;
  const steps: [ComplaintStatus, number][] = [['received', 0], ...c.steps];
  const changes: ComplaintStatusChangedPayload[] = steps.map(([status, minutes], k) => ({
    ...base,
    status,
    previousStatus: k === 0 ? null : steps[k - 1][0],
    sequence: k + 1,
    changedAt: at(minutes),
    channel: c.channel,
    submissionType: c.type,
    confidential: c.confidential,
    version: k + 1,
    assignment: status === 'triage' || k === 0 ? (status === 'triage' ? { kind: 'triage', code: '', name: 'Triase nasional', unit: null } : null) : assignment,
  }));
  if (i % 3 === 1) {
    await desk.publish({ changes });
    await desk.publish({ registered });
  } else {
    await desk.publish({ registered, changes });
  }
  if (i % 4 === 0) await desk.publish({ registered, changes });
  return trackingId;
}
