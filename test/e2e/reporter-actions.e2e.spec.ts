import { Actor, trackingIdFor } from '@lapor/contracts';
import { smsSegments } from '../../apps/notifier/src/senders/sms/sms-segments';
import { BANDUNG_LIAISON as liaison, SmsReporterHarness } from '../support/sms-reporter';
import { SYSTEM_MODES } from '../support/system';

const officer: Actor = { kind: 'officer', officerId: 'off-3273', role: 'officer', bodyCode: '32.73', unit: 'Dinas Sumber Daya Air dan Bina Marga', displayName: 'Rina Petugas' };

/**
 * The reporter's side of the agency lifecycle by SMS, end to end: signed Twilio webhooks
 * into sms-intake, the router applying officials' actions (sent to its internal API as the
 * desk sends them) and the reporter's answer, objection and confirmation, and the
 * notifier's SMS for every change through the real twilio client to a local stand-in.
 * On real Kafka + PostgreSQL as separate services, and in embedded mode.
 */
describe.each(SYSTEM_MODES)('reporter actions by SMS: $name', ({ start }) => {
  const reporter = new SmsReporterHarness('+62815');

  beforeAll(async () => {
    await reporter.start(start);
  }, 120_000);

  afterAll(() => reporter.stop());

  it('should tell the reporter every step by one-segment SMS, take their answer, objection and confirmation by SMS, and show it all on the API', async () => {
    const from = reporter.phone();
    const id = trackingIdFor('sms', await reporter.sms(from, 'Jalan berlubang besar di Jl. Braga Kota Bandung, sudah dua motor jatuh minggu ini'));
    await reporter.smsTo(from, 1);
    await reporter.statusIs(id, 'assigned');

    await reporter.act(id, { action: 'accept' }, liaison);
    await reporter.smsTo(from, 2);
    await reporter.act(id, { action: 'dispose', unit: 'Dinas Sumber Daya Air dan Bina Marga' }, liaison);
    await reporter.smsTo(from, 3);
    await reporter.act(id, { action: 'request-info', question: 'Di depan nomor berapa lubangnya?' }, officer);
    const [, , , question] = await reporter.smsTo(from, 4);
    expect(question).toContain('Di depan nomor berapa lubangnya?');

    await reporter.sms(from, 'Depan nomor 45, dekat toko roti');
    await reporter.statusIs(id, 'in_progress');
    await reporter.smsTo(from, 5);
    await reporter.act(id, { action: 'respond', response: 'Lubang di depan Jl. Braga 45 sudah ditambal oleh UPT Jalan pada hari ini. Terima kasih atas laporannya.' }, officer);
    const response = (await reporter.smsTo(from, 6))[5];
    expect(response).toContain('Lubang di depan Jl. Braga 45');
    expect(response).toContain(`CEK ${id}`);
    expect(response).toContain(`KEBERATAN ${id}`);

    await reporter.sms(from, `CEK ${id}`);
    const cek = (await reporter.smsTo(from, 7))[6];
    expect(cek).toMatch(new RegExp(`^LAPOR! Laporan ${id}: Sudah ditanggapi\\. Tanggapan: Lubang di depan`));

    const stranger = reporter.phone();
    await reporter.sms(stranger, `KEBERATAN ${id} ini bukan laporan saya`);
    expect((await reporter.smsTo(stranger, 1))[0]).toContain('Tidak ada laporan Anda');

    await reporter.sms(from, `KEBERATAN ${id} tambalannya sudah lepas lagi`);
    await reporter.statusIs(id, 'reopened');
    expect((await reporter.smsTo(from, 8))[7]).toContain('Keberatan atas laporan');
    await reporter.act(id, { action: 'respond', response: 'Sudah ditambal ulang dengan aspal panas.' }, officer);
    await reporter.smsTo(from, 9);
    await reporter.sms(from, `SELESAI ${id}`);
    await reporter.statusIs(id, 'closed');
    const all = await reporter.smsTo(from, 10);
    expect(all[9]).toContain('ditutup atas konfirmasi Anda');
    for (const body of all) expect({ body, ...smsSegments(body) }).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    for (const body of all) expect(body).toContain(id); // every SMS names the complaint

    const view = await reporter.citizenView(id);
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
