/** The desk's notion of now: injected, so timers can be tested with a controllable clock. */
export const DESK_CLOCK = Symbol('DESK_CLOCK');

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
