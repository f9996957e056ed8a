import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  AgencyComplaintView,
  Attachment,
  ApplyActionRequest,
  Assignment,
  checkTransition,
  ComplaintRegisteredPayload,
  ComplaintStatus,
  ComplaintStatusChangedPayload,
  newTrackingId,
  ReporterIdentity,
  RoutingDecision,
  statusLabel,
} from '@lapor/contracts';

export interface SeedInput {
  body?: { kind: 'kota' | 'kabupaten' | 'province' | 'agency'; code: string; name: string } | 'triage';
  unit?: string;
  status?: ComplaintStatus;
  text?: string;
  anonymous?: boolean;
  confidential?: boolean;
  reporter?: ReporterIdentity;
  unitSuggestion?: { unit: string; confidence: number };
  rules?: string[];
  /** Files on the complaint's first message (stored beforehand in the test's attachment store). */
  attachments?: Attachment[];
}

/** What the router would have published for a seeded complaint: feed these to the desk's bus. */
export interface SeededEvents {
  registered: ComplaintRegisteredPayload;
  statusChanges: ComplaintStatusChangedPayload[];
}

/**
 * A stand-in for the router's internal API (docs/agency-desk.md, "Interfaces") for the
 * desk's own tests, until they run against the real router: in-memory complaints, the
 * lifecycle from libs/contracts (checkTransition), 409 with its reason, 404 for unknown.
 * Each applied action also yields the status-changed event the router would publish
 * (`published`), so tests can feed the desk's consumer.
 */
export class FakeRouter {
  readonly complaints = new Map<string, AgencyComplaintView & { sender: string }>();
  readonly requests: { method: string; path: string; body?: unknown }[] = [];
  readonly published: ComplaintStatusChangedPayload[] = [];
  /** A faulty router that hands out an Anonim reporter's identity (to prove the desk drops it anyway). */
  leakIdentity = false;
  private server?: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  seed(input: SeedInput = {}): { trackingId: string; events: SeededEvents } {
    const trackingId = newTrackingId();
    const at = new Date();
    const body = input.body ?? { kind: 'kota', code: '32.73', name: 'Kota Bandung' };
    const assignment: Assignment = body === 'triage' ? { kind: 'triage', code: '', name: 'Triase nasional', unit: null } : { ...body, unit: input.unit ?? null };
    const decision: RoutingDecision = {
      kind: assignment.kind,
      code: assignment.code,
      name: assignment.name,
      confidence: body === 'triage' ? 0.3 : 0.9,
      evidence: [
        { type: 'place_name', detail: 'tempat disebut: Kota Bandung', ref: '32.73' },
        ...(input.rules ?? ['jalan-kota']).map((r) => ({ type: 'rule' as const, detail: `aturan ${r}`, ref: r })),
      ],
      alternatives: body === 'triage' ? [{ kind: 'kota', code: '32.73', name: 'Kota Bandung', confidence: 0.3 }, { kind: 'kota', code: '32.71', name: 'Kota Bogor', confidence: 0.2 }] : [],
      place: { districtName: 'Sumur Bandung', villageName: 'Braga' },
      ...(input.unitSuggestion ? { unit: { unit: input.unitSuggestion.unit, confidence: input.unitSuggestion.confidence, needsReview: true, alternatives: [input.unitSuggestion], model: 'test' } } : {}),
    };
    const status = input.status ?? (body === 'triage' ? 'triage' : 'assigned');
    const text = input.text ?? 'Jalan berlubang besar di Jl. Braga Kota Bandung, mohon segera diperbaiki';
    const view: AgencyComplaintView & { sender: string } = {
      trackingId,
      status,
      statusLabel: statusLabel(status),
      version: 1,
      submissionType: 'complaint',
      channel: 'web',
      receivedAt: at.toISOString(),
      registeredAt: at.toISOString(),
      updatedAt: at.toISOString(),
      anonymous: input.anonymous ?? false,
      confidential: input.confidential ?? false,
      category: null,
      messages: [{ at: at.toISOString(), channel: 'web', text, attachments: input.attachments ?? [] }],
      location: { regionCode: body === 'triage' ? null : body.code, point: null },
      assignment: assignment.kind === 'triage' ? assignment : { ...assignment },
      decision,
      timeline: [
        { sequence: 1, status: 'received', label: statusLabel('received'), at: at.toISOString() },
        { sequence: 2, status, label: statusLabel(status), at: at.toISOString() },
      ],
      reporter: input.reporter ?? null,
      mergedInto: null,
      sender: input.reporter?.phone ?? '+6281200000000',
    };
    this.complaints.set(trackingId, view);
    const registered: ComplaintRegisteredPayload = {
      trackingId,
      channel: 'web',
      senderId: view.sender,
      registeredAt: view.registeredAt,
      decision,
      anonymous: view.anonymous,
      confidential: view.confidential,
      receivedAt: view.receivedAt,
      excerpt: text.slice(0, 300),
      submissionType: 'complaint',
    };
    const statusChanges = view.timeline.map((t, i) => this.event(view, t.sequence, t.status, i === 0 ? null : view.timeline[i - 1].status, i === 0 ? null : assignment));
    return { trackingId, events: { registered, statusChanges } };
  }

  private event(v: AgencyComplaintView & { sender: string }, sequence: number, status: ComplaintStatus, previousStatus: ComplaintStatus | null, assignment: Assignment | null, extra: Partial<ComplaintStatusChangedPayload> = {}): ComplaintStatusChangedPayload {
    return {
      trackingId: v.trackingId,
      status,
      previousStatus,
      sequence,
      changedAt: new Date().toISOString(),
      channel: v.channel,
      senderId: v.sender,
      replyTo: [{ channel: 'sms', address: v.sender }],
      locale: 'id',
      assignment,
      submissionType: v.submissionType,
      anonymous: v.anonymous,
      confidential: v.confidential,
      ...extra,
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const body = raw ? JSON.parse(raw) : undefined;
    const path = (req.url ?? '').split('?')[0];
    this.requests.push({ method: req.method ?? '', path: req.url ?? '', body });
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    let m = /^\/internal\/v1\/agency\/complaints\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && m) {
      const v = this.complaints.get(m[1]);
      if (!v) return send(404, { statusCode: 404, message: 'complaint not found' });
      const { sender: _s, ...view } = v;
      return send(200, { ...view, reporter: view.anonymous && !this.leakIdentity ? null : view.reporter });
    }
    m = /^\/internal\/v1\/complaints\/([^/]+)\/reporter$/.exec(path);
    if (req.method === 'GET' && m) {
      const v = this.complaints.get(m[1]);
      return v ? send(200, { reporter: v.reporter }) : send(404, { statusCode: 404, message: 'complaint not found' });
    }
    m = /^\/internal\/v1\/complaints\/([^/]+)\/actions$/.exec(path);
    if (req.method === 'POST' && m) {
      const v = this.complaints.get(m[1]);
      if (!v) return send(404, { statusCode: 404, message: 'complaint not found' });
      const parsed = ApplyActionRequest.safeParse(body);
      if (!parsed.success) return send(400, { statusCode: 400, message: parsed.error.message });
      return this.apply(v, parsed.data, send);
    }
    send(404, { statusCode: 404, message: 'no such route' });
  }

  private apply(v: AgencyComplaintView & { sender: string }, r: ApplyActionRequest, send: (s: number, b: unknown) => void): void {
    if (r.expectedVersion !== undefined && r.expectedVersion !== v.version) return send(409, { statusCode: 409, message: 'Laporan sudah diubah oleh orang lain; muat ulang' });
    const check = checkTransition(r.action.action, v.status, r.actor);
    if (!check.ok) return send(409, { statusCode: 409, message: check.reason });
    const a = r.action;
    const previous = v.status;
    let to: ComplaintStatus = check.to === null ? v.status : check.to === 'route' ? 'triage' : check.to;
    if (a.action === 'provide-info') to = 'in_progress';
    if (a.action === 'assign' || a.action === 'forward') v.assignment = { kind: 'kota', code: a.body, name: a.body === '32.71' ? 'Kota Bogor' : a.body === '32.73' ? 'Kota Bandung' : a.body, unit: a.action === 'assign' ? (a.unit ?? null) : null };
    if (a.action === 'return') v.assignment = { kind: 'triage', code: '', name: 'Triase nasional', unit: null };
    if (a.action === 'dispose') v.assignment = { ...v.assignment!, unit: a.unit };
    if (a.action === 'classify') v.submissionType = a.submissionType;
    v.version += 1;
    v.updatedAt = new Date().toISOString();
    if (check.to !== null) {
      const sequence = v.timeline.length + 1;
      const reporterMessage = a.action === 'respond' ? a.response : a.action === 'request-info' ? a.question : undefined;
      v.status = to;
      v.statusLabel = statusLabel(to);
      v.timeline.push({
        sequence,
        status: to,
        label: statusLabel(to),
        at: v.updatedAt,
        ...(reporterMessage ? { reporterMessage } : {}),
        actor: r.actor.kind === 'officer' ? { kind: 'officer', role: r.actor.role, displayName: r.actor.displayName, bodyCode: r.actor.bodyCode } : { kind: r.actor.kind },
      });
      this.published.push(this.event(v, sequence, to, previous, v.assignment, { actor: { kind: r.actor.kind, ...(r.actor.kind === 'officer' ? { role: r.actor.role } : {}) }, ...(reporterMessage ? { reporterMessage } : {}), version: v.version } as Partial<ComplaintStatusChangedPayload>));
    }
    const { sender: _s, ...view } = v;
    send(200, { ...view, reporter: view.anonymous && !this.leakIdentity ? null : view.reporter });
  }

  /** What the reporter does from their channel (answer a question, object): applied like the router would. */
  reporterAction(trackingId: string, action: ApplyActionRequest['action']): ComplaintStatusChangedPayload | null {
    const v = this.complaints.get(trackingId)!;
    const before = this.published.length;
    this.apply(v, { action, actor: { kind: 'reporter' } }, () => undefined);
    return this.published.length > before ? this.published[this.published.length - 1] : null;
  }
}
