export * from './locale';
export * from './catalogue';
export { commonMessages } from './catalogue/common';
export { notificationMessages } from './catalogue/notifications';
export { chatMessages } from './catalogue/chat';
import type { Catalogue } from './catalogue';
import { commonMessages } from './catalogue/common';
import { notificationMessages } from './catalogue/notifications';
import { chatMessages } from './catalogue/chat';
export * from './catalogue/web';
export * from './catalogue/validation';
import { validationMessages } from './catalogue/validation';
import { webMessages } from './catalogue/web';

/**
 * Every area's catalogue, for the checks in catalogue.spec.ts (both languages present, same
 * placeholders, no English left in the Indonesian text and the other way round). Add yours here.
 */
export const ALL_CATALOGUES: Record<string, Catalogue> = {
  common: commonMessages,
  notifications: notificationMessages,
  chat: chatMessages,
  web: webMessages,
  validation: validationMessages,
};
