export * from './dead-letters';
export * from './event-bus';
export * from './failure-policy';
export * from './in-process-bus';
export * from './journal';
export * from './kafka-bus';
export * from './namespaced-bus';
export * from './observer';
