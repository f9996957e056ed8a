import type { Provider } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@lapor/runtime';
import { AttachmentStore } from './attachment-store';
import { attachmentStoreFromEnv } from './storage.config';

/** The app's attachment store, from its configuration (ATTACHMENT_STORE, S3_*, DATA_DIR). */
export const attachmentStoreProvider: Provider = {
  provide: AttachmentStore,
  useFactory: (config: AppConfig) => attachmentStoreFromEnv(config.env),
  inject: [APP_CONFIG],
};
