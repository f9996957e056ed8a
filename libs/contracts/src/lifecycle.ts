import { z } from 'zod';
import { SubmissionType } from './submission-type';

/**
 * The complaint lifecycle, defined once: statuses (stable identifiers, Bahasa Indonesia
 * labels), who may move a complaint from which status with which action, and the reasons
 * a complaint can be archived or closed. The router (the record's owner) refuses every
 * transition this table does not allow (409); the desk checks the actor's role and scope
 * before asking. Modelled on SP4N-LAPOR!'s own flow: verification by the national admin,
 * distribution to the body (K/L/D), disposition to a unit, follow-up (tindak lanjut), the
 * reporter's objection, and closing or archiving by reporter, admin or system.
 */
export const COMPLAINT_STATUSES = {
  /** Stored by the router; routing runs in the same step, so this is only ever the first entry. */
  received: { label: 'Diterima', stage: 'verification' },
  /** Routing was unsure: waits for the national admin's verification (SP4N-LAPOR! "Belum Terverifikasi"). */
  triage: { label: 'Menunggu verifikasi admin', stage: 'verification' },
  /** Verified (by routing or the admin) and delivered to a body's liaisons; waits for the body to accept. */
  assigned: { label: 'Diteruskan ke instansi', stage: 'acceptance' },
  accepted: { label: 'Diterima instansi', stage: 'response' },
  /** Not this body's responsibility (with the reason); always followed by `assigned` (another body) or `triage`. */
  returned: { label: 'Dikembalikan oleh instansi', stage: 'acceptance' },
  disposed: { label: 'Didisposisikan ke unit kerja', stage: 'response' },
  in_progress: { label: 'Sedang ditindaklanjuti', stage: 'response' },
  /** The officer asked the reporter something; the reporter's reply (any channel) returns it to the officer. */
  waiting_info: { label: 'Menunggu kelengkapan informasi dari pelapor', stage: 'response' },
  /** The body's answer (tindak lanjut) was given; the reporter may object within the objection window. */
  responded: { label: 'Sudah ditanggapi', stage: 'confirmation' },
  /** The reporter objected to the response (tidak puas): back to the body. */
  reopened: { label: 'Dibuka kembali (pelapor tidak puas)', stage: 'response' },
  closed: { label: 'Selesai', stage: 'done' },
  archived: { label: 'Diarsipkan', stage: 'done' },
  merged: { label: 'Digabungkan dengan laporan lain', stage: 'done' },
} as const satisfies Record<string, { label: string; stage: LifecycleStage }>;

/**
 * The four stages deadlines and statistics are kept for: verification (national admin),
 * acceptance (the body takes it), response (first response / follow-up done) and the
 * reporter's confirmation window; `done` is terminal.
 */
export type LifecycleStage = 'verification' | 'acceptance' | 'response' | 'confirmation' | 'done';

type StatusId = keyof typeof COMPLAINT_STATUSES;
export const ComplaintStatus = z.enum(Object.keys(COMPLAINT_STATUSES) as [StatusId, ...StatusId[]]);
export type ComplaintStatus = z.infer<typeof ComplaintStatus>;

/** Labels by status id (for documentation tables and pages). */
export const COMPLAINT_STATUS_LABELS = Object.fromEntries(
  Object.entries(COMPLAINT_STATUSES).map(([id, s]) => [id, s.label]),
) as { [K in ComplaintStatus]: (typeof COMPLAINT_STATUSES)[K]['label'] };

export function statusLabel(status: ComplaintStatus): string {
  return COMPLAINT_STATUSES[status].label;
}

export function stageOf(status: ComplaintStatus): LifecycleStage {
  return COMPLAINT_STATUSES[status].stage;
}

/** Statuses nothing moves out of (a reporter writing again opens a new complaint). */
export const TERMINAL_STATUSES: readonly ComplaintStatus[] = ['closed', 'archived', 'merged'];

export function isTerminal(status: ComplaintStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** Why a complaint was archived (SP4N-LAPOR!'s archive reasons). */
export const ARCHIVE_REASONS = {
  sara: 'Mengandung unsur SARA',
  no_evidence: 'Tidak ada bukti pendukung',
  unclear: 'Laporan tidak jelas',
  not_government: 'Bukan tentang kinerja pemerintah',
  expired: 'Melewati masa berlaku laporan',
  reporter_request: 'Atas permintaan pelapor',
  blocked_content: 'Konten terblokir',
} as const;
type ArchiveReasonId = keyof typeof ARCHIVE_REASONS;
export const ArchiveReason = z.enum(Object.keys(ARCHIVE_REASONS) as [ArchiveReasonId, ...ArchiveReasonId[]]);
export type ArchiveReason = z.infer<typeof ArchiveReason>;

/** Who closed or archived it: "Ditutup oleh Pelapor / Admin / Sistem" in SP4N-LAPOR!'s export. */
export const ClosedBy = z.enum(['reporter', 'admin', 'system']);
export type ClosedBy = z.infer<typeof ClosedBy>;
export const CLOSED_BY_LABELS: Record<ClosedBy, string> = { reporter: 'oleh pelapor', admin: 'oleh admin', system: 'oleh sistem' };

/** Officials' roles. Scope: national admin everything; liaison their body; officer their body's unit. */
export const OfficerRole = z.enum(['national-admin', 'liaison', 'officer']);
export type OfficerRole = z.infer<typeof OfficerRole>;
export const OFFICER_ROLE_LABELS: Record<OfficerRole, string> = {
  'national-admin': 'Admin nasional',
  liaison: 'Pejabat penghubung (admin instansi)',
  officer: 'Petugas unit kerja',
};

/**
 * Who performs an action. Officials act through the desk (which has checked role and
 * scope); the reporter acts by channel command, follow-up message or the status page;
 * the system by timers (auto-close after the objection window, expiry).
 */
export const Actor = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('officer'),
    officerId: z.string().min(1).max(100),
    role: OfficerRole,
    /** The body the officer belongs to (region code or agency slug); absent for the national admin. */
    bodyCode: z.string().max(80).optional(),
    unit: z.string().max(300).optional(),
    /** Shown in timelines to officials (never to citizens). */
    displayName: z.string().max(200).optional(),
  }),
  z.object({ kind: z.literal('reporter') }),
  z.object({ kind: z.literal('system'), reason: z.string().max(200) }),
]);
export type Actor = z.infer<typeof Actor>;
export type ActorKind = Actor['kind'];

const TrackingIdField = z.string().min(1).max(40);

/**
 * The stages that carry a deadline (issue 10): the national admin verifies a triage complaint, the
 * body accepts it, the first response reaches the reporter, the follow-up is done. Durations and
 * their legal basis are data (the deadline policy), not code.
 */
export const DeadlineStage = z.enum(['verification', 'acceptance', 'first-response', 'follow-up']);
export type DeadlineStage = z.infer<typeof DeadlineStage>;
const Text = (max: number) => z.string().trim().min(1).max(max);

/**
 * Everything that can be done to a complaint after registration. Officials' actions come
 * from the desk (API `POST /desk/v1/complaints/{id}/actions` and console); `object`,
 * `provide-info` and a reporter's `close` come from the reporter; `close`/`archive` also
 * from the system. `classify` changes the submission type without changing the status.
 */
export const ComplaintAction = z.discriminatedUnion('action', [
  /** National admin verifies a triage complaint and names the body (and optionally the unit), or corrects routing before the body accepted. */
  z.object({ action: z.literal('assign'), body: Text(80), unit: Text(300).optional(), note: Text(2000).optional() }),
  z.object({ action: z.literal('accept'), note: Text(2000).optional() }),
  /** Not this body's responsibility: routing runs again without this body, else triage. */
  z.object({ action: z.literal('return'), reason: Text(2000) }),
  z.object({ action: z.literal('forward'), body: Text(80), reason: Text(2000) }),
  z.object({ action: z.literal('dispose'), unit: Text(300), note: Text(2000).optional() }),
  z.object({ action: z.literal('start'), note: Text(2000).optional() }),
  /** The question goes to the reporter's channel. */
  z.object({ action: z.literal('request-info'), question: Text(1000) }),
  /** The reporter's answer (a follow-up message or the status page form). */
  z.object({ action: z.literal('provide-info'), text: Text(5000) }),
  /** Tindak lanjut: the response the reporter receives (a summary of it by SMS). */
  z.object({ action: z.literal('respond'), response: Text(5000) }),
  /** Tidak puas: the reporter objects to the response. */
  z.object({ action: z.literal('object'), reason: Text(2000).optional() }),
  z.object({ action: z.literal('close'), note: Text(2000).optional() }),
  z.object({ action: z.literal('archive'), reason: ArchiveReason, note: Text(2000).optional() }),
  z.object({ action: z.literal('merge'), into: TrackingIdField, note: Text(2000).optional() }),
  z.object({ action: z.literal('classify'), submissionType: SubmissionType }),
  /**
   * A stage's deadline passed (the desk's deadline scheduler): the complaint is flagged overdue and
   * the escalation (who was told) enters the timeline. No status change.
   */
  z.object({ action: z.literal('escalate'), stage: DeadlineStage, dueAt: z.string().datetime({ offset: true }), escalatedTo: Text(300) }),
  /**
   * The reporter forwards the complaint to Ombudsman RI (offered when the follow-up is overdue, or
   * when it was closed while the reporter objected). No status change; the router publishes
   * `complaint.escalated` for the Ombudsman's intake.
   */
  z.object({ action: z.literal('forward-ombudsman'), note: Text(2000).optional() }),
]);
export type ComplaintAction = z.infer<typeof ComplaintAction>;
export type ComplaintActionName = ComplaintAction['action'];

/** Who may take an action: roles of officials, plus the reporter and the system. */
type Performer = OfficerRole | 'reporter' | 'system';

interface TransitionRule {
  from: readonly ComplaintStatus[] | 'any-open';
  /** The status it leads to; `null` keeps the status (classify); `route` = decided by routing (return). */
  to: ComplaintStatus | null | 'route';
  by: readonly Performer[];
}

const WORKING: readonly ComplaintStatus[] = ['accepted', 'disposed', 'in_progress', 'reopened'];
const OPEN_STATUSES_FOR_OMBUDSMAN: readonly ComplaintStatus[] = ['assigned', 'accepted', 'disposed', 'in_progress', 'waiting_info', 'responded', 'reopened'];

/**
 * The transition table. Officers (unit) act only on complaints disposed to their unit;
 * liaisons on their body's complaints; the national admin on all (scope is the desk's
 * check, legality is this table's).
 */
export const TRANSITIONS: Record<ComplaintActionName, TransitionRule> = {
  /** Also from `assigned`: the admin corrects routing (another body, or the unit level 2 was unsure of) before the body accepted. */
  assign: { from: ['received', 'triage', 'assigned'], to: 'assigned', by: ['national-admin'] },
  accept: { from: ['assigned'], to: 'accepted', by: ['national-admin', 'liaison'] },
  return: { from: ['assigned', 'accepted'], to: 'route', by: ['national-admin', 'liaison'] },
  forward: { from: ['assigned', 'accepted', 'disposed', 'in_progress', 'reopened'], to: 'assigned', by: ['national-admin', 'liaison'] },
  dispose: { from: ['accepted', 'disposed', 'in_progress', 'reopened'], to: 'disposed', by: ['national-admin', 'liaison'] },
  start: { from: ['disposed', 'reopened'], to: 'in_progress', by: ['national-admin', 'liaison', 'officer'] },
  'request-info': { from: WORKING, to: 'waiting_info', by: ['national-admin', 'liaison', 'officer'] },
  /** Back to where the officer asked from (the status before waiting_info). */
  'provide-info': { from: ['waiting_info'], to: 'in_progress', by: ['reporter'] },
  respond: { from: WORKING, to: 'responded', by: ['national-admin', 'liaison', 'officer'] },
  object: { from: ['responded'], to: 'reopened', by: ['reporter'] },
  /** The reporter and the system close a responded complaint; admins may close any open one. */
  close: { from: 'any-open', to: 'closed', by: ['national-admin', 'liaison', 'reporter', 'system'] },
  archive: { from: 'any-open', to: 'archived', by: ['national-admin', 'liaison', 'reporter', 'system'] },
  merge: { from: 'any-open', to: 'merged', by: ['national-admin', 'liaison'] },
  classify: { from: 'any-open', to: null, by: ['national-admin', 'liaison', 'officer'] },
  escalate: { from: 'any-open', to: null, by: ['system'] },
  /** Whether the reporter may (overdue follow-up, or closed while objecting) is the router's check on the record. */
  'forward-ombudsman': { from: [...OPEN_STATUSES_FOR_OMBUDSMAN, 'closed'], to: null, by: ['reporter'] },
};

/** Reporters and the system may close only a responded complaint (the objection window ended or they are satisfied). */
const CLOSE_FROM_RESPONSE_ONLY: readonly Performer[] = ['reporter', 'system'];

export type TransitionCheck = { ok: true; to: ComplaintStatus | null | 'route' } | { ok: false; reason: string };

function performerOf(actor: Actor): Performer {
  return actor.kind === 'officer' ? actor.role : actor.kind;
}

/** What each action is called on buttons and in refusals (Bahasa Indonesia). */
export const COMPLAINT_ACTION_LABELS: Record<ComplaintActionName, string> = {
  assign: 'Tetapkan instansi',
  accept: 'Terima',
  return: 'Kembalikan (bukan kewenangan)',
  forward: 'Teruskan ke instansi lain',
  dispose: 'Disposisikan ke unit kerja',
  start: 'Mulai tindak lanjut',
  'request-info': 'Minta informasi dari pelapor',
  'provide-info': 'Kirim informasi tambahan',
  respond: 'Beri tanggapan (tindak lanjut)',
  object: 'Ajukan keberatan (tidak puas)',
  close: 'Tutup laporan',
  archive: 'Arsipkan',
  merge: 'Gabungkan dengan laporan lain',
  classify: 'Ubah jenis laporan',
  escalate: 'Eskalasi (tenggat terlewati)',
  'forward-ombudsman': 'Teruskan ke Ombudsman RI',
};

const PERFORMER_LABELS: Record<Performer, string> = { ...OFFICER_ROLE_LABELS, reporter: 'pelapor', system: 'sistem' };

/**
 * Whether `actor` may take `action` on a complaint in status `from`. The reason is
 * Bahasa Indonesia for the officer (409 body). Scope (which body/unit) is not checked here.
 */
export function checkTransition(action: ComplaintActionName, from: ComplaintStatus, actor: Actor): TransitionCheck {
  const rule = TRANSITIONS[action];
  const performer = performerOf(actor);
  const name = COMPLAINT_ACTION_LABELS[action];
  if (!rule.by.includes(performer)) return { ok: false, reason: `Tindakan "${name}" tidak boleh dilakukan oleh ${PERFORMER_LABELS[performer]}` };
  const allowed = rule.from === 'any-open' ? !isTerminal(from) : rule.from.includes(from);
  if (!allowed) return { ok: false, reason: `Tindakan "${name}" tidak dapat dilakukan pada laporan berstatus "${statusLabel(from)}"` };
  if (action === 'close' && CLOSE_FROM_RESPONSE_ONLY.includes(performer) && from !== 'responded') {
    return { ok: false, reason: 'Laporan hanya dapat ditutup setelah ditanggapi' };
  }
  return { ok: true, to: rule.to };
}

/** The actions `actor` could take now (for showing buttons; the server checks again). */
export function availableActions(from: ComplaintStatus, actor: Actor): ComplaintActionName[] {
  return (Object.keys(TRANSITIONS) as ComplaintActionName[]).filter((a) => checkTransition(a, from, actor).ok);
}
