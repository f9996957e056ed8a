import { Injectable } from '@nestjs/common';
import type { ComplaintStatus, DeadlineStage } from '@lapor/contracts';
import { EntityManager } from 'typeorm';
import type { DeskComplaintEntity } from '../entities';
import { ComplaintFacts, Contribution, contributionOf, deltaRows, emptyFacts, mergeFacts, Observation, rollUp } from './stats-rules';

/** An action seen in an event or a timeline entry, counted once per (complaint, sequence, action). */
export interface SeenAction {
  sequence: number;
  action: string;
  stage?: string;
  at: Date;
}

interface FactsRow {
  tracking_id: string;
  registered_at: Date | null;
  status: ComplaintStatus;
  body_code: string | null;
  channel: string | null;
  submission_type: string | null;
  confidential: boolean;
  triaged_at: Date | null;
  assigned_at: Date | null;
  accepted_at: Date | null;
  responded_at: Date | null;
  closed_at: Date | null;
  escalated_stages: DeadlineStage[];
  escalations: number;
  ombudsman_at: Date | null;
}

/**
 * Keeps the statistics' aggregate tables up to date (docs/monitoring.md). Called by the read
 * model inside its transaction, under the complaint's row lock, after each update: it loads what
 * the complaint contributed so far, merges what is now known, and applies the difference to the
 * aggregate rows. Idempotent like the read model: a redelivered or stale event changes no
 * current state, milestones keep their earliest time, and an action is counted once per
 * (complaint, sequence, action) — so nothing is ever counted twice.
 */
@Injectable()
export class StatsWriterService {
  async apply(tx: EntityManager, row: DeskComplaintEntity, statuses: { status: ComplaintStatus; at: Date }[], actions: SeenAction[] = []): Promise<void> {
    const [old] = (await tx.query('SELECT * FROM desk_stats_complaints WHERE tracking_id = $1', [row.trackingId])) as FactsRow[];
    const before = old ? factsOf(old) : null;
    const seen: Observation[] = statuses.map((s) => ({ kind: 'status', status: s.status, at: s.at }));
    // The read model's current status counts as seen at its time (a detail read may have skipped steps).
    if (row.statusAt) seen.push({ kind: 'status', status: row.status, at: row.statusAt });
    for (const a of actions) {
      const inserted = (await tx.query('INSERT INTO desk_stats_actions (tracking_id, sequence, action, stage, at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING 1', [row.trackingId, a.sequence, a.action, a.stage ?? null, a.at])) as unknown[];
      if (inserted.length > 0) seen.push({ kind: 'action', action: a.action, stage: a.stage, at: a.at });
    }
    const after = mergeFacts(before ?? emptyFacts(row.trackingId), {
      status: row.status,
      bodyCode: row.bodyKind === 'triage' ? null : row.bodyCode,
      channel: row.channel,
      submissionType: row.submissionType,
      confidential: row.confidential,
      registeredAt: row.registeredAt,
    }, seen);
    if (before && sameFacts(before, after)) return;
    // One statement (one round trip): the facts, and the changed rows of the three grains.
    const params: unknown[] = [];
    const parts = [factsUpsert(after, params)];
    const rows = deltaRows(contributionOf(before), contributionOf(after));
    if (rows.length > 0) {
      parts.push(rowsUpsert('desk_stats_body_week', ['week', 'body_code', 'province_code', 'channel', 'submission_type'], ['body_code', 'week', 'channel', 'submission_type'], rows, (k) => [k.week, k.bodyCode, k.provinceCode, k.channel, k.submissionType], params));
      const province = rollUp(rows, 'province');
      if (province.length) parts.push(rowsUpsert('desk_stats_province_week', ['week', 'province_code', 'channel', 'submission_type'], ['province_code', 'week', 'channel', 'submission_type'], province, (k) => [k.week, k.provinceCode, k.channel, k.submissionType], params));
      const national = rollUp(rows, 'national');
      if (national.length) parts.push(rowsUpsert('desk_stats_national_week', ['week', 'channel', 'submission_type'], ['week', 'channel', 'submission_type'], national, (k) => [k.week, k.channel, k.submissionType], params));
    }
    await tx.query(`WITH ${parts.map((sql, i) => `w${i} AS (${sql} RETURNING 1)`).join(', ')} SELECT 1`, params);
  }
}

function factsUpsert(f: ComplaintFacts, params: unknown[]): string {
  const values = [f.trackingId, f.registeredAt, f.status, f.bodyCode, f.channel, f.submissionType, f.confidential, f.triagedAt, f.assignedAt, f.acceptedAt, f.respondedAt, f.closedAt, f.escalatedStages, f.escalations, f.ombudsmanAt];
  const start = params.length;
  params.push(...values);
  return `INSERT INTO desk_stats_complaints (tracking_id, registered_at, status, body_code, channel, submission_type, confidential, triaged_at, assigned_at, accepted_at, responded_at, closed_at, escalated_stages, escalations, ombudsman_at)
     VALUES (${values.map((_, i) => `$${start + i + 1}`).join(', ')})
     ON CONFLICT (tracking_id) DO UPDATE SET registered_at = EXCLUDED.registered_at, status = EXCLUDED.status, body_code = EXCLUDED.body_code, channel = EXCLUDED.channel,
       submission_type = EXCLUDED.submission_type, confidential = EXCLUDED.confidential, triaged_at = EXCLUDED.triaged_at, assigned_at = EXCLUDED.assigned_at,
       accepted_at = EXCLUDED.accepted_at, responded_at = EXCLUDED.responded_at, closed_at = EXCLUDED.closed_at, escalated_stages = EXCLUDED.escalated_stages,
       escalations = EXCLUDED.escalations, ombudsman_at = EXCLUDED.ombudsman_at`;
}

/** Adds signed deltas to aggregate rows (creating them); rows in key order, each key once (a fixed lock order across concurrent complaints). */
function rowsUpsert(table: string, keyColumns: string[], conflict: string[], rows: Contribution[], keyValues: (k: Contribution['key']) => unknown[], params: unknown[]): string {
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r.metrics)))];
  const tuples = rows.map((r) => {
    const values = [...keyValues(r.key), ...cols.map((c) => r.metrics[c] ?? 0)];
    const start = params.length;
    params.push(...values);
    return `(${values.map((_, i) => `$${start + i + 1}${i < keyColumns.length ? '' : '::int'}`).join(', ')})`;
  });
  return `INSERT INTO ${table} (${[...keyColumns, ...cols].join(', ')}) VALUES ${tuples.join(', ')}
     ON CONFLICT (${conflict.join(', ')}) DO UPDATE SET ${cols.map((c) => `${c} = ${table}.${c} + EXCLUDED.${c}`).join(', ')}`;
}

/**
 * The action an event or timeline entry records, by name: a missed deadline (`escalation`, the
 * `escalate` action, with its stage) and the forward to Ombudsman RI (`event:
 * 'forwarded-ombudsman'`, the `forward-ombudsman` action), as libs/contracts/src/ombudsman.ts
 * carries them; or an explicit `action` field (name and optional `stage`) a future step may add.
 */
export function actionOf(source: { event?: string | null; escalation?: { stage: string } | null }, sequence: number, at: Date): SeenAction[] {
  if (source.escalation) return [{ sequence, action: 'escalate', stage: source.escalation.stage, at }];
  if (source.event === 'forwarded-ombudsman') return [{ sequence, action: 'forward-ombudsman', at }];
  const a = (source as { action?: unknown }).action;
  const stage = (source as { stage?: unknown }).stage;
  if (typeof a === 'string') return [{ sequence, action: a, at, ...(typeof stage === 'string' ? { stage } : {}) }];
  return [];
}

function factsOf(r: FactsRow): ComplaintFacts {
  return {
    trackingId: r.tracking_id,
    registeredAt: r.registered_at,
    status: r.status,
    bodyCode: r.body_code,
    channel: r.channel,
    submissionType: r.submission_type,
    confidential: r.confidential,
    triagedAt: r.triaged_at,
    assignedAt: r.assigned_at,
    acceptedAt: r.accepted_at,
    respondedAt: r.responded_at,
    closedAt: r.closed_at,
    escalatedStages: [...(r.escalated_stages ?? [])].sort(),
    escalations: r.escalations,
    ombudsmanAt: r.ombudsman_at,
  };
}

function sameFacts(a: ComplaintFacts, b: ComplaintFacts): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
