import type { Attachment } from '@lapor/contracts';
import { AttachmentStore, storePlatformMedia } from '@lapor/storage';
import type { Telegram } from 'telegraf';

/** Bot API: getFile serves files of at most 20 MB (https://core.telegram.org/bots/api#getfile). */
const TELEGRAM_MAX_FILE_BYTES = 20 * 1024 * 1024;

/**
 * A photo's or document's file_id → the file in the attachment store, fetched before the
 * update is acknowledged (getFile, then the file link; a few seconds at most, bounded by
 * fetchIntoStore). Voice notes and videos keep only their file_id: the store takes images
 * and documents. When the fetch fails, the file_id stays (it can be fetched later) and the
 * complaint goes on.
 */
export async function storeTelegramFile(telegram: Telegram, store: AttachmentStore, attachment: Attachment, warn: (message: string) => void): Promise<Attachment> {
  if (!attachment.fileRef || (attachment.kind !== 'image' && attachment.kind !== 'document')) return attachment;
  let link: URL;
  try {
    link = await telegram.getFileLink(attachment.fileRef);
  } catch (error) {
    warn(`Telegram getFile failed for a ${attachment.kind}, keeping its file_id: ${(error as Error).message}`);
    return attachment;
  }
  return storePlatformMedia(store, attachment, { url: link.href, name: attachment.name, declaredType: attachment.mimeType, maxBytes: TELEGRAM_MAX_FILE_BYTES }, warn);
}
