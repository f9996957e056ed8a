export * from './deadline-policy';
