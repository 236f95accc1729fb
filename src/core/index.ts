export * from './duration.ts';
export * from './events.ts';
export * from './model.ts';
export * from './result.ts';
export * from './states.ts';
export * from './status.ts';
