/** Injection tokens shared by the apps. */
export const EVENT_BUS = Symbol('EVENT_BUS');
export const APP_CONFIG = Symbol('APP_CONFIG');
export const METRICS = Symbol('METRICS');
export const CONSUMER_READINESS = Symbol('CONSUMER_READINESS');
