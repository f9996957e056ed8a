import { ComplaintStatusChangedPayload, formatTrackingId, trackingIdFor } from '@lapor/contracts';
import { isSilent, renderStatus } from './status.message';

const ID = trackingIdFor('web', 'status-message-spec');
const OTHER = trackingIdFor('web', 'the-one-it-joined');
const QUESTION = 'Di RT/RW berapa tepatnya lubang itu, dan sejak kapan?';
const RESPONSE = 'Jalan sudah ditambal pada 3 Maret oleh UPT Jalan wilayah timur.\nMohon kabari kami bila rusak lagi.';

function change(over: Partial<ComplaintStatusChangedPayload>): ComplaintStatusChangedPayload {
  return {
    trackingId: ID, status: 'assigned', previousStatus: 'received', sequence: 3, changedAt: '2026-03-02T01:15:00.000Z', channel: 'web', senderId: 'h:x', replyTo: [], locale: 'id',
    assignment: { kind: 'kota', code: '32.73', name: 'Kota Bandung', unit: 'Dinas Sumber Daya Air dan Bina Marga' },
    ...over,
  };
}

/** What each status must tell the reporter, on every channel that carries full text (SMS has its own spec: sms-texts.spec.ts). */
const CASES: [string, Partial<ComplaintStatusChangedPayload>, RegExp[]][] = [
  ['acknowledged and assigned', {}, [/diterima|kami terima/i, /Kota Bandung/]],
  ['acknowledged into triage', { status: 'triage', assignment: { kind: 'triage', code: '', name: 'Antrian triase nasional' } }, [/diverifikasi admin nasional/]],
  ['verified and assigned', { previousStatus: 'triage' }, [/diteruskan ke: Kota Bandung/]],
  ['re-routed after a return', { previousStatus: 'returned' }, [/bukan kewenangannya/, /dialihkan ke instansi yang berwenang: Kota Bandung/]],
  ['back in triage after a return', { status: 'triage', previousStatus: 'returned', assignment: { kind: 'triage', code: '', name: 'Antrian triase nasional' } }, [/dikembalikan/, /Admin nasional/]],
  ['forwarded', { previousStatus: 'accepted' }, [/dialihkan ke instansi lain/, /Kota Bandung/]],
  ['accepted', { status: 'accepted', previousStatus: 'assigned' }, [/diterima oleh Kota Bandung/]],
  ['disposed', { status: 'disposed', previousStatus: 'accepted' }, [/unit kerja Dinas Sumber Daya Air dan Bina Marga/]],
  ['in progress', { status: 'in_progress', previousStatus: 'disposed' }, [/sedang ditindaklanjuti/]],
  ['answer received', { status: 'in_progress', previousStatus: 'waiting_info', actor: { kind: 'reporter' } }, [/Informasi tambahan Anda/]],
  ['question', { status: 'waiting_info', previousStatus: 'in_progress', reporterMessage: QUESTION }, [/informasi tambahan/, /Di RT\/RW berapa tepatnya lubang itu, dan sejak kapan\?/]],
  ['response', { status: 'responded', previousStatus: 'in_progress', reporterMessage: RESPONSE }, [/ditanggapi/, /Jalan sudah ditambal pada 3 Maret/, /Mohon kabari kami bila rusak lagi/, /puas/]],
  ['reopened', { status: 'reopened', previousStatus: 'responded', actor: { kind: 'reporter' } }, [/Keberatan Anda/, /dibuka kembali/]],
  ['closed by the reporter', { status: 'closed', previousStatus: 'responded', closedBy: 'reporter' }, [/atas konfirmasi Anda/]],
  ['closed by the system', { status: 'closed', previousStatus: 'responded', closedBy: 'system' }, [/otomatis/, /tidak ada keberatan/, /Ombudsman RI/]],
  ['closed by an admin', { status: 'closed', previousStatus: 'in_progress', closedBy: 'admin' }, [/oleh admin/, /Ombudsman RI/]],
  ['archived as unclear', { status: 'archived', previousStatus: 'assigned', archiveReason: 'unclear', closedBy: 'admin' }, [/diarsipkan karena isi laporan kurang jelas/]],
  ['archived at the reporter\'s request', { status: 'archived', previousStatus: 'assigned', archiveReason: 'reporter_request', closedBy: 'reporter' }, [/diarsipkan atas permintaan Anda/]],
  ['merged', { status: 'merged', previousStatus: 'accepted', mergedInto: OTHER }, [new RegExp(`digabungkan dengan laporan ${formatTrackingId(OTHER)}`)]],
];

describe(renderStatus.name, () => {
  describe.each(['telegram', 'x', 'email'] as const)('on %s', (channel) => {
    it.each(CASES)('should tell the reporter %s, with the tracking id', (_name, over, expected) => {
      const { body } = renderStatus(change(over), channel, { publicBaseUrl: 'https://lapor.example.id/' });
      expect(body).toContain(formatTrackingId(ID));
      for (const pattern of expected) expect(body).toMatch(pattern);
      expect(body).not.toMatch(/undefined|null|\[object/);
    });
  });

  it('should tell chat reporters the exact commands to object, confirm and check', () => {
    const telegram = renderStatus(change({ status: 'responded', previousStatus: 'in_progress', reporterMessage: RESPONSE }), 'telegram').body;
    expect(telegram).toContain(`/keberatan ${ID}`);
    expect(telegram).toContain(`/selesai ${ID}`);
    const x = renderStatus(change({ status: 'responded', previousStatus: 'in_progress', reporterMessage: RESPONSE }), 'x').body;
    expect(x).toContain(`KEBERATAN ${ID}`);
    expect(x).toContain(`SELESAI ${ID}`);
    expect(renderStatus(change({ status: 'merged', previousStatus: 'accepted', mergedInto: OTHER }), 'telegram').body).toContain(`/cek ${OTHER}`);
  });

  it('should link e-mails to the HTML status page, never the JSON API', () => {
    for (const [, over] of CASES) {
      const { body } = renderStatus(change(over), 'email', { publicBaseUrl: 'https://lapor.example.id/' });
      expect(body).toMatch(new RegExp(`https://lapor\\.example\\.id/lapor/cek\\?id=(${ID}|${OTHER})`));
      expect(body).not.toContain('/api/v1');
    }
    const question = renderStatus(change({ status: 'waiting_info', previousStatus: 'in_progress', reporterMessage: QUESTION }), 'email', { publicBaseUrl: 'https://lapor.example.id' }).body;
    expect(question).toContain(`Kirim informasi tambahan" di halaman status laporan: https://lapor.example.id/lapor/cek?id=${ID}`);
  });

  it('should write no sentence that depends on PUBLIC_BASE_URL when it is unset', () => {
    for (const [, over] of CASES) {
      const { body } = renderStatus(change(over), 'email', undefined);
      expect(body).not.toMatch(/https?:|undefined|\/lapor\/cek/);
      expect(body).toContain('Cek status laporan');
    }
  });
});

describe(isSilent.name, () => {
  it.each([
    ['a missed deadline\'s escalation (no status change for the reporter)', { status: 'in_progress', previousStatus: 'in_progress', escalation: { stage: 'follow-up', dueAt: '2026-03-20T16:59:59.999Z', escalatedTo: 'Pejabat penghubung Kota Bandung' } }, true],
    ['an ordinary status change', { status: 'in_progress', previousStatus: 'disposed' }, false],
    ['received', { status: 'received', previousStatus: null }, true],
  ] as [string, Partial<ComplaintStatusChangedPayload>, boolean][])('%s → %s', (_why, over, silent) => {
    expect(isSilent(change(over))).toBe(silent);
  });
});
