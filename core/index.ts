// The core's public surface: what agent/ may import (always through this file).
export * from './config.js';
export * from './experiment.js';
export * from './params.js';
export * from './random.js';
export * from './result.js';
export * from './spec.js';
export * from './tracker.js';
