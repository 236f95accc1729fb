export * from './states.ts';
export * from './result.ts';
export * from './model.ts';
export * from './events.ts';
export * from './status.ts';
export * from './duration.ts';
