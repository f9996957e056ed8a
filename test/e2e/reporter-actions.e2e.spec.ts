import { Actor, ComplaintAction, ComplaintView, trackingIdFor } from '@lapor/contracts';
import { smsSegments } from '../../apps/notifier/src/senders/sms/sms-segments';
import { FakeTwilio, inboundSms, postTwilioWebhook, twilioTestEnv } from '../support/fake-twilio';
import { RunningSystem, SYSTEM_MODES } from '../support/system';
import { waitFor } from '../support/wait-for';

const TOKEN = 'e2e-auth-token-00000000000000000';
const PUBLIC = 'https://lapor.example.id';
const liaison: Actor = { kind: 'officer', officerId: 'lia-3273', role: 'liaison', bodyCode: '32.73', displayName: 'Budi Penghubung' };
const officer: Actor = { kind: 'officer', officerId: 'off-3273', role: 'officer', bodyCode: '32.73', unit: 'Dinas Sumber Daya Air dan Bina Marga', displayName: 'Rina Petugas' };

let phoneCounter = 0;
const phone = () => `+62815${String(process.pid % 1000).padStart(3, '0')}${String(phoneCounter++).padStart(4, '0')}`;

/**
 * The reporter's side of the agency lifecycle by SMS, end to end: signed Twilio webhooks
 * into sms-intake, the router applying officials' actions (sent to its internal API as the
 * desk sends them) and the reporter's answer, objection and confirmation, and the
 * notifier's SMS for every change through the real twilio client to a local stand-in.
 * On real Kafka + PostgreSQL as separate services, and in embedded mode.
 */
describe.each(SYSTEM_MODES)('reporter actions by SMS: $name', ({ start }) => {
  let system: RunningSystem;
  let cleanup: () => Promise<void>;
  let fake: FakeTwilio;
  let routerUrl: string;

  beforeAll(async () => {
    fake = await new FakeTwilio().start();
    const started = await start(twilioTestEnv(fake, TOKEN, PUBLIC, { NOTIFY_MAX_REPLIES_PER_HOUR: '50' }));
    system = started.system;
    cleanup = started.cleanup;
    routerUrl = system.apps.router ? await system.apps.router.getUrl() : system.baseUrl;
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
    await cleanup?.();
    await fake?.stop();
  });

  const sms = async (from: string, body: string) => {
    const params = inboundSms(from, body);
    const res = await postTwilioWebhook({ deliverTo: system.smsIntakeUrl!, path: '/webhooks/twilio/sms', params, authToken: TOKEN, signedUrl: `${PUBLIC}/webhooks/twilio/sms` });
    expect(res.status).toBe(200);
    return params.MessageSid;
  };
  const smsTo = (to: string, count: number) => waitFor(() => (fake.to(to).length >= count ? fake.to(to).map((m) => m.params.Body) : undefined), { what: `${count} SMS to ${to}`, timeoutMs: 60_000 });
  const act = async (id: string, action: ComplaintAction, actor: Actor) => {
    const res = await fetch(`${routerUrl}/internal/v1/complaints/${id}/actions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ action, actor }) });
    if (res.status !== 200) throw new Error(`${action.action}: ${res.status} ${await res.text()}`);
  };
  const citizenView = async (id: string) => (await (await fetch(`${system.baseUrl}/api/v1/complaints/${id}`)).json()) as ComplaintView;
  const statusIs = (id: string, status: string) => waitFor(async () => (await citizenView(id)).status === status, { what: `status ${status}`, timeoutMs: 60_000 });

  it('should tell the reporter every step by one-segment SMS, take their answer, objection and confirmation by SMS, and show it all on the API', async () => {
    const from = phone();
    const id = trackingIdFor('sms', await sms(from, 'Jalan berlubang besar di Jl. Braga Kota Bandung, sudah dua motor jatuh minggu ini'));
    await smsTo(from, 1);
    await statusIs(id, 'assigned');

    await act(id, { action: 'accept' }, liaison);
    await smsTo(from, 2);
    await act(id, { action: 'dispose', unit: 'Dinas Sumber Daya Air dan Bina Marga' }, liaison);
    await smsTo(from, 3);
    await act(id, { action: 'request-info', question: 'Di depan nomor berapa lubangnya?' }, officer);
    const [, , , question] = await smsTo(from, 4);
    expect(question).toContain('Di depan nomor berapa lubangnya?');

    await sms(from, 'Depan nomor 45, dekat toko roti');
    await statusIs(id, 'in_progress');
    await smsTo(from, 5);
    await act(id, { action: 'respond', response: 'Lubang di depan Jl. Braga 45 sudah ditambal oleh UPT Jalan pada hari ini. Terima kasih atas laporannya.' }, officer);
    const response = (await smsTo(from, 6))[5];
    expect(response).toContain('Lubang di depan Jl. Braga 45');
    expect(response).toContain(`CEK ${id}`);
    expect(response).toContain(`KEBERATAN ${id}`);

    await sms(from, `CEK ${id}`);
    const cek = (await smsTo(from, 7))[6];
    expect(cek).toMatch(new RegExp(`^LAPOR! Laporan ${id}: Sudah ditanggapi\\. Tanggapan: Lubang di depan`));

    const stranger = phone();
    await sms(stranger, `KEBERATAN ${id} ini bukan laporan saya`);
    expect((await smsTo(stranger, 1))[0]).toContain('Tidak ada laporan Anda');

    await sms(from, `KEBERATAN ${id} tambalannya sudah lepas lagi`);
    await statusIs(id, 'reopened');
    expect((await smsTo(from, 8))[7]).toContain('Keberatan atas laporan');
    await act(id, { action: 'respond', response: 'Sudah ditambal ulang dengan aspal panas.' }, officer);
    await smsTo(from, 9);
    await sms(from, `SELESAI ${id}`);
    await statusIs(id, 'closed');
    const all = await smsTo(from, 10);
    expect(all[9]).toContain('ditutup atas konfirmasi Anda');
    for (const body of all) expect({ body, ...smsSegments(body) }).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    for (const body of all) expect(body).toContain(id); // every SMS names the complaint

    const view = await citizenView(id);
    expect(view.history.map((h) => h.status)).toEqual(['received', 'assigned', 'accepted', 'disposed', 'waiting_info', 'in_progress', 'responded', 'reopened', 'responded', 'closed']);
    expect(view.history.filter((h) => h.message).map((h) => h.message)).toEqual([
      'Di depan nomor berapa lubangnya?',
      'Lubang di depan Jl. Braga 45 sudah ditambal oleh UPT Jalan pada hari ini. Terima kasih atas laporannya.',
      'Sudah ditambal ulang dengan aspal panas.',
    ]);
    expect(view.history.at(-1)).toMatchObject({ status: 'closed', closedBy: 'reporter' });
    expect(JSON.stringify(view)).not.toMatch(/Budi|Rina|lia-3273|off-3273|tambalannya sudah lepas/);
  });
});
