import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHANNELS, ChannelId } from './registry';
import { commandsTable, commandWord, parseCommandText, type CommandChannel } from './commands';

const parseSmsBody = (body: string | undefined) => parseCommandText('sms', body);

describe(`${parseCommandText.name} (SMS keywords)`, () => {
  it('should read CEK and STATUS with a tracking id however it is typed', () => {
    for (const body of ['CEK 7KQ4M9XWRTC', 'cek 7kq4m-9xwrt-c', 'Cek: 7KQ4M 9XWRT C', 'STATUS#7KQ4M9XWRTC', 'status 7KQ4M9XWRTC.', '  CEK   7KQ4M9XWRTC  ', 'cek7kq4m9xwrtc']) {
      const intent = parseSmsBody(body);
      expect(intent).toEqual({ kind: 'command', command: 'status', argument: expect.stringMatching(/7KQ4M/i) });
    }
  });

  it('should pass a mistyped id through as the argument (the router says it is mistyped)', () => {
    expect(parseSmsBody('CEK 7KQ4M9XWRTD')).toEqual({ kind: 'command', command: 'status', argument: '7KQ4M9XWRTD' });
    expect(parseSmsBody('cek')).toEqual({ kind: 'command', command: 'status' });
  });

  it('should read help, opt-out and opt-in keywords in Bahasa Indonesia and English, any case', () => {
    for (const w of ['INFO', 'info', 'Bantuan', 'HELP', 'help?']) expect(parseSmsBody(w)).toEqual({ kind: 'command', command: 'help' });
    for (const w of ['STOP', 'stop', 'Berhenti', 'UNSUBSCRIBE', 'stop.']) expect(parseSmsBody(w)).toEqual({ kind: 'command', command: 'opt_out' });
    for (const w of ['MULAI', 'mulai', 'START', 'Subscribe!']) expect(parseSmsBody(w)).toEqual({ kind: 'command', command: 'opt_in' });
  });

  it('should read the reporter\'s objection with the tracking id and keep the reason after it', () => {
    const cases: [string, string][] = [
      ['KEBERATAN 7KQ4M9XWRTC jalan belum diperbaiki', '7KQ4M9XWRTC jalan belum diperbaiki'],
      ['keberatan: 7kq4m-9xwrt-c', '7kq4m-9xwrt-c'],
      ['TIDAKPUAS 7KQ4M9XWRTC', '7KQ4M9XWRTC'],
      ['Tidak Puas 7KQ4M 9XWRT C, lubangnya masih ada\nfoto menyusul', '7KQ4M 9XWRT C, lubangnya masih ada\nfoto menyusul'],
      ['KEBERATAN7KQ4M9XWRTC', '7KQ4M9XWRTC'],
      ['keberatan 7KQ4M9XWRTD', '7KQ4M9XWRTD'], // mistyped: the router says so
    ];
    for (const [body, argument] of cases) expect(parseSmsBody(body)).toEqual({ kind: 'command', command: 'object', argument });
    expect(parseSmsBody('KEBERATAN')).toEqual({ kind: 'command', command: 'object' });
  });

  it('should read the reporter\'s confirmation with the tracking id', () => {
    for (const body of ['SELESAI 7KQ4M9XWRTC', 'selesai 7kq4m-9xwrt-c.', 'PUAS 7KQ4M9XWRTC', 'Puas: 7KQ4M9XWRTC terima kasih']) {
      expect(parseSmsBody(body)).toEqual({ kind: 'command', command: 'confirm', argument: expect.stringMatching(/^7KQ4M/i) });
    }
    expect(parseSmsBody('Selesai')).toEqual({ kind: 'command', command: 'confirm' });
  });

  it('should read the reporter\'s forward to Ombudsman RI with the tracking id and keep a note after it', () => {
    const cases: [string, string][] = [
      ['OMBUDSMAN 7KQ4M9XWRTC', '7KQ4M9XWRTC'],
      ['ombudsman 7kq4m-9xwrt-c.', '7kq4m-9xwrt-c.'],
      ['Ombudsman: 7KQ4M9XWRTC sudah 2 bulan tidak ada kabar', '7KQ4M9XWRTC sudah 2 bulan tidak ada kabar'],
      ['OMBUDSMAN7KQ4M9XWRTC', '7KQ4M9XWRTC'],
      ['OMBUDSMAN 7KQ4M9XWRTD', '7KQ4M9XWRTD'], // mistyped: the router says so
    ];
    for (const [body, argument] of cases) expect(parseSmsBody(body)).toEqual({ kind: 'command', command: 'ombudsman', argument });
    expect(parseSmsBody('OMBUDSMAN')).toEqual({ kind: 'command', command: 'ombudsman' });
    // A complaint about the Ombudsman's own office, or one that names it, stays a complaint.
    for (const text of ['Ombudsman perwakilan Jawa Barat tidak menjawab telepon kami sejak minggu lalu', 'OMBUDSMANNYA juga diam saja soal jalan rusak ini']) {
      expect(parseSmsBody(text)).toEqual({ kind: 'complaint', text });
    }
  });

  it('should keep complaints that start like a reporter action as complaints', () => {
    for (const text of [
      'Tidak puas dengan pelayanan RSUD Kota Bandung, antre 5 jam',
      'Keberatan atas pungutan liar di kantor desa Sukamaju',
      'Selesai dibangun tahun lalu, jembatan di Desa Sukamaju sudah retak lagi',
      'Puasa-puasa begini air PDAM mati tiga hari di Kota Bandung',
      'PUASANYA jadi berat, lampu jalan mati semua di kampung kami',
    ]) {
      expect(parseSmsBody(text)).toEqual({ kind: 'complaint', text });
    }
  });

  it('should take anything else as complaint text, exactly as sent', () => {
    const text = 'Stop pungli di kantor kelurahan! 😡 ꦥꦼꦢꦺꦴꦩꦤ꧀ 路灯坏了';
    expect(parseSmsBody(` ${text}\n`)).toEqual({ kind: 'complaint', text });
    expect(parseSmsBody('Info: jalan di desa kami rusak parah sejak Januari')).toMatchObject({ kind: 'complaint' });
    expect(parseSmsBody('Cek kondisi jembatan di Desa Sukamaju, hampir roboh')).toMatchObject({ kind: 'complaint' });
    expect(parseSmsBody('CEKAL')).toMatchObject({ kind: 'complaint' });
    expect(parseSmsBody('STATUSNYA belum jelas, jalan rusak')).toMatchObject({ kind: 'complaint' });
  });

  it('should call an empty or whitespace-only body empty', () => {
    for (const b of ['', '   ', '\n\t ', undefined]) expect(parseSmsBody(b)).toEqual({ kind: 'empty' });
  });

  it('should take "LAPOR" alone as the question how to report, and "LAPOR <text>" as the complaint', () => {
    expect(parseSmsBody('lapor')).toEqual({ kind: 'command', command: 'report' });
    expect(parseSmsBody('LAPOR jalan rusak di Desa Sukamaju')).toEqual({ kind: 'complaint', text: 'jalan rusak di Desa Sukamaju' });
  });
});

const commandChannels = (Object.keys(CHANNELS) as ChannelId[]).filter((c): c is CommandChannel => 'commands' in CHANNELS[c]);

describe('one vocabulary on every channel', () => {
  it.each(commandChannels)('%s: UNSUBSCRIBE, QUIT, YES, INFO and CEK <id> mean the same as by SMS', (channel) => {
    for (const text of ['UNSUBSCRIBE', 'quit', 'Yes!', 'INFO', 'CEK 7KQ4M9XWRTC', 'KEBERATAN 7KQ4M9XWRTC jalan belum diperbaiki', 'SELESAI 7KQ4M9XWRTC', 'Tidak puas dengan pelayanan RSUD Kota Bandung, antre 5 jam']) {
      expect(parseCommandText(channel, text)).toEqual(parseSmsBody(text));
    }
  });

  it('should read Telegram slash commands, its /start alias, and a command for another bot as unknown (help)', () => {
    const tg = (text: string) => parseCommandText('telegram', text, { botName: 'LaporBot' });
    expect(tg('/cek 7KQ4M-9XWRT-C')).toEqual({ kind: 'command', command: 'status', argument: '7KQ4M-9XWRT-C' });
    expect(tg('/cek@LaporBot 7KQ4M9XWRTC')).toEqual({ kind: 'command', command: 'status', argument: '7KQ4M9XWRTC' });
    expect(tg('/cek@OtherBot 7KQ4M9XWRTC')).toEqual({ kind: 'command', command: 'help' });
    expect(tg('/start')).toEqual({ kind: 'command', command: 'start' });
    expect(tg('/mulai')).toEqual({ kind: 'command', command: 'opt_in' });
    expect(tg('/berhenti')).toEqual({ kind: 'command', command: 'opt_out' });
    expect(tg('/lapor Sampah menumpuk di pasar')).toEqual({ kind: 'complaint', text: 'Sampah menumpuk di pasar' });
    expect(tg('/entahlah')).toEqual({ kind: 'command', command: 'help' });
    expect(parseCommandText('sms', '/cek 7KQ4M9XWRTC')).toMatchObject({ kind: 'complaint' });
  });

  it('should show commands the way each channel writes them', () => {
    expect([commandWord('sms', 'status'), commandWord('telegram', 'status'), commandWord('telegram', 'help'), commandWord('x', 'opt_out')]).toEqual(['CEK', '/cek', '/bantuan', 'STOP']);
  });

  it('should match the table in docs/channels/commands.md (paste the expected table between the markers)', () => {
    const doc = readFileSync(join(__dirname, '../../../../docs/channels/commands.md'), 'utf8');
    const section = /<!-- commands:start -->\n([\s\S]*?)\n<!-- commands:end -->/.exec(doc)?.[1];
    expect(section).toBe(commandsTable());
  });
});
