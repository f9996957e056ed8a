import { HttpException, Inject, Injectable } from '@nestjs/common';
import { MAX_UPLOAD_REQUEST_BYTES } from '@lapor/contracts';
import { APP_CONFIG, AppConfig } from '@lapor/runtime';
import { AttachmentRejected } from '@lapor/storage';
import type { UploadLimits } from './multipart';

/** The web form's and the API's upload limits, from ATTACHMENT_MAX_BYTES and ATTACHMENT_MAX_FILES. */
@Injectable()
export class WebUploadLimits implements UploadLimits {
  readonly maxFileBytes: number;
  readonly maxFiles: number;
  readonly maxRequestBytes = MAX_UPLOAD_REQUEST_BYTES;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.maxFileBytes = config.env.ATTACHMENT_MAX_BYTES;
    this.maxFiles = config.env.ATTACHMENT_MAX_FILES;
  }
}

/** A refused file as the API's error body: its status (413/415/422) and the reason, under the field `attachments`. */
export function attachmentHttpError(error: unknown): unknown {
  if (!(error instanceof AttachmentRejected)) return error;
  return new HttpException({ message: error.reason, fields: { attachments: [error.reason] } }, error.status);
}
