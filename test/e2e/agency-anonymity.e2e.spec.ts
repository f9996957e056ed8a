import { createServer, IncomingMessage, Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Actor, AgencyComplaintView, AgencyNotice, AgencyNoticePayload, truncateText } from '@lapor/contracts';
import { EventPublisher } from '@lapor/runtime';
import { startSmtpServer } from '../support/smtp';
import { RunningSystem, startEmbedded } from '../support/system';
import { waitFor } from '../support/wait-for';

const REPORTER = { name: 'Dewi Kartikasari Wulandari', email: 'dewi.kartikasari@example.com', phone: '+6281234509876' };
const liaison: Actor = { kind: 'officer', officerId: 'lia-3273', role: 'liaison', bodyCode: '32.73', displayName: 'Budi Penghubung' };

/**
 * An Anonim reporter's name, e-mail and phone must appear on no agency-facing surface this
 * part of the system produces: the router's agency view and its answers to actions, the
 * officials' e-mails (to a real SMTP server) and the body's signed webhook (to a local
 * receiver). The notice is built from the agency view exactly as the desk builds it.
 */
describe('an Anonim reporter on agency-facing surfaces', () => {
  let system: RunningSystem;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let receiver: Server;
  let receiverUrl: string;
  const posted: { raw: string; headers: IncomingMessage['headers'] }[] = [];

  beforeAll(async () => {
    smtp = await startSmtpServer();
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => {
        posted.push({ raw: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/lapor`;
    system = await startEmbedded({ DATA_DIR: mkdtempSync(join(tmpdir(), 'lapor-anon-')), SMTP_URL: smtp.url, AGENCY_WEBHOOK_SECRET: 'rahasia-deployment', NOTIFY_POLL_MS: '100' });
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
    await smtp?.stop();
    await new Promise<void>((r) => receiver.close(() => r()));
  });

  const identityIn = (text: string) => Object.values(REPORTER).filter((v) => text.toLowerCase().includes(v.toLowerCase()));

  it('should keep the name, e-mail and phone out of the agency view, the action answers, the officials\' e-mails and the webhook body', async () => {
    const post = await fetch(`${system.baseUrl}/api/v1/complaints`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: 'Pungutan liar di loket Disdukcapil Kota Bandung saat mengurus KTP, diminta Rp 50.000', regionCode: '32.73', reporter: REPORTER, anonymous: true }),
    });
    expect(post.status).toBe(202);
    const { trackingId } = (await post.json()) as { trackingId: string };
    const agencyUrl = `${system.baseUrl}/internal/v1/agency/complaints/${trackingId}`;
    const raw = await waitFor(async () => {
      const res = await fetch(agencyUrl);
      return res.status === 200 ? res.text() : undefined;
    }, { what: 'the agency view' });
    const view = AgencyComplaintView.parse(JSON.parse(raw));
    expect(view.reporter).toBeNull();
    expect(identityIn(raw)).toEqual([]);

    const accepted = await fetch(`${system.baseUrl}/internal/v1/complaints/${trackingId}/actions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ action: { action: 'accept' }, actor: liaison }) });
    expect(accepted.status).toBe(200);
    expect(identityIn(await accepted.text())).toEqual([]);

    // The notice as the desk builds it from the router's agency view (docs/agency-desk.md).
    const notice: AgencyNoticePayload = AgencyNotice.payload.parse({
      noticeId: `${trackingId}:2:assigned`,
      kind: 'assigned',
      trackingId,
      body: { kind: view.assignment!.kind, code: view.assignment!.code, name: view.assignment!.name },
      recipients: [{ email: 'penghubung@bandung.go.id', name: 'Budi Penghubung' }],
      webhook: { url: receiverUrl, keyVersion: 1 },
      complaint: {
        status: view.status,
        submissionType: view.submissionType,
        channel: view.channel,
        registeredAt: view.registeredAt,
        excerpt: truncateText(view.messages[0].text, 300),
        confidential: view.confidential,
        anonymous: view.anonymous,
        evidence: (view.decision?.evidence ?? []).slice(0, 20).map((e) => e.detail),
      },
    });
    const events = system.apps.embedded.get(EventPublisher);
    await events.publish(events.event(AgencyNotice, notice, trackingId));

    const mail = await waitFor(() => smtp.inbox.find((m) => m.rcptTo.includes('penghubung@bandung.go.id')), { what: 'the liaison\'s e-mail' });
    const hook = await waitFor(() => posted[0], { what: 'the webhook' });
    expect(mail.mail.text).toContain('Anonim (identitas pelapor dirahasiakan)');
    expect(mail.mail.text).toContain('Pungutan liar di loket Disdukcapil');
    for (const surface of [mail.mail.text!, mail.mail.subject!, JSON.stringify(mail.mail.headers), hook.raw, JSON.stringify(hook.headers)]) expect(identityIn(surface)).toEqual([]);
    expect(JSON.parse(hook.raw)).toMatchObject({ trackingId, complaint: { anonymous: true } });
  });
});
