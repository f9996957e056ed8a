export * from './attachment-store';
export * from './filesystem-object-store';
export * from './object-store';
export * from './s3-object-store';
export * from './storage.config';
export * from './storage.provider';
export * from './fetch-into-store';
