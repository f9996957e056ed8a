import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { checkTrackingId, formatTrackingId } from '@lapor/contracts';
import { startSmtpServer } from '../support/smtp';
import { RunningSystem, SYSTEM_MODES } from '../support/system';
import { waitFor } from '../support/wait-for';

/**
 * The foundation's proof: a complaint filed through the web/mobile API travels over the
 * bus to the router, is stored and assigned, the GET shows the assignment, and the
 * complainant gets an e-mail (through a real SMTP server) in Bahasa Indonesia.
 */
const modes = SYSTEM_MODES;

describe.each(modes)('complaint end to end: $name', ({ start }) => {
  let system: RunningSystem;
  let cleanup: () => Promise<void>;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    const started = await start({ SMTP_URL: smtp.url, DATA_DIR: mkdtempSync(join(tmpdir(), 'lapor-e2e-')), PUBLIC_BASE_URL: 'https://lapor.example.id' });
    system = started.system;
    cleanup = started.cleanup;
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
    await cleanup?.();
    await smtp?.stop();
  });

  it('should route a POSTed complaint to its body, show it on GET and e-mail the complainant', async () => {
    const post = await request(system.baseUrl)
      .post('/api/v1/complaints')
      .set('Idempotency-Key', randomUUID())
      .send({ text: 'Lampu penerangan jalan di Jl. Braga mati sudah dua minggu, mohon segera diperbaiki', regionCode: '32.73', reporter: { name: 'Siti', email: 'siti@example.com' } })
      .expect(202);
    expect(post.body.status).toBe('received');
    const trackingId: string = post.body.trackingId;
    expect(checkTrackingId(trackingId)).toEqual({ ok: true, trackingId });

    const view = await waitFor(
      async () => {
        const res = await request(system.baseUrl).get(`/api/v1/complaints/${trackingId.toLowerCase()}`);
        return res.status === 200 && res.body.status === 'assigned' ? res.body : undefined;
      },
      { what: 'the complaint to be assigned', timeoutMs: 60_000 },
    );
    expect(view.assignment).toMatchObject({ kind: 'kota', code: '32.73', name: 'Kota Bandung' });
    expect(view.history.map((h: { status: string }) => h.status)).toEqual(['received', 'assigned']);

    const mail = await waitFor(() => smtp.inbox.find((m) => m.rcptTo.includes('siti@example.com') && m.mail.headers.get('x-lapor-tracking-id') === trackingId), {
      what: 'the status e-mail',
      timeoutMs: 60_000,
    });
    expect(mail.mail.subject).toBe(`[LAPOR!] Laporan ${formatTrackingId(trackingId)}: Diteruskan ke instansi`);
    expect(mail.mail.text).toContain(`Laporan Anda telah kami terima dengan nomor pelacakan ${formatTrackingId(trackingId)}`);
    expect(mail.mail.text).toContain(`Status laporan Anda dengan nomor pelacakan ${formatTrackingId(trackingId)} kini: Diteruskan ke instansi.`);
    expect(mail.mail.text).toContain('Ditangani oleh: Kota Bandung');
    // The link is the HTML status page a person can read, not the JSON API.
    expect(mail.mail.text).toContain(`https://lapor.example.id/lapor/cek?id=${trackingId}`);
    expect(mail.mail.text).not.toContain('/api/v1/');
  });

  it('should register a retried POST with the same Idempotency-Key once, under the same tracking id', async () => {
    const key = randomUUID();
    const reporter = { email: `budi-${key.slice(0, 6)}@example.com` };
    const body = { text: 'Sampah menumpuk di pasar, bau sekali dan tidak diangkut seminggu', regionCode: '35.78', reporter };
    const first = await request(system.baseUrl).post('/api/v1/complaints').set('Idempotency-Key', key).send(body).expect(202);
    const again = await request(system.baseUrl).post('/api/v1/complaints').set('Idempotency-Key', key).send(body).expect(202);
    expect(again.body.trackingId).toBe(first.body.trackingId);
    // A later complaint from the same reporter shares the partition key, so once it is
    // assigned, the retried event before it has certainly been consumed too.
    const later = await request(system.baseUrl).post('/api/v1/complaints').set('Idempotency-Key', randomUUID()).send({ ...body, text: 'Drainase tersumbat di depan rumah, banjir setiap hujan' }).expect(202);
    const assigned = async (id: string) => (await request(system.baseUrl).get(`/api/v1/complaints/${id}`)).body.status === 'assigned';
    await waitFor(() => assigned(later.body.trackingId), { what: 'the later complaint', timeoutMs: 60_000 });

    const view = (await request(system.baseUrl).get(`/api/v1/complaints/${first.body.trackingId}`)).body;
    expect(view.history.map((h: { status: string }) => h.status)).toEqual(['received', 'assigned']);
    await waitFor(() => smtp.inbox.filter((m) => m.rcptTo.includes(reporter.email)).length >= 2, { what: 'both e-mails', timeoutMs: 30_000 });
    const perComplaint = smtp.inbox.filter((m) => m.rcptTo.includes(reporter.email)).map((m) => m.mail.headers.get('x-lapor-tracking-id'));
    expect(perComplaint.sort()).toEqual([first.body.trackingId, later.body.trackingId].sort());
  });

  it('should refuse invalid input with a reason per field and store nothing', async () => {
    const res = await request(system.baseUrl).post('/api/v1/complaints').send({ text: 'pendek', regionCode: 'Bandung', reporter: { email: 'bukan-email' } }).expect(400);
    expect(Object.keys(res.body.fields).sort()).toEqual(['regionCode', 'reporter.email', 'text']);
    await request(system.baseUrl).post('/api/v1/complaints').set('Content-Type', 'application/json').send('{"text": ').expect(400);
    await request(system.baseUrl).post('/api/v1/complaints').send({ text: 'x'.repeat(70 * 1024) }).expect(413);
    await request(system.baseUrl).post('/api/v1/complaints').set('Content-Type', 'text/plain').send('jalan rusak parah sekali').expect(415);
  });

  it('should say 404, and that it was mistyped, for a tracking id with a wrong check character', async () => {
    const post = await request(system.baseUrl).post('/api/v1/complaints').send({ text: 'Antrean di kantor kelurahan sangat panjang tiap pagi', regionCode: '31.71' }).expect(202);
    const id: string = post.body.trackingId;
    const typo = id.slice(0, 3) + (id[3] === 'A' ? 'B' : 'A') + id.slice(4);
    const res = await request(system.baseUrl).get(`/api/v1/complaints/${typo}`).expect(404);
    expect(res.body.message).toMatch(/salah ketik/);
    await request(system.baseUrl).get('/api/v1/complaints/22222222222').expect(404);
  });

  it('should serve its OpenAPI document', async () => {
    const res = await request(system.baseUrl).get('/api/v1/openapi.json').expect(200);
    expect(res.body.paths['/api/v1/complaints'].post.responses).toHaveProperty('202');
    expect(res.body.components.schemas.CreateComplaintRequest.properties).toHaveProperty('regionCode');
  });
});
