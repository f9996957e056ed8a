import { defineMessages } from '../catalogue';

/** Words shared by every citizen-facing surface (pages, e-mails, chat replies). */
export const commonMessages = defineMessages({
  'service.name': { id: 'LAPOR! — Layanan Aspirasi dan Pengaduan Online Rakyat', en: 'LAPOR! — the national public-service complaint system' },
  'language.name': { id: 'Bahasa Indonesia', en: 'English' },
});
