export * from './locale';
export * from './catalogue';
export { commonMessages } from './catalogue/common';
export * from './catalogue/web';
export * from './catalogue/validation';
import type { Catalogue } from './catalogue';
import { commonMessages } from './catalogue/common';
import { validationMessages } from './catalogue/validation';
import { webMessages } from './catalogue/web';

/**
 * Every area's catalogue, for the checks in catalogue.spec.ts (both languages present, same
 * placeholders, no English left in the Indonesian text and the other way round). Add yours here.
 */
export const ALL_CATALOGUES: Record<string, Catalogue> = {
  common: commonMessages,
  web: webMessages,
  validation: validationMessages,
};
