import type { OutboundChannel } from '../entities';

export interface RenderedMessage {
  subject?: string;
  body: string;
}

/** How a citizen sends a command on each channel (SMS keywords vs Telegram slash commands). */
export const COMMAND_SYNTAX: Record<OutboundChannel, { status: (id: string) => string; help: string; stop: string; start: string }> = {
  sms: { status: (id) => `CEK ${id}`, help: 'INFO', stop: 'STOP', start: 'MULAI' },
  telegram: { status: (id) => `/cek ${id}`, help: '/bantuan', stop: '/berhenti', start: '/mulai' },
  x: { status: (id) => `CEK ${id}`, help: 'INFO', stop: 'STOP', start: 'MULAI' },
  email: { status: (id) => `CEK ${id}`, help: 'INFO', stop: 'STOP', start: 'MULAI' },
};

/** SMS text must stay within GSM-7 (160 chars a segment): fold what would force UCS-2 (70 chars). */
export function toGsmFriendly(text: string): string {
  return text
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/[–—]/g, '-')
    .replace(/…/g, '...')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '');
}

/** Shortens a name so the whole SMS stays within one segment when it can. */
export function fit(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 3)).trimEnd()}...`;
}
