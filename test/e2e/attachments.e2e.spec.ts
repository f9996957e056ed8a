import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import exifr from 'exifr';
import request from 'supertest';
import { phonePhoto } from '../support/attachments';
import { createOfficial, loginAt } from '../support/desk';
import { RunningSystem, startEmbedded } from '../support/system';
import { waitFor } from '../support/wait-for';

/**
 * `npm start`'s wiring (one process, filesystem store under DATA_DIR): a photo posted to the
 * API reaches the responsible body's official without its EXIF, and another body's official
 * cannot get it.
 */
describe('attachments end to end (npm start, filesystem store)', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await startEmbedded({ DATA_DIR: mkdtempSync(join(tmpdir(), 'lapor-attachments-e2e-')) });
  }, 120_000);
  afterAll(() => system?.stop());

  it('should show the photo to the Kota Bandung liaison and not to Kota Bogor\'s', async () => {
    const form = new FormData();
    form.append('complaint', JSON.stringify({ text: 'Jalan berlubang besar di Jl. Braga Kota Bandung sudah sebulan, mohon segera diperbaiki' }));
    form.append('files', new Blob([new Uint8Array(await phonePhoto())], { type: 'image/jpeg' }), 'braga.jpg');
    const res = await fetch(`${system.baseUrl}/api/v1/complaints`, { method: 'POST', body: form });
    expect(res.status).toBe(202);
    const { trackingId } = (await res.json()) as { trackingId: string };

    const app = system.apps.embedded;
    const own = await loginAt(system.deskUrl, await createOfficial(app, 'liaison', '32.73'));
    const other = await loginAt(system.deskUrl, await createOfficial(app, 'liaison', '32.71'));
    const detail = await waitFor(
      async () => {
        const r = await request(system.deskUrl).get(`/desk/v1/complaints/${trackingId}`).set('Cookie', own.cookie);
        return r.status === 200 ? (r.body as { messages: { attachments: { storageKey?: string; name?: string }[] }[] }) : null;
      },
      { timeoutMs: 60_000, what: 'the complaint on the Bandung desk' },
    );
    const [photo] = detail.messages[0].attachments;
    expect(photo).toMatchObject({ name: 'braga.jpg', storageKey: expect.stringMatching(/^att\//) });
    const path = `/desk/v1/complaints/${trackingId}/attachments/${photo.storageKey!.slice(4)}`;
    const binary = (r: request.Test) => r.buffer(true).parse((resp, done) => {
      const chunks: Buffer[] = [];
      resp.on('data', (c: Buffer) => chunks.push(c));
      resp.on('end', () => done(null, Buffer.concat(chunks)));
    });
    const got = await binary(request(system.deskUrl).get(path).set('Cookie', own.cookie));
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('image/jpeg');
    expect(await exifr.parse(got.body as Buffer)).toBeUndefined();
    expect((await request(system.deskUrl).get(path).set('Cookie', other.cookie)).status).toBe(404);
    expect((await request(system.deskUrl).get(path)).status).not.toBe(200);
  }, 120_000);
});
